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

describe('per-account login gate', () => {
  let test: TestApp;

  beforeAll(async () => {
    // Behind a proxy, so each request can come from its own address.
    test = await startTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => test.close());

  const loginFrom = (ip: string, email: string, password: string) =>
    request(test.url).post('/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('stops guessing spread over many IPs at the 11th failure on one account', async () => {
    const user = await signUp(test);
    for (let attempt = 1; attempt <= 10; attempt++)
      await loginFrom(`198.51.100.${attempt}`, user.email, `wrong ${attempt}`).expect(401);
    const eleventh = await loginFrom('198.51.100.99', user.email, 'wrong 11').expect(429);
    expect(eleventh.body.error.code).toBe('rate_limited');
    // The account is gated, not the new address: another account still signs in from it.
    const other = await signUp(test);
    await loginFrom('198.51.100.99', other.email, PASSWORD).expect(200);
  });

  it('counts an unknown address exactly like a known one (no enumeration)', async () => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      const response = await loginFrom(`203.0.113.${attempt}`, 'nobody@example.com', 'wrong');
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
  });
});
