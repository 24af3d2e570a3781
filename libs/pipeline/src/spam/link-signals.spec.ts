import { extractAnchors, mismatchOf } from './html-anchors';
import { extractUrls } from './links';
import { checkMessage, signalNames } from './spam-input.test-helper';

describe('link signals', () => {
  describe('many_links', () => {
    it('flags more than two distinct links across the text fields', () => {
      const verdict = checkMessage('See https://a.example/1, http://b.example and www.c.example.', {
        name: 'https://d.example',
      });
      expect(verdict.reasons).toEqual(['4 links in the text (more than 2)']);
    });

    it('does not flag two links, or one link repeated', () => {
      const text =
        'Docs: https://a.example/docs and https://a.example/docs. Also https://b.example';
      expect(signalNames(checkMessage(text))).toEqual([]);
    });
  });

  describe('url_shortener', () => {
    it('flags shortened links, with or without scheme and www', () => {
      expect(checkMessage('Look: https://bit.ly/abc').reasons).toEqual([
        'links through URL shortener bit.ly',
      ]);
      expect(signalNames(checkMessage('Look: www.tinyurl.com/xyz'))).toEqual(['url_shortener']);
      expect(signalNames(checkMessage('See HTTPS://T.CO/x'))).toEqual(['url_shortener']);
    });

    it('does not flag domains that merely end in the same letters', () => {
      expect(signalNames(checkMessage('https://orbit.ly/x and https://mist.co/y'))).toEqual([]);
    });
  });

  describe('mismatched_anchor', () => {
    it('flags anchor text naming another site than the href', () => {
      const verdict = checkMessage(
        'Verify: <a class="btn" href=\'https://paypal.com.evil.example/login\'>https://www.paypal.com</a>',
      );
      expect(verdict.spam).toBe(true);
      expect(verdict.reasons[0]).toBe(
        'link text shows www.paypal.com but leads to paypal.com.evil.example',
      );
    });

    it('sees through entities and inner tags in the text', () => {
      const [anchor] = extractAnchors('<A HREF=http://evil.example><b>paypal&#46;com</b></A>');
      expect(mismatchOf(anchor!)).toEqual({ shownHost: 'paypal.com', targetHost: 'evil.example' });
    });

    it('compares Unicode domains in their ASCII form', () => {
      const [anchor] = extractAnchors(
        '<a href="https://xn--bcher-kva.example/">bücher.example/</a>',
      );
      expect(mismatchOf(anchor!)).toBeNull();
    });

    it.each([
      ['same site', '<a href="https://example.com/a">example.com</a>'],
      ['www and subdomain', '<a href="https://shop.example.com">www.example.com</a>'],
      ['plain words', '<a href="https://evil.example">click to continue</a>'],
      ['a library name, not a domain', '<a href="https://nodejs.org">Node.js</a>'],
      ['a relative link', '<a href="/login">paypal.com</a>'],
      ['no href', '<a name="x">paypal.com</a>'],
    ])('does not flag %s', (_case, html) => {
      expect(signalNames(checkMessage(html))).not.toContain('mismatched_anchor');
    });

    it('stays linear on broken and hostile markup', () => {
      const hostile = `${'<a href="'.repeat(5_000)}${'<a>'.repeat(5_000)}${'</a'.repeat(5_000)}`;
      const started = performance.now();
      extractAnchors(hostile);
      extractUrls(`${'http://'.repeat(3_000)}`);
      expect(performance.now() - started).toBeLessThan(500);
    });
  });

  it('extracts URLs without trailing punctuation', () => {
    expect(extractUrls('(see https://a.example/x?y=1), then www.b.example.')).toEqual([
      'https://a.example/x?y=1',
      'www.b.example',
    ]);
  });
});
