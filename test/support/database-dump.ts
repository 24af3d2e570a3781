/** Runs one SQL statement and returns its rows (Prisma's $queryRawUnsafe, PGlite, pg). */
export type RunSql = <Row>(sql: string) => Promise<Row[]>;

/**
 * Every row of every table of the current schema as text, one JSON document per row: what
 * a database leak would hand over. PostgreSQL renders each column (bytea, tsvector, ...)
 * itself, so no column type can escape the search.
 */
export async function databaseDump(run: RunSql): Promise<string> {
  const tables = await run<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  let dump = '';
  for (const { table_name } of tables) {
    const rows = await run<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
    );
    dump += `${rows.map(({ row }) => row).join('\n')}\n`;
  }
  return dump;
}
