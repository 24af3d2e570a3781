import { toErrorResponse } from '@intake/common';
import { signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

const BOUND_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * DATABASE_STATEMENT_TIMEOUT_MS is the one bound on database work: it also caps a
 * transaction, in place of Prisma's own 5 s default (which used to cut a busy database's
 * export batches short while statements were still allowed 10 s).
 */
describe('transaction bounds', () => {
  let test: TestApp;
  let owner: SignedInUser;

  beforeAll(async () => {
    test = await startTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: String(BOUND_MS) });
    owner = await signUp(test);
  });
  afterAll(() => test.close());

  it('rolls back a transaction held past the bound, and reports it as 503 unavailable', async () => {
    const failure = await test.prisma
      .asOwner(owner.id, async (tx) => {
        await tx.user.update({ where: { id: owner.id }, data: { locale: 'held-too-long' } });
        await sleep(BOUND_MS * 3);
        await tx.user.findFirst();
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeDefined();
    expect(toErrorResponse(failure)).toEqual(
      expect.objectContaining({ status: 503, unexpected: false }),
    );
    const user = await test.prisma.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(user.locale).not.toBe('held-too-long');
  });

  it('lets a transaction within the bound commit', async () => {
    await test.prisma.asOwner(owner.id, (tx) =>
      tx.user.update({ where: { id: owner.id }, data: { locale: 'in-time' } }),
    );
    const user = await test.prisma.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(user.locale).toBe('in-time');
  });
});
