import { DEV_MAILBOX_SIZE, DevMailbox } from './dev-mailbox';

describe('DevMailbox', () => {
  it('returns only the mail addressed to the asked address, newest first', () => {
    const mailbox = new DevMailbox();
    mailbox.keep({ to: 'Ada@Example.com', subject: 'one', text: '1' });
    mailbox.keep({ to: 'bob@example.com', subject: 'not for ada', text: '2' });
    mailbox.keep({
      to: ['"Ada L." <ada@example.com>', 'c@example.com'],
      subject: 'two',
      text: '3',
    });
    expect(mailbox.addressedTo('ada@example.com').map((mail) => mail.subject)).toEqual([
      'two',
      'one',
    ]);
    expect(mailbox.addressedTo('nobody@example.com')).toEqual([]);
  });

  it('does not match an address that merely contains the asked one', () => {
    const mailbox = new DevMailbox();
    mailbox.keep({ to: 'xada@example.com', subject: 'x', text: 'x' });
    expect(mailbox.addressedTo('ada@example.com')).toEqual([]);
  });

  it(`keeps the last ${DEV_MAILBOX_SIZE} messages only`, () => {
    const mailbox = new DevMailbox();
    for (let i = 0; i < DEV_MAILBOX_SIZE + 5; i += 1) {
      mailbox.keep({ to: 'ada@example.com', subject: `m${i}`, text: '' });
    }
    const kept = mailbox.addressedTo('ada@example.com');
    expect(kept).toHaveLength(DEV_MAILBOX_SIZE);
    expect(kept[0]?.subject).toBe(`m${DEV_MAILBOX_SIZE + 4}`);
    expect(kept.at(-1)?.subject).toBe('m5');
  });
});
