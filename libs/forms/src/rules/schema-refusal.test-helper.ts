import { fieldsSchemaInput } from './fields-schema';

/** The issues of a refused `fields_schema`, as `path -> message` pairs. */
export function refusal(fields: unknown[]): { path: string; message: string }[] {
  const result = fieldsSchemaInput.safeParse({ fields });
  if (result.success) throw new Error('expected the schema to be refused');
  return result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

/** A string message must match exactly, a RegExp anywhere. */
export function expectRefused(fields: unknown[], path: string, message: string | RegExp): void {
  const expected = typeof message === 'string' ? message : expect.stringMatching(message);
  expect(refusal(fields)).toContainEqual({ path, message: expected });
}
