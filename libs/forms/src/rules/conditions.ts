import type { Condition, FieldType } from './fields-schema';
import type { Literal } from './literal-types';
import { normalizeEmail } from './text';

/** Coerced values of a submission by field position; `undefined` when not filled or invalid. */
export type SubmittedValues = readonly (Literal | undefined)[];
export type Predicate = (values: SubmittedValues) => boolean;

/**
 * Schema literals are compared with coerced values, which are trimmed and (for e-mail) have a
 * lower-case domain; literals get the same treatment once here so that equal means equal.
 */
export function normalizeLiteral(type: FieldType, value: Literal): Literal {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return type === 'email' ? (normalizeEmail(text) ?? text) : text;
}

/** Numbers compare numerically; dates are `YYYY-MM-DD`, whose string order is date order. */
function order(value: Literal | undefined, target: Literal): number | undefined {
  if (typeof value === 'number' && typeof target === 'number') return value - target;
  if (typeof value === 'string' && typeof target === 'string') {
    return value < target ? -1 : value > target ? 1 : 0;
  }
  return undefined;
}

const ORDERED: Readonly<Record<'gt' | 'lt' | 'gte' | 'lte', (sign: number) => boolean>> = {
  gt: (sign) => sign > 0,
  lt: (sign) => sign < 0,
  gte: (sign) => sign >= 0,
  lte: (sign) => sign <= 0,
};

/**
 * Builds the test for a rule's `when`, reading the other field at `index`. A missing or
 * invalid value is "empty": `neq` and `not_one_of` then hold, ordered comparisons do not.
 */
export function compileCondition(condition: Condition, index: number, type: FieldType): Predicate {
  switch (condition.is) {
    case 'filled':
      return (values) => values[index] !== undefined;
    case 'empty':
      return (values) => values[index] === undefined;
    case 'one_of':
    case 'not_one_of': {
      const set = new Set(condition.value.map((value) => normalizeLiteral(type, value)));
      const wanted = condition.is === 'one_of';
      return (values) => {
        const value = values[index];
        return (value !== undefined && set.has(value)) === wanted;
      };
    }
    case 'eq':
    case 'neq': {
      const target = normalizeLiteral(type, condition.value);
      const wanted = condition.is === 'eq';
      return (values) => (values[index] === target) === wanted;
    }
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte': {
      const target = normalizeLiteral(type, condition.value);
      const holds = ORDERED[condition.is];
      return (values) => {
        const sign = order(values[index], target);
        return sign !== undefined && holds(sign);
      };
    }
  }
}
