/**
 * Every row of an ordered query, one keyset batch at a time (`WHERE (key) > (last key)`,
 * never OFFSET): each query costs the same however deep the export is, rows arriving
 * meanwhile do not shift the pages, and only the current batch is held. A consumer that
 * stops pulling (a closed download) stops the queries.
 */
export async function* keysetBatches<Row, Cursor>(
  batchAfter: (cursor: Cursor | null, size: number) => Promise<Row[]>,
  cursorOf: (row: Row) => Cursor,
  size: number,
): AsyncGenerator<Row> {
  for await (const batch of keysetPages(batchAfter, cursorOf, size)) yield* batch;
}

/** The same walk, batch by batch, for consumers that act on a whole batch at once. */
export async function* keysetPages<Row, Cursor>(
  batchAfter: (cursor: Cursor | null, size: number) => Promise<Row[]>,
  cursorOf: (row: Row) => Cursor,
  size: number,
): AsyncGenerator<Row[]> {
  let cursor: Cursor | null = null;
  for (;;) {
    const batch = await batchAfter(cursor, size);
    if (batch.length > 0) yield batch;
    const last = batch.at(-1);
    if (last === undefined || batch.length < size) return;
    cursor = cursorOf(last);
  }
}
