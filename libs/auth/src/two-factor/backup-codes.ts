import { randomInt, timingSafeEqual } from 'node:crypto';

export const BACKUP_CODE_COUNT = 10;
/** Crockford-style alphabet: no 0/o, 1/l/i to misread when typing a code from paper. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 5;

/** One backup code and whether it was spent; the whole list is stored sealed. */
export interface BackupCode {
  code: string;
  usedAt: string | null;
}

/** Ten codes of 10 characters (about 49 bits each), shown as `xxxxx-xxxxx`. */
export function generateBackupCodes(): BackupCode[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => ({
    code: Array.from({ length: GROUP * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    usedAt: null,
  }));
}

export function formatBackupCode(code: string): string {
  return `${code.slice(0, GROUP)}-${code.slice(GROUP)}`;
}

/** What a person may type: any case, with or without the dash and spaces. */
export function normalizeBackupCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * The index of the unused code matching `input`, or -1. Every stored code is compared in
 * constant time, so the time taken says nothing about how close a guess was.
 */
export function findUnusedBackupCode(codes: readonly BackupCode[], input: string): number {
  const typed = Buffer.from(normalizeBackupCode(input));
  let found = -1;
  codes.forEach((entry, index) => {
    const stored = Buffer.from(entry.code);
    const same = stored.length === typed.length && timingSafeEqual(stored, typed);
    if (same && entry.usedAt === null) found = index;
  });
  return found;
}
