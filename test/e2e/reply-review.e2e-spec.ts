import { DeferredMail } from '@intake/auth';
import { signUp, type SignedInUser } from '../support/accounts';
import { startAiTestApp, type AiTestApp } from '../support/ai-test-app';
import type { CreatedForm } from '../support/forms';

/** A drafted reply's review and sending, over the bearer API and the dashboard page. */
describe('reviewing and sending smart replies', () => {
  let ai: AiTestApp;
  let stranger: SignedInUser;

  beforeAll(async () => {
    ai = await startAiTestApp();
    stranger = await signUp(ai.test);
    // Its verification mail goes out after the answer: let it land before tests count mail.
    await ai.test.app.get(DeferredMail).settled();
  });
  afterAll(() => ai.close());
  beforeEach(() => ai.reset());

  const draftForm = () =>
    ai.form({
      smart_reply_enabled: true,
      smart_replies_mode: 'draft',
      smart_reply_email_field: 'email',
      knowledge_base_id: ai.knowledgeBaseId,
    });

  async function drafted(target: CreatedForm, message = 'When are you open?'): Promise<string> {
    const id = await ai.submit(target, { email: 'ada@example.com', message });
    await ai.runner.drain();
    expect(await ai.submission(target, id)).toEqual(
      expect.objectContaining({ reply_status: 'awaiting_review' }),
    );
    ai.smtp.received.length = 0;
    return id;
  }

  const replyPath = (target: CreatedForm, id: string) =>
    `/api/forms/${target.id}/submissions/${id}/reply`;

  it('sends the owner’s edit of the draft once, as plain text to the submitted address', async () => {
    const target = await draftForm();
    const id = await drafted(target);
    const sent = await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Our hours', content: 'We are open 9 to 5, <b>Monday</b> to Friday.' })
      .expect(200);
    expect(sent.body.submission).toEqual(
      expect.objectContaining({
        reply_status: 'delivered',
        reply_subject: 'Our hours',
        reply_content: 'We are open 9 to 5, <b>Monday</b> to Friday.',
        replied_at: expect.any(String),
      }),
    );
    expect(ai.smtp.received).toHaveLength(1);
    const [mail] = ai.smtp.received;
    expect(mail?.rcptTo).toEqual(['ada@example.com']);
    expect(mail?.parsed.subject).toBe('Our hours');
    expect(mail?.parsed.html).toBe(false);
    expect(mail?.parsed.text?.trim()).toBe('We are open 9 to 5, <b>Monday</b> to Friday.');

    // Sent is sent: a second click is a conflict and mails nothing.
    const again = await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Again', content: 'Again' })
      .expect(409);
    expect(again.body.error.code).toBe('conflict');
    expect(ai.smtp.received).toHaveLength(1);

    const log = await ai.owner.agent.get('/account/audit-log?action=submission.reply_sent');
    expect(log.body.data).toEqual([
      expect.objectContaining({ action: 'submission.reply_sent', target_id: id }),
    ]);
  });

  it('lets the owner answer what the knowledge base could not', async () => {
    const target = await draftForm();
    ai.fake.answer = () => ({ answerable: false, subject: '', body: '' });
    const id = await ai.submit(target, { email: 'ada@example.com', message: 'Mars?' });
    await ai.runner.drain();
    await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Shipping', content: 'Not yet.' })
      .expect(200);
    expect(ai.smtp.received.map((mail) => mail.parsed.subject)).toEqual(['Shipping']);
  });

  it('refuses a submission without a reply, and malformed or hostile replies, clearly', async () => {
    const target = await ai.form({});
    const plain = await ai.submit(target, { email: 'ada@example.com', message: 'Hi' });
    await ai.runner.drain();
    expect(
      (
        await ai.owner
          .api('post', replyPath(target, plain))
          .send({ subject: 'Hi', content: 'Hello' })
          .expect(409)
      ).body.error.code,
    ).toBe('conflict');

    const draftTarget = await draftForm();
    const id = await drafted(draftTarget);
    const refusals: [unknown, string][] = [
      [{ subject: 'Two\r\nBcc: x@example.com', content: 'Hi' }, 'subject'],
      [{ subject: '', content: 'Hi' }, 'subject'],
      [{ subject: 'Hi', content: 'x'.repeat(20_001) }, 'content'],
      [{ subject: 'Hi', content: 42 }, 'content'],
      [{ subject: 'Hi', content: 'Hi', __proto__: { admin: true }, extra: 1 }, ''],
      [{ subject: { $gt: '' }, content: 'Hi' }, 'subject'],
    ];
    for (const [body, field] of refusals) {
      const response = await ai.owner
        .api('post', replyPath(draftTarget, id))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body))
        .expect(422);
      expect(response.body.error.code).toBe('validation_error');
      if (field) expect(Object.keys(response.body.error.details)).toContain(field);
      // Values are never echoed back.
      expect(JSON.stringify(response.body)).not.toContain('Bcc');
    }
    expect(ai.smtp.received).toHaveLength(0);
    expect((await ai.submission(draftTarget, id)).reply_status).toBe('awaiting_review');
  });

  it('turns a mail server’s refusal into 503 and delivery_failed, from which it can be sent again', async () => {
    const target = await draftForm();
    const id = await drafted(target);
    ai.smtp.refuseNext = true;
    const refused = await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Hours', content: '9 to 5' })
      .expect(503);
    expect(refused.body.error.code).toBe('unavailable');
    expect((await ai.submission(target, id)).reply_status).toBe('delivery_failed');
    await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Hours', content: '9 to 5' })
      .expect(200);
    expect(ai.smtp.received).toHaveLength(1);
  });

  it('lets a reply whose sending was interrupted be sent again once the claim is abandoned', async () => {
    const target = await draftForm();
    const id = await drafted(target);
    // What a process that stopped between claiming the reply and recording the outcome leaves.
    const claimedAgo = (minutes: number) =>
      ai.test.prisma.$executeRaw`UPDATE submissions SET reply_status = 'awaiting_delivery',
        updated_at = now() - make_interval(mins => ${minutes}) WHERE id = ${id}::uuid`;
    const page = () => ai.owner.agent.get(`/forms/${target.id}/submissions/${id}`).expect(200);

    await claimedAgo(1);
    expect((await page()).text).not.toContain('name="subject"');
    await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Hours', content: '9 to 5' })
      .expect(409);

    await claimedAgo(11);
    const offered = await page();
    expect(offered.text).toContain('Sending this reply was interrupted');
    expect(offered.text).toContain('name="subject"');
    await ai.owner
      .api('post', replyPath(target, id))
      .send({ subject: 'Hours', content: '9 to 5' })
      .expect(200);
    expect(ai.smtp.received).toHaveLength(1);
  });

  it('never lets another user read, send or change a reply', async () => {
    const target = await draftForm();
    const id = await drafted(target);
    await stranger.agent
      .post(`/forms/${target.id}/submissions/${id}/reply`)
      .type('form')
      .send({ _csrf: stranger.csrf, subject: 'Hijack', content: 'Hijack' })
      .expect(404);
    expect((await stranger.agent.get(`/forms/${target.id}/submissions/${id}`)).status).toBe(404);
    expect(ai.smtp.received).toHaveLength(0);
    expect((await ai.submission(target, id)).reply_content).toBe('We are open 9 to 5.');
  });

  it('shows the draft on the submission page, sends it from there, and escapes what was submitted', async () => {
    const target = await draftForm();
    const id = await drafted(target, '<img src=x onerror=alert(1)> When?');
    const page = await ai.owner.agent.get(`/forms/${target.id}/submissions/${id}`).expect(200);
    expect(page.text).toContain('name="subject" type="text" value="Our opening hours"');
    expect(page.text).toContain('We are open 9 to 5.</textarea>');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)> When?');
    expect(page.text).not.toContain('<img src=x');

    // A refused post shows the owner's words again, with the message, and sends nothing.
    const refused = await ai.owner.agent
      .post(`/forms/${target.id}/submissions/${id}/reply`)
      .type('form')
      .send({ _csrf: ai.owner.csrf, subject: '', content: 'My <words>' })
      .expect(422);
    expect(refused.text).toContain('My &lt;words></textarea>');
    expect(refused.text).toContain('role="alert"');

    const sent = await ai.owner.agent
      .post(`/forms/${target.id}/submissions/${id}/reply`)
      .type('form')
      .send({ _csrf: ai.owner.csrf, subject: 'Hours', content: 'Open 9 to 5.' })
      .expect(303);
    expect(sent.headers.location).toBe(`/forms/${target.id}/submissions/${id}?notice=reply_sent`);
    const after = await ai.owner.agent.get(sent.headers.location).expect(200);
    expect(after.text).toContain('Reply sent.');
    expect(after.text).not.toContain('name="subject"');
    expect(ai.smtp.received).toHaveLength(1);

    // Without the CSRF token nothing is sent.
    await ai.owner.agent
      .post(`/forms/${target.id}/submissions/${id}/reply`)
      .type('form')
      .send({ subject: 'Hours', content: 'Open' })
      .expect(403);
  });

  it('toggles between the original and the translated data', async () => {
    const target = await ai.form({ localisation_enabled: true });
    const id = await ai.submit(target, {
      email: 'marie@exemple.fr',
      message: 'Bonjour, je voudrais un devis pour 20 chaises.',
    });
    await ai.runner.drain();
    const base = `/forms/${target.id}/submissions/${id}`;
    const original = await ai.owner.agent.get(base).expect(200);
    expect(original.text).toContain('Bonjour, je voudrais');
    expect(original.text).toContain(`href="${base}?view=translated"`);
    const translated = await ai.owner.agent.get(`${base}?view=translated`).expect(200);
    expect(translated.text).toContain('EN: Hello, je voudrais un devis pour 20 chairs.');
    await ai.owner.agent.get(`${base}?view=__proto__`).expect(400);
  });
});
