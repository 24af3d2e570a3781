/**
 * Escapes `raw` one code point at a time and cuts it to `max` UTF-16 units (what Slack and
 * Discord count), ending a cut text with `…`. Escaping first and cutting after could split
 * an escape (`&am`, a lone `\`) or a surrogate pair; this never does.
 */
export function escapeAndFit(raw: string, escape: (char: string) => string, max: number): string {
  const whole = Array.from(raw, escape).join('');
  if (whole.length <= max) return whole;
  let fitted = '';
  for (const char of raw) {
    const piece = escape(char);
    if (fitted.length + piece.length > max - 1) break;
    fitted += piece;
  }
  return `${fitted}…`;
}

export const asIs = (char: string): string => char;
