import { signUp } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('audit trail', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('records sign-up, sign-in and key events with actor, ip, user agent and request id', async () => {
    const user = await signUp(test);
    await user.agent
      .post('/account/api-keys')
      .set('X-CSRF-Token', user.csrf)
      .set('User-Agent', 'audit-test/1.0')
      .send({ name: 'k' })
      .expect(201);
    const events = await test.prisma.auditEvent.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((event) => event.action)).toEqual(['user.signup', 'api_key.created']);
    const created = events[1];
    expect(created).toEqual(
      expect.objectContaining({
        userAgent: 'audit-test/1.0',
        targetType: 'api_key',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        requestId: expect.any(String),
      }),
    );
  });

  it('refuses UPDATE and DELETE to the application role', async () => {
    const user = await signUp(test);
    for (const statement of [
      'UPDATE audit_events SET action = $1',
      'DELETE FROM audit_events WHERE action <> $1',
    ]) {
      await expect(
        test.prisma.asOwner(user.id, (tx) => tx.$executeRawUnsafe(statement, 'tampered')),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('refuses UPDATE and DELETE to every other role too, unless a maintenance transaction opts in', async () => {
    const user = await signUp(test);
    await expect(
      test.prisma.auditEvent.updateMany({
        where: { userId: user.id },
        data: { action: 'tampered' },
      }),
    ).rejects.toThrow(/append-only/);
    await expect(test.prisma.auditEvent.deleteMany({ where: { userId: user.id } })).rejects.toThrow(
      /append-only/,
    );

    const pruned = await test.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL intake.audit_maintenance = 'on'");
      return tx.auditEvent.deleteMany({ where: { userId: user.id } });
    });
    expect(pruned.count).toBe(1);
  });
});
