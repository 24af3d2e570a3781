import escapeHtml from 'escape-html';
import type {
  OpenApiDocument,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiResponse,
} from './openapi.document';
import type { JsonSchema } from './openapi.schemas';

/**
 * The OpenAPI document as a plain page for people: an index of operations, then each with
 * its auth, parameters, body and responses, then the schemas. Generated from the same
 * document as `/api/openapi.json`, so the two cannot disagree. No script and no inline
 * style, so the global CSP (`default-src 'none'`) holds; every string is escaped.
 */

const SCHEMA_REF = /&quot;#\/components\/schemas\/([A-Za-z0-9_]+)&quot;/g;

/** Escapes, then renders the only markdown the descriptions use: `code` and **strong**. */
function prose(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function paragraphs(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n\n+/)
    .map((paragraph) =>
      paragraph.trimStart().startsWith('- ')
        ? `<ul>${paragraph
            .split(/\n(?=- )/)
            .map((item) => `<li>${prose(item.replace(/^\s*- /, ''))}</li>`)
            .join('')}</ul>`
        : `<p>${prose(paragraph)}</p>`,
    )
    .join('\n');
}

/** Pretty JSON with each schema `$ref` turned into a link to that schema. */
function schemaBlock(schema: JsonSchema): string {
  const text = escapeHtml(JSON.stringify(schema, null, 2)).replace(
    SCHEMA_REF,
    (_, name: string) => `&quot;<a href="#schema-${name}">#/components/schemas/${name}</a>&quot;`,
  );
  return `<pre><code>${text}</code></pre>`;
}

/** One line for a parameter's schema: its type and its main constraints. */
function schemaSummary(schema: JsonSchema): string {
  const parts: string[] = [];
  if (typeof schema.type === 'string') parts.push(schema.type);
  if (typeof schema.format === 'string') parts.push(`(${schema.format})`);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map(String).join(', ')}`);
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'default']) {
    if (schema[key] !== undefined) parts.push(`${key} ${JSON.stringify(schema[key])}`);
  }
  return escapeHtml(parts.join(' '));
}

function anchorOf(operation: OpenApiOperation): string {
  return `op-${operation.operationId}`;
}

function authOf(operation: OpenApiOperation): string {
  if (operation.security.length === 0) return 'none';
  return operation.security
    .map((requirement) => {
      const entries = Object.entries(requirement);
      if (entries.length === 0) return 'none';
      return entries
        .map(([scheme, scopes]) => (scopes.length ? `${scheme} (${scopes.join(', ')})` : scheme))
        .join(' + ');
    })
    .join(' or ');
}

function parametersTable(parameters: OpenApiParameter[] | undefined): string {
  if (!parameters?.length) return '';
  const rows = parameters
    .map(
      (parameter) =>
        `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${escapeHtml(parameter.in)}</td>` +
        `<td>${parameter.required ? 'yes' : 'no'}</td><td>${schemaSummary(parameter.schema)}</td>` +
        `<td>${parameter.description ? prose(parameter.description) : ''}</td></tr>`,
    )
    .join('\n');
  return `<h4>Parameters</h4>
<table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Schema</th><th scope="col">Description</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function schemaLink(reference: unknown): string | null {
  const match = typeof reference === 'string' && /^#\/components\/schemas\/(.+)$/.exec(reference);
  return match ? `<a href="#schema-${escapeHtml(match[1])}">${escapeHtml(match[1])}</a>` : null;
}

/** A named schema (or a named schema narrowed by `allOf`, as errors are) is a link; others in full. */
function schemaOrLink(schema: JsonSchema): string {
  if (Object.keys(schema).length === 0) return '';
  const named = Array.isArray(schema.allOf)
    ? schemaLink((schema.allOf[0] as JsonSchema | undefined)?.$ref)
    : Object.keys(schema).length === 1
      ? schemaLink(schema.$ref)
      : null;
  return named ? `<p>Schema: ${named}</p>` : schemaBlock(schema);
}

function contentBlocks(content: Record<string, { schema: JsonSchema }> | undefined): string {
  if (!content) return '';
  return Object.entries(content)
    .map(([type, { schema }]) => `<p><code>${escapeHtml(type)}</code></p>` + schemaOrLink(schema))
    .join('\n');
}

function responsesTable(responses: Record<string, OpenApiResponse>): string {
  const rows = Object.entries(responses)
    .map(
      ([status, response]) =>
        `<tr><td>${escapeHtml(status)}</td><td>${prose(response.description)}` +
        (response.headers
          ? `<br>Headers: ${Object.keys(response.headers)
              .map((name) => `<code>${escapeHtml(name)}</code>`)
              .join(', ')}`
          : '') +
        `</td><td>${contentBlocks(response.content)}</td></tr>`,
    )
    .join('\n');
  return `<h4>Responses</h4>
<table><thead><tr><th scope="col">Status</th><th scope="col">Description</th><th scope="col">Body</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function operations(document: OpenApiDocument): [string, string, OpenApiOperation][] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, string, OpenApiOperation] => [
      method,
      path,
      operation,
    ]),
  );
}

function operationSection(method: string, path: string, operation: OpenApiOperation): string {
  const body = operation.requestBody;
  return `<section id="${escapeHtml(anchorOf(operation))}">
<h3><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></h3>
<p>${prose(operation.summary)}</p>
${paragraphs(operation.description)}
<p>Security: <code>${escapeHtml(authOf(operation))}</code></p>
${parametersTable(operation.parameters)}
${
  body
    ? `<h4>Request body${body.required ? '' : ' (optional)'}</h4>\n${paragraphs(body.description)}\n${contentBlocks(body.content)}`
    : ''
}
${responsesTable(operation.responses)}
</section>`;
}

export function renderOpenApiHtml(document: OpenApiDocument): string {
  const all = operations(document);
  const index = all
    .map(
      ([method, path, operation]) =>
        `<tr><td><code>${escapeHtml(method.toUpperCase())}</code></td>` +
        `<td><a href="#${escapeHtml(anchorOf(operation))}"><code>${escapeHtml(path)}</code></a></td>` +
        `<td>${prose(operation.summary)}</td><td><code>${escapeHtml(authOf(operation))}</code></td></tr>`,
    )
    .join('\n');
  const byTag = document.tags
    .map((tag) => {
      const sections = all
        .filter(([, , operation]) => operation.tags.includes(tag.name))
        .map(([method, path, operation]) => operationSection(method, path, operation));
      return sections.length
        ? `<h2>${escapeHtml(tag.name)}</h2>\n<p>${prose(tag.description)}</p>\n${sections.join('\n')}`
        : '';
    })
    .join('\n');
  const schemes = Object.entries(document.components.securitySchemes)
    .map(
      ([name, scheme]) =>
        `<dt><code>${escapeHtml(name)}</code></dt><dd>${prose(String(scheme.description ?? ''))}</dd>`,
    )
    .join('\n');
  const schemas = Object.entries(document.components.schemas)
    .map(
      ([name, schema]) =>
        `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>\n${schemaBlock(schema)}</section>`,
    )
    .join('\n');
  const title = `${document.info.title} ${document.info.version}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${paragraphs(document.info.description)}
<p>Server: <code>${escapeHtml(document.servers[0]?.url ?? '')}</code>. Machine-readable: <a href="/api/openapi.json"><code>/api/openapi.json</code></a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<h2>Operations</h2>
<table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Summary</th><th scope="col">Security</th></tr></thead>
<tbody>${index}</tbody></table>
<h2>Authentication</h2>
<dl>${schemes}</dl>
${byTag}
<h2>Schemas</h2>
${schemas}
</main></body></html>
`;
}
