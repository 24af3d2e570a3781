import busboy from 'busboy';
import type { Request } from 'express';
import getRawBody from 'raw-body';
import { AppError } from '@intake/common';

export type BodyMode = 'json' | 'form';

export interface SubmissionBody {
  mode: BodyMode;
  /** Null-prototype: submitted keys such as `__proto__` are plain data here. */
  fields: Record<string, unknown>;
}

/** No form has this many fields (the schema allows 100); more is abuse, not data. */
const MAX_FORM_FIELDS = 200;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function mediaTypeOf(request: Request): string {
  return (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

async function readText(request: Request, limit: number): Promise<string> {
  // raw-body enforces the cap while streaming (413 `entity.too.large`) and checks Content-Length.
  const buffer = await getRawBody(request, { limit, length: request.headers['content-length'] });
  try {
    return utf8.decode(buffer);
  } catch {
    throw new AppError('invalid_params', 'Request body is not valid UTF-8');
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('invalid_params', 'Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError('invalid_params', 'Request body must be a JSON object');
  }
  return Object.assign(Object.create(null) as Record<string, unknown>, parsed);
}

/** Repeated keys become arrays, which the rules engine refuses where one value belongs. */
function collect(fields: Record<string, unknown>, name: string, value: string): void {
  const existing = fields[name];
  fields[name] =
    existing === undefined
      ? value
      : Array.isArray(existing)
        ? [...(existing as string[]), value]
        : [existing, value];
}

function parseUrlEncoded(text: string): Record<string, unknown> {
  const fields = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (++count > MAX_FORM_FIELDS)
      throw new AppError('payload_too_large', `At most ${MAX_FORM_FIELDS} fields`);
    collect(fields, name, value);
  }
  return fields;
}

/** multipart/form-data, fields only: a file part is refused (Intake stores no files). */
function parseMultipart(request: Request, limit: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fields = Object.create(null) as Record<string, unknown>;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fieldSize: limit, fields: MAX_FORM_FIELDS, files: 0, parts: MAX_FORM_FIELDS },
      });
    } catch {
      reject(new AppError('invalid_params', 'Malformed multipart body'));
      return;
    }
    let size = 0;
    const fail = (error: AppError) => {
      request.unpipe(parser);
      request.resume();
      reject(error);
    };
    parser.on('field', (name, value) => {
      size += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (size > limit) return fail(new AppError('payload_too_large', 'Request body is too large'));
      collect(fields, name, value);
    });
    parser.on('filesLimit', () =>
      fail(
        new AppError('unsupported_media_type', 'File uploads are not accepted; send fields only'),
      ),
    );
    parser.on('fieldsLimit', () =>
      fail(new AppError('payload_too_large', `At most ${MAX_FORM_FIELDS} fields`)),
    );
    parser.on('partsLimit', () =>
      fail(new AppError('payload_too_large', `At most ${MAX_FORM_FIELDS} fields`)),
    );
    parser.on('error', () => fail(new AppError('invalid_params', 'Malformed multipart body')));
    parser.on('close', () => resolve(fields));
    request.pipe(parser);
  });
}

/** Keys that mean prototype pollution in any JavaScript consumer downstream (webhooks, exports). */
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Field values are scalars or lists of them. JSON.parse takes any depth, but recursive code
 * downstream (JSON.stringify of the idempotency hash among it) overflows the stack on a few
 * thousand levels, which fit in 64 KiB.
 */
const MAX_NESTING = 32;

/** Whether a parsed value nests deeper than `max`, walked without recursion. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Refuses bodies no honest form sends, before they reach validation or storage. */
function assertPlausible(fields: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(fields);
  if (names.length > MAX_FORM_FIELDS)
    throw new AppError('payload_too_large', `At most ${MAX_FORM_FIELDS} fields`);
  if (names.some((name) => HOSTILE_KEYS.includes(name))) {
    throw AppError.validation({ body: [`field names ${HOSTILE_KEYS.join(', ')} are not allowed`] });
  }
  if (nestsDeeperThan(fields, MAX_NESTING)) {
    throw AppError.validation({ body: [`values nested deeper than ${MAX_NESTING} levels`] });
  }
  return fields;
}

/** Reads a submission body of any accepted type, capped at `limit` bytes. */
export async function readSubmissionBody(request: Request, limit: number): Promise<SubmissionBody> {
  const mediaType = mediaTypeOf(request);
  if (mediaType === 'multipart/form-data')
    return { mode: 'form', fields: assertPlausible(await parseMultipart(request, limit)) };
  const text = await readText(request, limit);
  if (mediaType === 'application/x-www-form-urlencoded')
    return { mode: 'form', fields: assertPlausible(parseUrlEncoded(text)) };
  return { mode: 'json', fields: assertPlausible(parseJsonObject(text)) };
}
