import { maskEmails, maskEmailsDeep } from './mask-emails';

describe('maskEmails', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmails('login failed for jane.doe+tag@example.co.uk today')).toBe(
      'login failed for j***@example.co.uk today',
    );
  });

  it('masks every address in nested log records, leaving other values alone', () => {
    expect(
      maskEmailsDeep({
        user: { email: 'bob@example.com', id: 7 },
        list: ['a@b.io', 'plain'],
        ok: true,
      }),
    ).toEqual({
      user: { email: 'b***@example.com', id: 7 },
      list: ['a***@b.io', 'plain'],
      ok: true,
    });
  });
});
