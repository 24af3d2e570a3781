import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentSchema } from './config.schema';

describe('.env.example', () => {
  it('documents exactly the variables the configuration schema reads', () => {
    const text = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const documented = new Set(
      [...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]),
    );
    expect([...documented].sort()).toEqual(Object.keys(environmentSchema.shape).sort());
  });
});
