/**
 * Writing a large JSON document incrementally: arrays that are async iterables are written
 * item by item as they are read, so an archive with 100k submissions never sits in memory.
 */

/** An object written property by property, so that its streamed properties stay streamed. */
export class StreamedObject {
  constructor(readonly properties: Readonly<Record<string, unknown>>) {}
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The JSON text of `value`, in pieces: a StreamedObject property by property, an async
 * iterable as an array item by item, anything else through JSON.stringify.
 */
export async function* jsonChunks(value: unknown): AsyncGenerator<string> {
  if (value instanceof StreamedObject) {
    let separator = '{';
    for (const [key, property] of Object.entries(value.properties)) {
      // As JSON.stringify does: an undefined property is left out.
      if (property === undefined) continue;
      yield `${separator}${JSON.stringify(key)}:`;
      yield* jsonChunks(property);
      separator = ',';
    }
    yield separator === '{' ? '{}' : '}';
  } else if (isAsyncIterable(value)) {
    let separator = '[';
    for await (const item of value) {
      yield separator;
      yield* jsonChunks(item);
      separator = ',';
    }
    yield separator === '[' ? '[]' : ']';
  } else {
    yield JSON.stringify(value);
  }
}

/** Joins small pieces into writes of about `size` characters: fewer, fuller socket writes. */
export async function* coalesced(
  pieces: AsyncIterable<string>,
  size = 64 * 1024,
): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
