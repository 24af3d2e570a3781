import { detectLanguage } from './language-detection';

describe('detectLanguage', () => {
  it.each([
    ['Hello, I would like a quote for twenty chairs for our new office.', 'en'],
    ['Bonjour, je voudrais un devis pour 20 chaises.', 'fr'],
    ['Guten Tag, ich hätte gerne ein Angebot für zwanzig Stühle.', 'de'],
    ['Hola, quisiera un presupuesto para veinte sillas, por favor.', 'es'],
  ])('names the language of %j', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it.each(['ok', 'Hi!', '12345 67890', 'https://example.com/a-long-path ada@example.com', ''])(
    'is unsure (null) about %j',
    (text) => {
      expect(detectLanguage(text)).toBeNull();
    },
  );

  it('ignores URLs and addresses when judging the prose', () => {
    expect(
      detectLanguage('Bonjour, je voudrais un devis. https://example.com/english-words-here'),
    ).toBe('fr');
  });
});
