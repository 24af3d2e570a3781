import request from 'supertest';
import { RetentionService } from '@intake/submissions';
import { RetentionRepository } from '../../libs/submissions/src/retention/retention.repository';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2027-06-01T12:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('retention', () => {
  let test: TestApp;
  let retention: RetentionService;
  let owner: ApiOwner;

  /** A submission stored directly, with the age under test. */
  async function insertSubmission(
    form: CreatedForm,
    userId: string,
    createdAt: Date,
  ): Promise<string> {
    const version = await test.prisma.formVersion.findFirstOrThrow({ where: { formId: form.id } });
    const submission = await test.prisma.submission.create({
      data: {
        formId: form.id,
        userId,
        formVersionId: version.id,
        formVersion: 1,
        data: { email: 'a@example.com' },
        metadata: {},
        createdAt,
      },
    });
    return submission.id;
  }

  beforeAll(async () => {
    test = await startTestApp();
    retention = test.app.get(RetentionService);
    owner = await apiOwner(test);
  });
  afterAll(() => test.close());

  it('deletes exactly the submissions past their form’s retention, for every owner', async () => {
    const weekly = await createForm(owner, { retention_days: 7 });
    const monthly = await createForm(owner, { retention_days: 30 });
    const forever = await createForm(owner);
    const other = await apiOwner(test);
    const othersWeekly = await createForm(other, { retention_days: 7 });

    const expired = [
      await insertSubmission(weekly, owner.id, ago(8 * DAY)),
      await insertSubmission(weekly, owner.id, ago(7 * DAY + MINUTE)),
      await insertSubmission(monthly, owner.id, ago(31 * DAY)),
      await insertSubmission(othersWeekly, other.id, ago(8 * DAY)),
    ];
    const kept = [
      await insertSubmission(weekly, owner.id, ago(7 * DAY - MINUTE)),
      await insertSubmission(weekly, owner.id, ago(DAY)),
      await insertSubmission(monthly, owner.id, ago(10 * DAY)),
      await insertSubmission(forever, owner.id, ago(1000 * DAY)),
      await insertSubmission(othersWeekly, other.id, ago(6 * DAY)),
    ];
    const [firstExpired] = expired;
    await test.prisma.submissionJob.create({ data: { submissionId: String(firstExpired) } });

    const result = await retention.pruneExpired(NOW);

    expect(result.submissions).toBe(expired.length);
    const remaining = await test.prisma.submission.findMany({
      where: { id: { in: [...expired, ...kept] } },
      select: { id: true },
    });
    expect(remaining.map((row) => row.id).sort()).toEqual([...kept].sort());
    expect(
      await test.prisma.submissionJob.count({ where: { submissionId: String(firstExpired) } }),
    ).toBe(0);
    // A second run finds nothing more.
    expect(await retention.pruneExpired(NOW)).toEqual({
      submissions: 0,
      idempotencyKeys: 0,
      auditEvents: 0,
      accountTokens: 0,
      oauthRecords: 0,
    });
  });

  it('deletes e-mailed tokens a day after they expire, used or not', async () => {
    const token = (label: string, expiresAt: Date, usedAt: Date | null = null) => ({
      userId: null,
      purpose: 'magic_link',
      email: `${label}@example.com`,
      tokenHash: Buffer.from(`${label}-${Math.random()}`),
      expiresAt,
      usedAt,
    });
    await test.prisma.accountToken.createMany({
      data: [
        token('long-expired', ago(25 * HOUR)),
        token('long-expired-used', ago(2 * DAY), ago(3 * DAY)),
        token('just-expired', ago(HOUR)),
        token('used-but-live', new Date(NOW.getTime() + 10 * MINUTE), ago(MINUTE)),
        token('live', new Date(NOW.getTime() + 10 * MINUTE)),
      ],
    });
    await retention.pruneExpired(NOW);
    const left = await test.prisma.accountToken.findMany({
      where: {
        email: {
          in: ['long-expired', 'long-expired-used', 'just-expired', 'used-but-live', 'live'].map(
            (l) => `${l}@example.com`,
          ),
        },
      },
      select: { email: true },
    });
    expect(left.map((row) => row.email).sort()).toEqual([
      'just-expired@example.com',
      'live@example.com',
      'used-but-live@example.com',
    ]);
  });

  it('works through a backlog larger than one batch', async () => {
    const daily = await createForm(owner, { retention_days: 1 });
    const version = await test.prisma.formVersion.findFirstOrThrow({ where: { formId: daily.id } });
    await test.prisma.$executeRawUnsafe(
      `INSERT INTO submissions (id, form_id, user_id, form_version_id, form_version, data, metadata, created_at)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, 1, '{}'::jsonb, '{}'::jsonb, $4::timestamptz - n * interval '1 second'
       FROM generate_series(1, 2500) AS n`,
      daily.id,
      owner.id,
      version.id,
      ago(2 * DAY),
    );
    const recent = await insertSubmission(daily, owner.id, ago(HOUR));

    const statements = jest.spyOn(
      test.app.get(RetentionRepository, { strict: false }),
      'deleteExpiredSubmissions',
    );
    expect((await retention.pruneExpired(NOW)).submissions).toBe(2500);
    // 1,000 + 1,000 + 500: no statement touches more than one batch.
    expect(
      await Promise.all(statements.mock.results.map((result) => result.value as Promise<number>)),
    ).toEqual([1000, 1000, 500]);
    statements.mockRestore();
    const left = await test.prisma.submission.findMany({
      where: { formId: daily.id },
      select: { id: true },
    });
    expect(left.map((row) => row.id)).toEqual([recent]);
  });

  it('keeps idempotency keys for 24 hours, then deletes them', async () => {
    const form = await createForm(owner);
    const key = (name: string, createdAt: Date) => ({
      formId: form.id,
      key: name,
      requestHash: Buffer.alloc(32, 1),
      submissionId: '00000000-0000-4000-8000-000000000000',
      createdAt,
    });
    await test.prisma.idempotencyKey.createMany({
      data: [
        key('old', ago(25 * HOUR)),
        key('just-expired', ago(24 * HOUR + 1000)),
        key('fresh', ago(23 * HOUR)),
      ],
    });

    expect((await retention.pruneExpired(NOW)).idempotencyKeys).toBe(2);
    const left = await test.prisma.idempotencyKey.findMany({
      where: { formId: form.id },
      select: { key: true },
    });
    expect(left).toEqual([{ key: 'fresh' }]);
  });

  it('removes a deleted form’s versions, submissions and jobs with it', async () => {
    const form = await createForm(owner, { ip_rate_limit: 0 });
    await request(test.url)
      .post(form.path)
      .send({ email: 'a@example.com', message: 'hello' })
      .expect(201);
    const submission = await test.prisma.submission.findFirstOrThrow({
      where: { formId: form.id },
    });
    expect(await test.prisma.submissionJob.count({ where: { submissionId: submission.id } })).toBe(
      1,
    );

    await owner.api('delete', `/api/forms/${form.id}`).expect(200);

    expect(await test.prisma.formVersion.count({ where: { formId: form.id } })).toBe(0);
    expect(await test.prisma.submission.count({ where: { formId: form.id } })).toBe(0);
    expect(await test.prisma.submissionJob.count({ where: { submissionId: submission.id } })).toBe(
      0,
    );
  });
});
