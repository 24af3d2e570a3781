import type { FieldsSchema } from '@intake/forms';
import { formSnippets } from './snippets';

const schema: FieldsSchema = {
  fields: [
    { name: 'email', type: 'email', rules: [{ op: 'required' }] },
    { name: 'topic', type: 'string', rules: [{ op: 'one_of', values: ["it's urgent", 'later'] }] },
    { name: 'age', type: 'number', rules: [] },
    { name: 'subscribe', type: 'boolean', rules: [] },
    { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
  ],
};
const endpoint = 'https://forms.example.com/api/abc/f/contact';

describe('formSnippets', () => {
  it('posts a sample the rules accept, without the honeypot, to the endpoint', () => {
    const { fetch, curl } = formSnippets({ endpoint, visibility: 'public', fields_schema: schema });
    expect(fetch).toContain(`fetch("${endpoint}"`);
    const body = JSON.parse(/JSON\.stringify\(([\s\S]*?)\),\n\}\);/.exec(fetch)![1]!);
    expect(body).toEqual({
      email: 'ada@example.com',
      topic: "it's urgent",
      age: 42,
      subscribe: true,
    });
    expect(fetch).not.toContain('Authorization');
    // The apostrophe of the sample survives shell quoting.
    expect(curl).toContain(`-d '{"email":"ada@example.com","topic":"it'\\''s urgent"`);
  });

  it('writes an HTML form with the honeypot hidden and required fields marked', () => {
    const { html } = formSnippets({ endpoint, visibility: 'public', fields_schema: schema });
    expect(html).toContain(`<form action="${endpoint}" method="post">`);
    expect(html).toContain('<input name="email" type="email" required>');
    expect(html).toContain('<input name="subscribe" type="checkbox" value="true">');
    expect(html).toContain('<p hidden><label>Leave this empty <input name="website" tabindex="-1"');
  });

  it('escapes the endpoint in HTML and gives private forms a token header instead of a form', () => {
    const odd = 'https://forms.example.com/api/a"b<c/f/x';
    expect(
      formSnippets({ endpoint: odd, visibility: 'public', fields_schema: schema }).html,
    ).toContain('action="https://forms.example.com/api/a&quot;b&lt;c/f/x"');
    const secret = formSnippets({ endpoint, visibility: 'private', fields_schema: schema });
    expect(secret.html).toBeNull();
    expect(secret.fetch).toContain("Authorization: 'Bearer <your submission token>'");
    expect(secret.curl).toContain("-H 'Authorization: Bearer <your submission token>'");
  });
});
