import { checkMessage, contactFields, inputOf, signalNames } from './spam-input.test-helper';
import { checkStandardSpam } from './standard-spam-check';

describe('content signals', () => {
  describe('all_caps', () => {
    it('flags a message that is mostly capitals', () => {
      const verdict = checkMessage('PLEASE CALL ME BACK ABOUT MY ORDER TODAY');
      expect(signalNames(verdict)).toEqual(['all_caps']);
      expect(verdict.reasons).toEqual(['field "message" is 100% capital letters']);
    });

    it('does not flag normal case, or short capitals like a name or acronym', () => {
      expect(signalNames(checkMessage('Please call me back about my NASA order today'))).toEqual(
        [],
      );
      expect(signalNames(checkMessage('OK THANKS', { name: 'JOHN SMITH' }))).toEqual([]);
    });

    it('does not count letters without case: CJK text and emoji are never shouting', () => {
      const cjk =
        '你好，我想预订下周二的会议室，谢谢你们的帮助。请尽快回复我，非常感谢您的支持与合作。';
      expect(signalNames(checkMessage(cjk))).toEqual([]);
      expect(signalNames(checkMessage(`${'🎉🚀'.repeat(30)} OK`))).toEqual([]);
      // A few Latin capitals among CJK stay below the minimum of cased letters.
      expect(signalNames(checkMessage(`${cjk} ABC DEF GHI`))).toEqual([]);
    });

    it('reads fullwidth and mathematical capitals as the capitals they show', () => {
      expect(
        signalNames(checkMessage('ＰＬＥＡＳＥ ＣＡＬＬ ＭＥ ＢＡＣＫ ＮＯＷ ＴＯＤＡＹ')),
      ).toEqual(['all_caps']);
      expect(signalNames(checkMessage('𝐏𝐋𝐄𝐀𝐒𝐄 𝐂𝐀𝐋𝐋 𝐌𝐄 𝐁𝐀𝐂𝐊 𝐍𝐎𝐖 𝐓𝐎𝐃𝐀𝐘'))).toEqual(['all_caps']);
    });

    it('counts Greek and Cyrillic capitals', () => {
      expect(signalNames(checkMessage('ΠΑΡΑΚΑΛΩ ΚΑΛΕΣΤΕ ΜΕ ΑΥΡΙΟ ΤΟ ΠΡΩΙ'))).toEqual(['all_caps']);
      expect(signalNames(checkMessage('Пожалуйста, перезвоните мне завтра утром'))).toEqual([]);
    });
  });

  describe('repeated_characters', () => {
    it('flags a run of ten or more of one character, emoji included', () => {
      expect(checkMessage('Great!!!!!!!!!!!!').reasons).toEqual([
        'field "message" repeats "!" 12 times in a row',
      ]);
      expect(signalNames(checkMessage(`so good ${'😂'.repeat(10)}`))).toEqual([
        'repeated_characters',
      ]);
    });

    it('does not flag shorter runs, ruler lines, digits or spaces', () => {
      const text = `Wow!!! Sooo good\n${'-'.repeat(40)}\n${'='.repeat(20)}\nRef 100000000000${' '.repeat(30)}end`;
      expect(signalNames(checkMessage(text))).toEqual([]);
    });
  });

  describe('spam_phrase', () => {
    it('flags known phrases case-insensitively and scores each distinct one, up to three', () => {
      const one = checkMessage('Best CASINO bonus');
      expect(one.reasons).toEqual(['known spam phrases: "casino"']);
      const many = checkMessage('Buy now! Free money at the casino, viagra too. Click-here.');
      const phrase = many.signals.find(({ name }) => name === 'spam_phrase');
      expect(phrase?.score).toBeCloseTo(3 * 0.6);
      expect(phrase?.detail).toContain('"click here"');
    });

    it('matches whole words only', () => {
      expect(
        signalNames(checkMessage('We met at Casinopolis and talked about buying nowhere')),
      ).toEqual([]);
    });
  });

  describe('script and HTML in plain text', () => {
    it.each([
      '<script>alert(1)</script>',
      '< script src=//x.example/a.js>',
      '<img src=x onerror=alert(1)>',
      '<a href="JavaScript:alert(1)">x</a>',
      '<iframe src="//x.example">',
    ])('flags script markup: %s', (text) => {
      expect(signalNames(checkMessage(text))).toEqual(['script_in_text']);
    });

    it('flags other tags as HTML, not script', () => {
      expect(signalNames(checkMessage('<b>Hello</b> <div>there</div>'))).toEqual(['html_in_text']);
    });

    it('does not flag prose with angle brackets or the word "on"', () => {
      const text = 'I <3 this; 2 < 5 and 7 > 3. Click on = the button, then onward.';
      expect(signalNames(checkMessage(text))).toEqual([]);
    });

    it('reads only plain text fields: e-mail, date and number fields are not prose', () => {
      const fields = [...contactFields, { name: 'code', type: 'number' as const, rules: [] }];
      const verdict = checkStandardSpam(
        inputOf(
          { email: '<script>@example.org', visit_date: '<b>2026</b>', code: 5, message: 'hi' },
          { fields },
        ),
      );
      expect(signalNames(verdict)).toEqual([]);
    });
  });
});
