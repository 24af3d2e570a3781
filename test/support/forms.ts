import type { ApiOwner } from './accounts';

export const CONTACT_SCHEMA = {
  fields: [
    { name: 'email', type: 'email', rules: [{ op: 'required' }] },
    { name: 'name', type: 'string', rules: [{ op: 'max_length', value: 100 }] },
    {
      name: 'message',
      type: 'string',
      rules: [{ op: 'required' }, { op: 'max_length', value: 2000 }],
    },
    { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
  ],
};

export interface CreatedForm {
  id: string;
  slug: string;
  endpoint: string;
  /** The endpoint's path, e.g. `/api/<opaque>/f/contact`. */
  path: string;
  submission_token?: string;
  version: number;
}

let counter = 0;

export async function createForm(
  owner: ApiOwner,
  body: Record<string, unknown> = {},
): Promise<CreatedForm> {
  counter += 1;
  const response = await owner
    .api('post', '/api/forms')
    .send({ name: 'Contact', slug: `contact-${counter}`, fields_schema: CONTACT_SCHEMA, ...body })
    .expect(201);
  const form = response.body.form as CreatedForm;
  return { ...form, path: new URL(form.endpoint).pathname };
}
