/** `2026-01-31T09:15:00.000Z` -> `2026-01-31 09:15 UTC`: the same on every screen. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** How a submitted value reads on screen: text as it is, anything else as JSON. */
export function displayValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** Longer values are cut in lists; the export has them whole. */
const MAX_SHOWN = 600;
