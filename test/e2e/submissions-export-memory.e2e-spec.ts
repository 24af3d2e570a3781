import { Logger } from '@nestjs/common';
import { get, type IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SubmissionsRepository } from '../../libs/submissions/src/submissions.repository';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingPostgres } from '../support/test-database';

/**
 * 100k rows on PostgreSQL; 20k on embedded PGlite, whose single-threaded WASM engine makes
 * 100k inserts and reads too slow for a test run. Either way more CSV passes through
 * (100 MB, 50 MB) than the heap bound below allows, so an export that buffered could not pass.
 */
const ROWS = usingPostgres ? 100_000 : 20_000;
const MESSAGE_LENGTH = usingPostgres ? 1_000 : 2_500;
const HEAP_GROWTH_LIMIT = 32 * 1024 * 1024;
/** Rows per INSERT: each statement stays well inside DATABASE_STATEMENT_TIMEOUT_MS. */
const INSERT_CHUNK = 10_000;
const BATCH_SIZE = 500;

/** A forced full GC, so that samples measure what is retained, not garbage awaiting collection. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function openExport(test: TestApp, owner: ApiOwner, form: CreatedForm): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(
      `${test.url}/api/forms/${form.id}/submissions/export?format=csv`,
      { headers: { Authorization: `Bearer ${owner.key}` } },
      resolve,
    ).on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('submissions export at scale', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
    form = await createForm(owner);
    const version = await test.prisma.formVersion.findFirstOrThrow({ where: { formId: form.id } });
    // Rows one millisecond apart, so the expected order (created_at, id) is row number order.
    for (let first = 1; first <= ROWS; first += INSERT_CHUNK) {
      await test.prisma.$executeRawUnsafe(
        `INSERT INTO submissions (id, form_id, user_id, form_version_id, form_version, data, metadata, created_at, updated_at)
         SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, 1,
                jsonb_build_object('email', 'user' || n || '@example.com', 'name', 'Name ' || n, 'message', repeat('m', $4)),
                jsonb_build_object('ip', '203.0.113.7', 'user_agent', 'bulk', 'referer', null, 'origin', null, 'utm', '{}'::jsonb, 'dropped_fields', 0),
                timestamptz '2026-01-01 00:00:00+00' + n * interval '1 millisecond', now()
         FROM generate_series($5::int, $6::int) AS n`,
        form.id,
        owner.id,
        version.id,
        MESSAGE_LENGTH,
        first,
        first + INSERT_CHUNK - 1,
      );
    }
  }, 300_000);
  afterAll(() => test.close());

  it(`streams ${ROWS} rows in bounded memory`, async () => {
    const gc = collector();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let newlines = 0;
    let sampledAt = 0;
    let tail = '';
    // The app logs nothing in tests; a cut stream would otherwise fail as a bare "aborted".
    const serverErrors = jest.spyOn(Logger.prototype, 'error');
    const response = await openExport(test, owner, form);
    expect(response.statusCode).toBe(200);
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        for (const byte of chunk) if (byte === 0x0a) newlines += 1;
        tail = (tail + chunk.toString('latin1')).slice(-2 * MESSAGE_LENGTH);
        if (newlines - sampledAt >= ROWS / 20) {
          sampledAt = newlines;
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
      }
    } catch (error) {
      throw new Error(
        `export cut after ${newlines} lines; the server logged ${inspect(serverErrors.mock.calls, { depth: 4 })}`,
        { cause: error },
      );
    } finally {
      serverErrors.mockRestore();
    }
    expect(newlines).toBe(ROWS + 1); // header + one line per row
    expect(tail.trimEnd().split('\r\n').at(-1)).toContain(`user${ROWS}@example.com`);
    expect(peak).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, 300_000);

  it('stops querying when the client goes away', async () => {
    const batchAfter = jest.spyOn(
      test.app.get(SubmissionsRepository, { strict: false }),
      'batchAfter',
    );
    const response = await openExport(test, owner, form);
    await new Promise((resolve) => response.once('data', resolve));
    response.destroy();
    await sleep(500);
    const callsAfterClose = batchAfter.mock.calls.length;
    await sleep(1000);
    expect(batchAfter.mock.calls.length).toBe(callsAfterClose);
    expect(callsAfterClose).toBeLessThan(ROWS / BATCH_SIZE / 2);
    batchAfter.mockRestore();
  }, 60_000);
});
