import escapeHtml from 'escape-html';
import type { Field, FieldsSchema } from '@intake/forms';

/** What a form's copy-paste snippets need to know about it. */
export interface SnippetForm {
  endpoint: string;
  visibility: 'public' | 'private';
  fields_schema: FieldsSchema;
}

export interface FormSnippets {
  /** Browser JavaScript (a module script: top-level await). */
  fetch: string;
  /** A plain HTML form; null for private forms, which need a bearer token no page should hold. */
  html: string | null;
  curl: string;
}

const TOKEN_PLACEHOLDER = '<your submission token>';
type Sample = string | number | boolean;

const isHoneypot = (field: Field) => field.rules.some((rule) => rule.op === 'honeypot');
const isRequired = (field: Field) =>
  field.rules.some((rule) => rule.op === 'required' && rule.when === undefined);

/** A value the field's own rules accept where they say which (one_of), else a typical one. */
function sampleOf(field: Field): Sample {
  const choices = field.rules.find((rule) => rule.op === 'one_of');
  if (choices && 'values' in choices && choices.values[0] !== undefined) return choices.values[0];
  switch (field.type) {
    case 'email':
      return 'ada@example.com';
    case 'number':
      return 42;
    case 'boolean':
      return true;
    case 'date':
      return '2026-01-31';
    case 'string':
      return `Your ${field.name}`;
  }
}

function sampleBody(schema: FieldsSchema): Record<string, Sample> {
  return Object.fromEntries(
    schema.fields
      .filter((field) => !isHoneypot(field))
      .map((field) => [field.name, sampleOf(field)]),
  );
}

/** A single-quoted shell word (POSIX: a quote inside is closed, escaped and reopened). */
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

const INPUT_TYPES: Record<Field['type'], string> = {
  string: 'text',
  email: 'email',
  number: 'number',
  boolean: 'checkbox',
  date: 'date',
};

function htmlInput(field: Field): string {
  const name = escapeHtml(field.name);
  if (isHoneypot(field)) {
    // Hidden from people; bots that fill every field give themselves away.
    return `  <p hidden><label>Leave this empty <input name="${name}" tabindex="-1" autocomplete="off"></label></p>`;
  }
  const type = INPUT_TYPES[field.type];
  const value = field.type === 'boolean' ? ' value="true"' : '';
  const required = isRequired(field) ? ' required' : '';
  return `  <p><label>${name} <input name="${name}" type="${type}"${value}${required}></label></p>`;
}

/** The fetch, HTML form and curl snippets of a form, from its current schema. */
export function formSnippets(form: SnippetForm): FormSnippets {
  const body = JSON.stringify(sampleBody(form.fields_schema), null, 2);
  const isPrivate = form.visibility === 'private';
  const fetchHeaders = [
    `'Content-Type': 'application/json'`,
    `Accept: 'application/json'`,
    ...(isPrivate ? [`Authorization: 'Bearer ${TOKEN_PLACEHOLDER}'`] : []),
  ];
  const fetch = [
    `const response = await fetch(${JSON.stringify(form.endpoint)}, {`,
    `  method: 'POST',`,
    `  headers: { ${fetchHeaders.join(', ')} },`,
    `  body: JSON.stringify(${body.replaceAll('\n', '\n  ')}),`,
    `});`,
    `console.log(response.status, await response.json());`,
  ].join('\n');
  const html = isPrivate
    ? null
    : [
        `<form action="${escapeHtml(form.endpoint)}" method="post">`,
        ...form.fields_schema.fields.map(htmlInput),
        `  <button type="submit">Send</button>`,
        `</form>`,
      ].join('\n');
  const curl = [
    `curl -X POST ${shellQuote(form.endpoint)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    ...(isPrivate ? [`  -H ${shellQuote(`Authorization: Bearer ${TOKEN_PLACEHOLDER}`)} \\`] : []),
    `  -d ${shellQuote(JSON.stringify(sampleBody(form.fields_schema)))}`,
  ].join('\n');
  return { fetch, html, curl };
}
