/**
 * How much of one field's text is analysed. Submissions are capped at 64 KiB by default but
 * the operator can raise that; every check here is linear, and the cap keeps even those
 * bounded so one huge field cannot make the worker slow. Spam shows itself early in a text.
 */
export const MAX_ANALYSED_CHARS = 20_000;

/**
 * The first MAX_ANALYSED_CHARS UTF-16 units of `text`, without splitting a surrogate pair
 * (half an emoji would be a lone surrogate that some regexes and hashing treat oddly).
 */
export function analysedPart(text: string): string {
  if (text.length <= MAX_ANALYSED_CHARS) return text;
  const last = text.charCodeAt(MAX_ANALYSED_CHARS - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? MAX_ANALYSED_CHARS - 1 : MAX_ANALYSED_CHARS;
  return text.slice(0, end);
}

/** Quotes a field name or value for a reason, short and on one line whatever it holds. */
export function quoted(value: string, max = 60): string {
  const oneLine = value.slice(0, max * 4).replace(/\s+/gu, ' ');
  const short = oneLine.length > max ? `${Array.from(oneLine).slice(0, max).join('')}…` : oneLine;
  return JSON.stringify(short);
}
