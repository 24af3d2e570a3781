import type { FormVersion, Prisma, Submission } from '@intake/database';
import { storedFieldsSchema } from '@intake/forms';

const LEADING_COLUMNS = ['id', 'created_at', 'form_version', 'spam', 'processing_status'] as const;
const METADATA_KEYS = ['ip', 'user_agent', 'referer', 'origin'] as const;
const TRAILING_COLUMNS = METADATA_KEYS.map((key) => `metadata_${key}`);

/** A CSV cell before stringifying; numbers stay numbers so `-5` is not taken for a formula. */
export type CsvCell = string | number;

export interface CsvLayout {
  header: string[];
  row(submission: Submission): CsvCell[];
}

/**
 * Columns of a CSV export: fixed columns, then one per field of the form's latest version
 * (schema order, honeypots left out: they only ever hold bot input), then request metadata.
 * Values of fields only older versions had are left out here; NDJSON carries them.
 */
export function csvLayout(latest: FormVersion): CsvLayout {
  const fields = storedFieldsSchema(latest)
    .fields.filter((field) => !field.rules.some((rule) => rule.op === 'honeypot'))
    .map((field) => field.name);
  const taken = new Set<string>([...LEADING_COLUMNS, ...TRAILING_COLUMNS]);
  const fieldHeaders = fields.map((name) => uniqueHeader(name, taken));
  return {
    header: [...LEADING_COLUMNS, ...fieldHeaders, ...TRAILING_COLUMNS],
    row: (submission) => {
      const data = asRecord(submission.data);
      const metadata = asRecord(submission.metadata);
      return [
        submission.id,
        submission.createdAt.toISOString(),
        submission.formVersion,
        String(submission.spam),
        submission.processingStatus,
        ...fields.map((name) => cell(data[name])),
        ...METADATA_KEYS.map((key) => cell(metadata[key])),
      ];
    },
  };
}

/** A field may be named like a fixed column (`id`, `spam`); its column then gets a `data_` prefix. */
function uniqueHeader(name: string, taken: Set<string>): string {
  let header = name;
  while (taken.has(header)) header = `data_${header}`;
  taken.add(header);
  return header;
}

function asRecord(value: Prisma.JsonValue): Record<string, Prisma.JsonValue | undefined> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function cell(value: Prisma.JsonValue | undefined): CsvCell {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
