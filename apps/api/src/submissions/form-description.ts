import escapeHtml from 'escape-html';
import type { Form } from '@intake/database';
import type { Field } from '@intake/forms';

/** The self-description of a form version (API.md, "Public submission endpoint"). */
export interface FormDescription {
  name: string;
  slug: string;
  endpoint: string;
  method: 'POST';
  content_type: 'application/json';
  visibility: 'public' | 'private';
  fields: readonly Field[];
  authentication?: { type: 'bearer'; header: 'Authorization'; description: string };
}

export function describeForm(
  form: Form,
  publicFields: readonly Field[],
  endpoint: string,
): FormDescription {
  return {
    name: form.name,
    slug: form.slug,
    endpoint,
    method: 'POST',
    content_type: 'application/json',
    visibility: form.visibility,
    fields: publicFields,
    ...(form.visibility === 'private'
      ? {
          authentication: {
            type: 'bearer',
            header: 'Authorization',
            description: 'Send the form’s submission token: Authorization: Bearer ik_sub_…',
          },
        }
      : {}),
  };
}

function ruleText(rule: Field['rules'][number]): string {
  const parts: string[] = [rule.op];
  if ('value' in rule && rule.value !== undefined) parts.push(JSON.stringify(rule.value));
  if ('values' in rule && rule.values !== undefined) parts.push(JSON.stringify(rule.values));
  if (rule.when)
    parts.push(
      `when ${rule.when.field} ${rule.when.is}${'value' in rule.when ? ` ${JSON.stringify(rule.when.value)}` : ''}`,
    );
  return parts.join(' ');
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body><main>${body}</main></body></html>
`;

/**
 * Documentation for people: the same contract as the JSON, every user-supplied string
 * escaped. No script and no inline style, so the global CSP (`default-src 'none'`) holds.
 */
export function describeFormHtml(description: FormDescription): string {
  const rows = description.fields
    .map(
      (field) =>
        `<tr><td><code>${escapeHtml(field.name)}</code></td><td>${escapeHtml(field.type)}</td>` +
        `<td>${field.rules.map((rule) => `<code>${escapeHtml(ruleText(rule))}</code>`).join('<br>') || '—'}</td></tr>`,
    )
    .join('\n');
  const example = Object.fromEntries(
    description.fields.map((field) => [field.name, `<${field.type}>`]),
  );
  const auth = description.authentication ? ` \\\n  -H 'Authorization: Bearer ik_sub_…'` : '';
  return page(
    `${description.name} — Intake form`,
    `<h1>${escapeHtml(description.name)}</h1>
<p>Submit with <code>POST ${escapeHtml(description.endpoint)}</code> and a JSON body
(<code>application/x-www-form-urlencoded</code> and <code>multipart/form-data</code> work too).
${description.authentication ? '<p>This form is private: send its submission token as a bearer token.</p>' : ''}
<table><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Rules</th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Example</h2>
<pre><code>curl -X POST '${escapeHtml(description.endpoint)}' \\
  -H 'Content-Type: application/json'${escapeHtml(auth)} \\
  -d '${escapeHtml(JSON.stringify(example))}'</code></pre>
<p>Machine-readable: the same URL with <code>Accept: application/json</code>.</p>`,
  );
}

export function thankYouHtml(formName: string): string {
  return page(
    'Thank you',
    `<h1>Thank you</h1><p>Your submission to ${escapeHtml(formName)} was received.</p>`,
  );
}
