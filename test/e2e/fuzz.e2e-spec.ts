import fc from 'fast-check';
import request from 'supertest';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { expectDocumentedError } from '../support/error-shape';
import { CONTACT_SCHEMA, createForm, type CreatedForm } from '../support/forms';
import {
  anyJsonValue,
  contentType,
  deepText,
  fuzzOptions,
  hostileString,
  jsonBodies,
  objectText,
  orAnything,
  queryString,
  rawBody,
  urlWithoutDns,
} from '../support/fuzz-arbitraries';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Property-based abuse of the public ingest endpoint and the bearer API: whatever arrives,
 * the answer is a success or API.md's error shape with its code's status (never a 5xx), a
 * refused submission stores nothing, and the process ends healthy with Object.prototype
 * intact. bad-input.e2e-spec.ts holds hand-picked cases of the account endpoints.
 * A failure prints its seed: `FUZZ_SEED=<seed>` replays the same inputs.
 */
const RUNS = 250;

/** A body each management endpoint accepts, by `${method} ${resource}`. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'post form': {
    name: 'Fuzzed',
    slug: 'fuzz-example',
    fields_schema: { fields: [{ name: 'email', type: 'email', rules: [{ op: 'required' }] }] },
  },
  'put form': { name: 'Renamed by the fuzzer' },
  'post knowledge_base': { name: 'FAQ', content: 'We are open 9 to 5.' },
  'post destination': { type: 'webhook', name: 'Hook', url: 'https://93.184.215.14/hook' },
};

/** A form with a field of every type and most rule kinds, a condition included. */
const TYPED_SCHEMA = {
  fields: [
    { name: 'email', type: 'email', rules: [{ op: 'required' }] },
    { name: 'name', type: 'string', rules: [{ op: 'max_length', value: 100 }] },
    {
      name: 'age',
      type: 'number',
      rules: [
        { op: 'min', value: 0 },
        { op: 'max', value: 150 },
      ],
    },
    { name: 'subscribed', type: 'boolean', rules: [] },
    { name: 'start', type: 'date', rules: [{ op: 'after', value: '2000-01-01' }] },
    { name: 'plan', type: 'string', rules: [{ op: 'one_of', values: ['free', 'pro'] }] },
    { name: 'code', type: 'string', rules: [{ op: 'pattern', value: '^[A-Z]{3}-[0-9]{3}$' }] },
    {
      name: 'message',
      type: 'string',
      rules: [{ op: 'required', when: { field: 'plan', is: 'eq', value: 'pro' } }],
    },
    { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
  ],
};
const FIELD_NAMES = TYPED_SCHEMA.fields.map((field) => field.name);

const calendarDay = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** What an honest client sends, now and then with a value of another type. */
const submission = fc.record(
  {
    email: orAnything(fc.stringMatching(/^[a-z0-9]{1,12}$/).map((local) => `${local}@example.com`)),
    name: orAnything(fc.string({ maxLength: 100 })),
    age: orAnything(fc.integer({ min: 0, max: 150 })),
    subscribed: orAnything(fc.boolean()),
    start: orAnything(calendarDay),
    plan: orAnything(fc.constantFrom('free', 'pro')),
    code: orAnything(fc.stringMatching(/^[A-Z]{3}-[0-9]{3}$/)),
    message: orAnything(fc.string({ minLength: 1, maxLength: 200 })),
  },
  { requiredKeys: ['email', 'message'] },
);

const submissionBody = fc.oneof(
  { weight: 9, arbitrary: jsonBodies(submission, FIELD_NAMES) },
  { weight: 1, arbitrary: deepText.map((deep) => objectText([['website', deep]])) },
);

const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,300}$/);

