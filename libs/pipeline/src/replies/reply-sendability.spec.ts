import { ABANDONED_REPLY_CLAIM_MS, canSendReply } from './reply-sendability';

describe('canSendReply', () => {
  const now = new Date('2026-12-03T12:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const reply = (
    reply_status: Parameters<typeof canSendReply>[0]['reply_status'],
    updated_at = ago(0),
    spam = false,
  ) => ({ reply_status, updated_at, spam });

  it.each(['awaiting_review', 'needs_human_reply', 'delivery_failed'] as const)(
    'offers %s',
    (status) => expect(canSendReply(reply(status), now)).toBe(true),
  );

  it.each(['delivered', 'skipped', null] as const)('does not offer %s', (status) =>
    expect(canSendReply(reply(status), now)).toBe(false),
  );

  it('never offers a spam submission', () =>
    expect(canSendReply(reply('awaiting_review', ago(0), true), now)).toBe(false));

  it('offers a claim only once it is abandoned', () => {
    expect(canSendReply(reply('awaiting_delivery', ago(ABANDONED_REPLY_CLAIM_MS - 1)), now)).toBe(
      false,
    );
    expect(canSendReply(reply('awaiting_delivery', ago(ABANDONED_REPLY_CLAIM_MS + 1)), now)).toBe(
      true,
    );
  });
});
