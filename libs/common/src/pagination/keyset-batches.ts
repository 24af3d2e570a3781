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
  let cursor: Cursor | null = null;
  for (;;) {
    const batch = await batchAfter(cursor, size);
    yield* batch;
    const last = batch.at(-1);
    if (last === undefined || batch.length < size) return;
    cursor = cursorOf(last);
  }
}