const regexSource = fc.oneof(
  fc.constantFrom('(a+)+$', '(a|aa)*b', '\\p{L}+', '(?i)abc', 'a{99999}', '(?<x>a)\\k<x>', '['),
  fc.string({
    unit: fc.constantFrom('(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '\\', '^', '$', '.'),
    maxLength: 12,
  }),
);

const rule = fc.record(
  {
    op: orAnything(fc.constantFrom('required', 'honeypot', 'one_of', 'min_length', 'pattern')),
    value: fc.oneof(fc.integer(), calendarDay, regexSource, anyJsonValue),
    values: orAnything(fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 })),
    when: orAnything(
      fc.record({
        field: fc.constantFrom(...FIELD_NAMES),
        is: fc.constantFrom('eq', 'gt', 'one_of', 'filled', 'nope'),
        value: anyJsonValue,
      }),
    ),
  },
  { requiredKeys: ['op'] },
);
/** The contact form's schema, or one of hostile fields and rules (regexes included). */
const fieldsSchema = fc.oneof(
  fc.constant(CONTACT_SCHEMA),
  fc.record({
    fields: fc.array(
      fc.record(
        {
          name: orAnything(fc.constantFrom(...FIELD_NAMES, '__proto__', 'a b', '')),
          type: orAnything(fc.constantFrom('string', 'email', 'number', 'boolean', 'date')),
          rules: orAnything(fc.array(rule, { maxLength: 3 })),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 4 },
    ),
  }),
);

const FORM = {
  names: [
    'name',
    'slug',
    'visibility',
    'fields_schema',
    'spam_protection_enabled',
    'allowed_origins',
    'redirect_url',
    'retention_days',
    'notify_emails',
    'ip_rate_limit',
    'knowledge_base_id',
  ],
  valid: fc.record(
    {
      name: orAnything(fc.string({ minLength: 1, maxLength: 100 })),
      slug: orAnything(fc.stringMatching(/^[a-z0-9]{1,20}(?:-[a-z0-9]{1,20}){0,2}$/)),
      visibility: orAnything(fc.constantFrom('public', 'private')),
      fields_schema: fieldsSchema,
      spam_protection_enabled: orAnything(fc.boolean()),
      allowed_origins: orAnything(
        fc.array(fc.constantFrom('https://example.com', 'http://localhost:3000'), { maxLength: 2 }),
      ),
      redirect_url: orAnything(fc.oneof(fc.constant('https://example.com/thanks'), urlWithoutDns)),
      retention_days: orAnything(fc.integer({ min: 1, max: 3650 })),
      notify_emails: orAnything(fc.array(fc.constantFrom('owner@example.com'), { maxLength: 1 })),
      ip_rate_limit: orAnything(fc.integer({ min: 0, max: 1000 })),
    },
    { requiredKeys: ['name', 'slug'] },
  ),
};
const KNOWLEDGE_BASE = {
  names: ['name', 'content'],
  valid: fc.record({
    name: orAnything(fc.string({ minLength: 1, maxLength: 100 })),
    content: orAnything(hostileString),
  }),
};
const DESTINATION = {
  names: ['type', 'name', 'url', 'include_spam'],
  valid: fc.record(
    {
      type: orAnything(fc.constantFrom('webhook', 'slack', 'discord')),
      name: orAnything(fc.string({ minLength: 1, maxLength: 100 })),
      // A public address as a literal: accepted without a DNS lookup.
      url: fc.oneof(fc.constant('https://93.184.215.14/hooks/intake'), urlWithoutDns),
      include_spam: orAnything(fc.boolean()),
    },
    { requiredKeys: ['type', 'name', 'url'] },
  ),
};

const SUBMISSION_QUERY = {
  filter: ['inbox', 'spam', 'all'],
  search: ['hello', 'ada@example.com'],
  reply_status: ['awaiting_review', 'delivered'],
  processing_status: ['pending', 'failed'],
  sort_by: ['created_at', 'id'],
  sort_order: ['asc', 'desc'],
  page: ['1', '2'],
  page_size: ['20', '50'],
  format: ['csv', 'ndjson'],
};

interface Target {
  method: 'post' | 'put';
  path: string;
  /** The key a success answer wraps the resource in; none for the public endpoint. */
  resource?: string;
  body: fc.Arbitrary<string>;
}

describe('fuzzing the public endpoint and the bearer API', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  /** A form the API properties may change (PUT, destinations), apart from the ingest one. */
  let managed: CreatedForm;
  let accepted = 0;
  const successes = new Map<string, number>();
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

  beforeAll(async () => {
    test = await startTestApp({
      API_KEY_RATE_LIMIT_PER_MINUTE: '1000000',
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    owner = await apiOwner(test);
    form = await createForm(owner, { fields_schema: TYPED_SCHEMA, ip_rate_limit: 0 });
    managed = await createForm(owner, { ip_rate_limit: 0 });
  });
  afterAll(() => test.close());

  /** Built once the app is up: their paths hold ids. */
  const managementTargets = (): Target[] => [
    { method: 'post', path: '/api/forms', resource: 'form', ...bodies(FORM) },
    { method: 'put', path: `/api/forms/${managed.id}`, resource: 'form', ...bodies(FORM) },
    {
      method: 'post',
      path: '/api/knowledge_bases',
      resource: 'knowledge_base',
      ...bodies(KNOWLEDGE_BASE),
    },
    {
      method: 'post',
      path: `/api/forms/${managed.id}/destinations`,
      resource: 'destination',
      ...bodies(DESTINATION),
    },
  ];
  const bodies = (shape: { names: string[]; valid: fc.Arbitrary<Record<string, unknown>> }) => ({
    body: jsonBodies(shape.valid, shape.names),
  });

  const stored = () => test.prisma.submission.count({ where: { formId: form.id } });

  /** A submission answer: acknowledged (and counted), or a documented refusal (nothing stored). */
  async function expectIngestAnswer(response: request.Response): Promise<void> {
    expect(response.status).toBeLessThan(500);
    if (response.status === 201 || response.status === 200) {
      expect(response.body).toEqual({
        id: expect.any(String),
        data: expect.any(Object),
        created_at: expect.any(String),
      });
    } else if (response.status === 303) {
      expect(response.headers.location).toMatch(/\/thanks$/);
    } else {
      expectDocumentedError(response);
    }
    // A replay (200) returns the submission it stored before.
    if (response.status === 201 || response.status === 303) accepted += 1;
    expect(await stored()).toBe(accepted);
  }

  /** A management answer: the resource under its name, or a documented refusal. */
  function expectApiAnswer(response: request.Response, target: Omit<Target, 'body'>): void {
    expect(response.status).toBeLessThan(500);
    if (response.status >= 300) {
      expectDocumentedError(response);
      return;
    }
    expect(Object.keys(response.body)).toContain(target.resource);
    const key = `${target.method} ${target.resource}`;
    successes.set(key, (successes.get(key) ?? 0) + 1);
  }

  it('answers any JSON submission with 201 or a documented 4xx, storing only what it acknowledges', async () => {
    await fc.assert(
      fc.asyncProperty(submissionBody, fc.option(headerValue), async (body, key) => {
        const call = request(test.url).post(form.path).set('Content-Type', 'application/json');
        if (key !== null) call.set('Idempotency-Key', key);
        await expectIngestAnswer(await call.send(body));
      }),
      fuzzOptions(RUNS),
    );
    // Some bodies were valid: the property reached storage too.
    expect(accepted).toBeGreaterThan(0);
  });

  it('answers hostile management bodies with the resource or a documented 4xx', async () => {
    const targets = managementTargets();
    // By index: a counterexample then prints the index and the body, not the arbitraries.
    const call = fc
      .nat({ max: targets.length - 1 })
      .chain((index) => fc.tuple(fc.constant(index), targets[index]!.body));
    // One valid body per endpoint first: the generated ones are valid only by chance (every
    // field may be hostile), and the success path must be walked on every seed.
    const examples = targets.map((target, index): [[number, unknown]] => [
      [index, VALID_BODIES[`${target.method} ${target.resource}`]],
    ]);
    await fc.assert(
      fc.asyncProperty(call, async ([index, body]) => {
        const target = targets[index]!;
        const response = await owner
          .api(target.method, target.path)
          .set('Content-Type', 'application/json')
          .send(body);
        expectApiAnswer(response, target);
      }),
      { ...fuzzOptions(RUNS), examples },
    );
    // Every endpoint also took some bodies: the properties reach past validation.
    expect([...successes.keys()].sort()).toEqual([
      'post destination',
      'post form',
      'post knowledge_base',
      'put form',
    ]);
  });

  it('answers raw bytes of any content type, at the endpoint and the API, without a 5xx', async () => {
    const targets: Omit<Target, 'body'>[] = [
      { method: 'post', path: form.path },
      ...managementTargets(),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: targets.length - 1 }),
        contentType,
        rawBody(FIELD_NAMES),
        async (index, type, body) => {
          const target = targets[index]!;
          if (!target.resource) {
            const response = await request(test.url)
              .post(target.path)
              .set('Content-Type', type)
              .send(body);
            return expectIngestAnswer(response);
          }
          const response = await owner
            .api(target.method, target.path)
            .set('Content-Type', type)
            .send(body);
          expectApiAnswer(response, target);
        },
      ),
      fuzzOptions(RUNS),
    );
  });

  it('answers any submissions query string with a page, an export or 400', async () => {
    await request(test.url)
      .post(form.path)
      .send({ email: 'ada@example.com', message: 'hello <b>world</b>' })
      .expect(201);
    accepted += 1;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), queryString(SUBMISSION_QUERY), async (exported, query) => {
        const path = `/api/forms/${form.id}/submissions${exported ? '/export' : ''}?${query}`;
        const response = await owner.api('get', path).buffer(true);
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) {
          expectDocumentedError(response);
        } else if (exported) {
          expect(response.headers['content-type']).toMatch(/^(text\/csv|application\/x-ndjson)/);
        } else {
          expect(response.body).toEqual({ data: expect.any(Array), meta: expect.any(Object) });
        }
      }),
      fuzzOptions(RUNS),
    );
  });

  it('is still ready, and Object.prototype is untouched', async () => {
    await request(test.url).get('/readyz').expect(200);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeNames);
    for (const name of ['isAdmin', 'polluted', 'x', 'a']) {
      expect(({} as Record<string, unknown>)[name]).toBeUndefined();
    }
    expect(await stored()).toBe(accepted);
  });
});
