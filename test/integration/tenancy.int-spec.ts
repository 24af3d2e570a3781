import { PrismaService } from '@intake/database';
import { createApiKey, signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Row-level security is the second wall behind the repositories' owner filters: inside
 * `asOwner`, a query that forgets its `userId` filter still sees only that owner's rows.
 */
describe('tenant isolation by row-level security', () => {
  let test: TestApp;
  let prisma: PrismaService;
  let alice: SignedInUser;
  let bob: SignedInUser;

  beforeAll(async () => {
    test = await startTestApp();
    prisma = test.prisma;
    alice = await signUp(test);
    bob = await signUp(test);
    await createApiKey(alice, { name: 'alice key' });
    await createApiKey(bob, { name: 'bob key' });
  });
  afterAll(() => test.close());

  it('shows an unfiltered query only the owner’s rows, on every tenant table', async () => {
    const seen = await prisma.asOwner(alice.id, async (tx) => ({
      users: await tx.user.findMany(),
      sessions: await tx.session.findMany(),
      apiKeys: await tx.apiKey.findMany(),
      auditEvents: await tx.auditEvent.findMany(),
    }));
    expect(seen.users.map((user) => user.id)).toEqual([alice.id]);
    expect(seen.apiKeys.map((key) => key.name)).toEqual(['alice key']);
    for (const rows of [seen.sessions, seen.apiKeys, seen.auditEvents]) {
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.userId === alice.id)).toBe(true);
    }
    // The system context (no owner set) sees both, which is what proves the filter above came from RLS.
    expect(await prisma.apiKey.count()).toBe(2);
  });

  it('refuses to write a row for another owner', async () => {
    await expect(
      prisma.asOwner(alice.id, (tx) =>
        tx.apiKey.create({
          data: {
            userId: bob.id,
            name: 'planted',
            prefix: 'ik_live_xxxx',
            last4: 'xxxx',
            secretHash: Buffer.alloc(32, 7),
            scopes: [],
            allowedIps: [],
          },
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('cannot update or delete another owner’s rows even without a filter', async () => {
    const renamed = await prisma.asOwner(alice.id, (tx) =>
      tx.apiKey.updateMany({ data: { name: 'renamed' } }),
    );
    expect(renamed.count).toBe(1);
    const deleted = await prisma.asOwner(alice.id, (tx) =>
      tx.session.deleteMany({ where: { userId: bob.id } }),
    );
    expect(deleted.count).toBe(0);
    expect(await prisma.apiKey.count({ where: { name: 'bob key' } })).toBe(1);
  });

  it('sees nothing when no owner is set inside the application role', async () => {
    const rows = await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SELECT set_config('role', 'intake_app', true)");
      return tx.apiKey.findMany();
    });
    expect(rows).toEqual([]);
  });

  it('does not leak the owner context into the next use of a pooled connection', async () => {
    await prisma.asOwner(alice.id, (tx) => tx.apiKey.findMany());
    const roles = await Promise.all(
      Array.from(
        { length: 8 },
        () => prisma.$queryRaw<{ role: string; owner: string | null }[]>`
        SELECT current_user AS role, NULLIF(current_setting('intake.user_id', true), '') AS owner`,
      ),
    );
    for (const [row] of roles) {
      expect(row?.role).not.toBe('intake_app');
      expect(row?.owner).toBeNull();
    }
  });
});
