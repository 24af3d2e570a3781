import type { FieldType, Rule } from './fields-schema';
import { normalizeLiteral, type Predicate } from './conditions';
import type { Literal } from './literal-types';
import { compilePattern } from './pattern';
import { codePointLength, truncateCodePoints } from './text';

/** A rule other than `required`/`honeypot`: the message when a filled value breaks it. */
export type ValueCheck = (value: Literal) => string | undefined;

export interface CompiledRule {
  /** `undefined` when the rule always applies. */
  when: Predicate | undefined;
  check: ValueCheck;
}

const LISTED_VALUES = 10;
const LISTED_VALUE_LENGTH = 40;

/** `a, b, c` and, past ten values, `… (15 more)`: messages stay short whatever the list. */
function listOf(values: readonly Literal[]): string {
  const shown = values
    .slice(0, LISTED_VALUES)
    .map((value) => truncateCodePoints(String(value), LISTED_VALUE_LENGTH));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')}, … (${rest} more)` : shown.join(', ');
}

function characters(count: number): string {
  return count === 1 ? '1 character' : `${count} characters`;
}

/**
 * Builds a rule's check once per form version: literals normalised, sets built, regexes
 * compiled and messages formatted here, so that checking a value allocates nothing.
 * Values reaching a check already have the field's type (see coerce.ts).
 */
export function compileValueCheck(
  rule: Exclude<Rule, { op: 'required' | 'honeypot' }>,
  type: FieldType,
): ValueCheck {
  switch (rule.op) {
    case 'one_of':
    case 'not_one_of': {
      const values = rule.values.map((value) => normalizeLiteral(type, value));
      const set = new Set(values);
      const wanted = rule.op === 'one_of';
      const message = `${wanted ? 'must' : 'must not'} be one of: ${listOf(values)}`;
      return (value) => (set.has(value) === wanted ? undefined : message);
    }
    case 'min_length': {
      const message = `must be at least ${characters(rule.value)}`;
      const min = rule.value;
      return (value) => (codePointLength(String(value)) < min ? message : undefined);
    }
    case 'max_length': {
      const message = `must be at most ${characters(rule.value)}`;
      const max = rule.value;
      return (value) => (codePointLength(String(value)) > max ? message : undefined);
    }
    case 'min': {
      const message = `must be at least ${rule.value}`;
      const min = rule.value;
      return (value) => (typeof value === 'number' && value < min ? message : undefined);
    }
    case 'max': {
      const message = `must be at most ${rule.value}`;
      const max = rule.value;
      return (value) => (typeof value === 'number' && value > max ? message : undefined);
    }
    case 'pattern': {
      // Unanchored search, as in JSON Schema: anchor with ^...$ to match the whole value.
      const regex = compilePattern(rule.value);
      const message = 'does not match the required pattern';
      return (value) => (regex.test(String(value)) ? undefined : message);
    }
    case 'after': {
      const message = `must be after ${rule.value}`;
      const bound = rule.value;
      return (value) => (typeof value === 'string' && value <= bound ? message : undefined);
    }
    case 'before': {
      const message = `must be before ${rule.value}`;
      const bound = rule.value;
      return (value) => (typeof value === 'string' && value >= bound ? message : undefined);
    }
  }
}
