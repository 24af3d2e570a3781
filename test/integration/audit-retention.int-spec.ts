import { AuditMaintenance } from '@intake/audit';
import { RetentionService } from '@intake/submissions';
import { signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

/** Pruning runs as of now: the sign-up entries the tests make are recent. */
const NOW = new Date();
const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('audit retention', () => {
  let test: TestApp;
  let retention: RetentionService;
  let owner: SignedInUser;

  beforeAll(async () => {
    // A short retention, so the boundary is easy to see.
    test = await startTestApp({ AUDIT_RETENTION_DAYS: '30' });
    retention = test.app.get(RetentionService);
    owner = await signUp(test);
  });
  afterAll(() => test.close());

  async function insertEntries(userId: string | null, createdAt: Date, count = 1): Promise<void> {
    await test.prisma.$executeRawUnsafe(
      `INSERT INTO audit_events (id, user_id, action, created_at)
       SELECT gen_random_uuid(), $1::uuid, 'form.updated', $2::timestamptz
       FROM generate_series(1, $3::int)`,
      userId,
      createdAt,
      count,
    );
  }

  const countAt = (createdAt: Date) => test.prisma.auditEvent.count({ where: { createdAt } });

  it('prunes entries past AUDIT_RETENTION_DAYS, for every owner and for no owner, and keeps the rest', async () => {
    const other = await signUp(test);
    const expired = ago(30 * DAY + 1000);
    const kept = ago(30 * DAY - 1000);
    await insertEntries(owner.id, expired, 3);
    await insertEntries(other.id, expired, 2);
    await insertEntries(null, expired, 1);
    await insertEntries(owner.id, kept, 2);
    await insertEntries(other.id, kept, 1);
    const recent = await test.prisma.auditEvent.count();

    const result = await retention.pruneExpired(NOW);

    expect(result.auditEvents).toBe(6);
    expect(await countAt(expired)).toBe(0);
    expect(await countAt(kept)).toBe(3);
    expect(await test.prisma.auditEvent.count()).toBe(recent - 6);
    // Sign-up entries (written now, long before NOW's cutoff) are untouched.
    expect(await test.prisma.auditEvent.count({ where: { action: 'user.signup' } })).toBe(2);
    expect((await retention.pruneExpired(NOW)).auditEvents).toBe(0);
  });

  it('works through a backlog in bounded batches', async () => {
    const expired = ago(400 * DAY);
    await insertEntries(owner.id, expired, 2_500);
    const maintenance = test.app.get(AuditMaintenance);
    const batches = jest.spyOn(maintenance, 'pruneExpiredBatch');

    expect((await retention.pruneExpired(NOW)).auditEvents).toBe(2_500);
    // 1,000 + 1,000 + 500: no statement deletes more than one batch.
    expect(
      await Promise.all(batches.mock.results.map((call) => call.value as Promise<number>)),
    ).toEqual([1_000, 1_000, 500]);
    batches.mockRestore();
    expect(await countAt(expired)).toBe(0);
  });

  it('leaves the trail append-only for everyone else: a plain DELETE or UPDATE is still refused', async () => {
    await insertEntries(owner.id, ago(400 * DAY), 1);
    const before = await test.prisma.auditEvent.count();

    // The system role outside a maintenance transaction: the trigger refuses.
    await expect(test.prisma.$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(
      /append-only/,
    );
    await expect(
      test.prisma.$executeRawUnsafe(`UPDATE audit_events SET action = 'tampered'`),
    ).rejects.toThrow(/append-only/);
    // The application role cannot delete even when it sets the maintenance flag itself.
    await expect(
      test.prisma.asOwner(owner.id, async (tx) => {
        await tx.$executeRawUnsafe(`SELECT set_config('intake.audit_maintenance', 'on', true)`);
        return tx.$executeRawUnsafe('DELETE FROM audit_events');
      }),
    ).rejects.toThrow(/permission denied/);
    expect(await test.prisma.auditEvent.count()).toBe(before);

    // Pruning's opt-in ends with its own transactions: the pooled connections it used do
    // not carry it into the next statement.
    expect((await retention.pruneExpired(NOW)).auditEvents).toBe(1);
    await expect(test.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await test.prisma.auditEvent.count()).toBe(before - 1);
  });
});
