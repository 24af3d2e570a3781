import request from 'supertest';
import { PASSWORD, signUp } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('per-IP login gate', () => {
  let test: TestApp;

  beforeEach(async () => {
    test = await startTestApp();
  });
  afterEach(() => test.close());

  const login = (email: string, password: string) =>
    request(test.url).post('/auth/login').send({ email, password });

  it('answers the 6th failed attempt within the window with 429 and Retry-After', async () => {
    const user = await signUp(test);
    for (let attempt = 1; attempt <= 5; attempt++)
      await login(user.email, `wrong password ${attempt}`).expect(401);
    const sixth = await login(user.email, 'wrong password 6').expect(429);
    expect(sixth.body.error.code).toBe('rate_limited');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // Even the right password is refused until the window passes.
    await login(user.email, PASSWORD).expect(429);
  });

  it('does not count successful sign-ins', async () => {
    const user = await signUp(test);
    for (let attempt = 0; attempt < 4; attempt++)
      await login(user.email, 'wrong password').expect(401);
    for (let attempt = 0; attempt < 8; attempt++) await login(user.email, PASSWORD).expect(200);
    await login(user.email, 'wrong password').expect(401);
    await login(user.email, 'wrong password').expect(429);
  });

  it('lets no more than 5 of 20 concurrent wrong attempts be checked', async () => {
    const user = await signUp(test);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(user.email, `wrong ${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    const failures = await test.prisma.auditEvent.count({
      where: { action: 'user.login.failed', userId: user.id },
    });
    expect(failures).toBe(5);
  });
});
