import { disposableDomainOf, emailDomain } from './disposable-domains';
import { checkStandardSpam } from './standard-spam-check';
import { inputOf, signalNames } from './spam-input.test-helper';

describe('disposable e-mail domains', () => {
  const check = (email: string) => checkStandardSpam(inputOf({ email, message: 'Hello' }));

  it('flags a listed domain, case and trailing dot aside, without calling it spam alone', () => {
    const verdict = check('Someone@MAILINATOR.com.');
    expect(verdict.reasons).toEqual(['field "email" uses disposable e-mail domain mailinator.com']);
    expect(verdict.spam).toBe(false);
  });

  it('flags subdomains of a listed domain', () => {
    expect(check('x@sub.mailinator.com').reasons).toEqual([
      'field "email" uses disposable e-mail domain sub.mailinator.com (under mailinator.com)',
    ]);
  });

  it('does not flag ordinary providers, lookalikes or malformed addresses', () => {
    for (const email of [
      'a@gmail.com',
      'a@proton.me',
      'a@xmailinator.com',
      'a@mailinator.com.example',
      'nope',
      'a@',
    ]) {
      expect(signalNames(check(email))).toEqual([]);
    }
  });

  it('normalises Unicode domains to ASCII and never matches a bare TLD', () => {
    expect(emailDomain('a@BÜCHER.example')).toBe('xn--bcher-kva.example');
    expect(emailDomain('a@b@c.example')).toBe('c.example');
    expect(disposableDomainOf('com')).toBeNull();
  });
});
