import { Logger } from '@nestjs/common';
import { DevMailbox } from './dev-mailbox';
import { LogMailer } from './log-mailer';
import { MailHeaderError } from './mail-headers';

describe('LogMailer', () => {
  let lines: unknown[];

  beforeEach(() => {
    lines = [];
    // Captures what reaches Nest's logger (pino in the apps); the mailer itself is real.
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      lines.push(message);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs one line with masked recipients and the subject, never the body', async () => {
    const mailbox = new DevMailbox();
    await new LogMailer(mailbox).send({
      to: ['jane.doe@example.com', 'bob@example.org'],
      subject: 'New submission to Contact',
      text: 'secret text body',
      html: '<p>secret html body</p>',
    });
    expect(lines).toHaveLength(1);
    const line = JSON.stringify(lines[0]);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        mail: expect.objectContaining({
          to: ['j***@example.com', 'b***@example.org'],
          subject: 'New submission to Contact',
        }),
      }),
    );
    expect(line).not.toContain('secret');
    expect(line).not.toContain('jane.doe');
    expect(mailbox.addressedTo('jane.doe@example.com')[0]?.text).toBe('secret text body');
  });

  it('refuses header injection before logging or keeping anything', async () => {
    const mailbox = new DevMailbox();
    await expect(
      new LogMailer(mailbox).send({
        to: 'ada@example.com',
        subject: 'Hi\r\nBcc: victim@example.com',
        text: 'x',
      }),
    ).rejects.toThrow(MailHeaderError);
    expect(lines).toEqual([]);
    expect(mailbox.addressedTo('ada@example.com')).toEqual([]);
  });
});
