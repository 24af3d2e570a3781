import { isCalendarDate } from './calendar-date';
import type { FieldType } from './fields-schema';
import type { Literal } from './literal-types';
import { codePointLength, hasInvalidCharacters, MAX_TEXT_LENGTH, normalizeEmail } from './text';

/**
 * `json`: the body was JSON and types are strict. `form`: urlencoded or multipart, where every
 * value arrives as a string (or an array of strings for a repeated key) and is coerced.
 */
export type InputMode = 'json' | 'form';

/** Why a submitted value cannot be read as its field's type. One instance per message. */
export class ValueProblem {
  constructor(readonly message: string) {}
}

/** A value read as its field's type; `undefined` means "not filled". */
export type Coerced = Literal | undefined | ValueProblem;
export type Coercer = (raw: unknown, mode: InputMode) => Coerced;

const SINGLE_VALUE = new ValueProblem('must be a single value');
const INVALID_CHARACTERS = new ValueProblem('contains invalid characters');
const TOO_LONG = new ValueProblem('is too long');
const NOT_TEXT = new ValueProblem('must be text');
const NOT_EMAIL = new ValueProblem('must be a valid e-mail address');
const NOT_DATE = new ValueProblem('must be a date (YYYY-MM-DD)');
const NOT_NUMBER = new ValueProblem('must be a number');
const NOT_BOOLEAN = new ValueProblem('must be true or false');

/** Plain decimals only: no exponent, hex, `Infinity` or thousands separators in form posts. */
const DECIMAL = /^[-+]?\d+(?:\.\d+)?$/;
const FORM_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['on', true],
  ['1', true],
  ['yes', true],
  ['false', false],
  ['off', false],
  ['0', false],
  ['no', false],
]);

/** Trimmed text, `undefined` when blank, or why the value is not acceptable text. */
function readText(raw: unknown, mode: InputMode, notText: ValueProblem): string | Coerced {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string')
    return mode === 'form' && Array.isArray(raw) ? SINGLE_VALUE : notText;
  const text = raw.trim();
  if (text === '') return undefined;
  // UTF-16 length bounds the code point count from above: only long values need counting.
  if (text.length > MAX_TEXT_LENGTH && codePointLength(text) > MAX_TEXT_LENGTH) return TOO_LONG;
  return hasInvalidCharacters(text) ? INVALID_CHARACTERS : text;
}

const coerceString: Coercer = (raw, mode) => readText(raw, mode, NOT_TEXT);

const coerceEmail: Coercer = (raw, mode) => {
  const text = readText(raw, mode, NOT_EMAIL);
  if (typeof text !== 'string') return text;
  return normalizeEmail(text) ?? NOT_EMAIL;
};

const coerceDate: Coercer = (raw, mode) => {
  const text = readText(raw, mode, NOT_DATE);
  if (typeof text !== 'string') return text;
  return isCalendarDate(text) ? text : NOT_DATE;
};

const coerceNumber: Coercer = (raw, mode) => {
  if (raw === undefined || raw === null) return undefined;
  // JSON.parse turns 1e999 into Infinity: a JSON number is not necessarily finite.
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : NOT_NUMBER;
  if (mode === 'json' || typeof raw !== 'string') {
    return mode === 'form' && Array.isArray(raw) ? SINGLE_VALUE : NOT_NUMBER;
  }
  const text = raw.trim();
  if (text === '') return undefined;
  if (!DECIMAL.test(text)) return NOT_NUMBER;
  const value = Number(text);
  return Number.isFinite(value) ? value : NOT_NUMBER;
};

const coerceBoolean: Coercer = (raw, mode) => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return raw;
  if (mode === 'json' || typeof raw !== 'string') {
    return mode === 'form' && Array.isArray(raw) ? SINGLE_VALUE : NOT_BOOLEAN;
  }
  const text = raw.trim();
  if (text === '') return undefined;
  return FORM_BOOLEANS.get(text.toLowerCase()) ?? NOT_BOOLEAN;
};

export const COERCERS: Readonly<Record<FieldType, Coercer>> = {
  string: coerceString,
  email: coerceEmail,
  number: coerceNumber,
  boolean: coerceBoolean,
  date: coerceDate,
};

/** A honeypot is not validated: any non-blank value at all means a bot filled it. */
export function isPresent(raw: unknown): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'string') return raw.trim() !== '';
  if (Array.isArray(raw)) return raw.some(isPresent);
  return true;
}
