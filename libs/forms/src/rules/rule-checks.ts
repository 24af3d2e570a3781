import type { Condition, Field, FieldType, Rule, RuleOp } from './fields-schema';
import { LITERAL_NOUN, literalFitsType } from './literal-types';
import { patternProblem } from './pattern';

/** A schema-time problem, its path relative to the field; the caller adds the field's name. */
export interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
}

const TEXT_OPS: readonly RuleOp[] = ['min_length', 'max_length', 'pattern'];
const OPS_FOR_EVERY_TYPE: readonly RuleOp[] = ['required', 'honeypot', 'one_of', 'not_one_of'];
const OPS_BY_TYPE: Readonly<Record<FieldType, ReadonlySet<RuleOp>>> = {
  string: new Set([...OPS_FOR_EVERY_TYPE, ...TEXT_OPS]),
  email: new Set([...OPS_FOR_EVERY_TYPE, ...TEXT_OPS]),
  number: new Set([...OPS_FOR_EVERY_TYPE, 'min', 'max']),
  boolean: new Set(OPS_FOR_EVERY_TYPE),
  date: new Set([...OPS_FOR_EVERY_TYPE, 'after', 'before']),
};
const INSTEAD: Partial<Record<RuleOp, string>> = {
  min: '; use min_length for text',
  max: '; use max_length for text',
  min_length: '; use min for numbers',
  max_length: '; use max for numbers',
};

/** Bounds that contradict each other: the low one must stay below (or at) the high one. */
const BOUND_PAIRS = [
  { low: 'min', high: 'max', strict: false },
  { low: 'min_length', high: 'max_length', strict: false },
  { low: 'after', high: 'before', strict: true },
] as const;

/** Checks between one field's rules: op and type fit, literal types, honeypot, bounds. */
export function checkFieldRules(field: Field): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const report = (index: number, key: string | null, message: string): void => {
    issues.push({ path: key === null ? ['rules', index] : ['rules', index, key], message });
  };
  const unconditional = new Set<RuleOp>();
  const honeypotAt = field.rules.findIndex((rule) => rule.op === 'honeypot');
  field.rules.forEach((rule, index) => {
    if (!OPS_BY_TYPE[field.type].has(rule.op)) {
      report(
        index,
        'op',
        `${rule.op} does not apply to a ${field.type} field${INSTEAD[rule.op] ?? ''}`,
      );
      return;
    }
    if (rule.when === undefined) {
      if (unconditional.has(rule.op)) {
        report(index, 'op', `${rule.op} appears more than once without a when condition`);
      }
      unconditional.add(rule.op);
    }
    if (honeypotAt >= 0 && index !== honeypotAt) {
      // A honeypot is hidden from clients and never validated, so any other rule is a mistake.
      report(index, 'op', `honeypot cannot be combined with ${rule.op}`);
    }
    if (rule.op === 'honeypot' && rule.when !== undefined) {
      report(index, 'when', 'honeypot cannot have a when condition');
    }
    if (rule.op === 'one_of' || rule.op === 'not_one_of') {
      rule.values.forEach((value, at) => {
        if (!literalFitsType(field.type, value)) {
          issues.push({
            path: ['rules', index, 'values', at],
            message: `${rule.op} values must be ${LITERAL_NOUN[field.type]} for a ${field.type} field`,
          });
        }
      });
    }
    if (rule.op === 'pattern') {
      const problem = patternProblem(rule.value);
      if (problem !== undefined) report(index, 'value', `pattern ${problem}`);
    }
  });
  for (const pair of BOUND_PAIRS) issues.push(...checkBounds(field.rules, pair));
  return issues;
}

function checkBounds(rules: readonly Rule[], pair: (typeof BOUND_PAIRS)[number]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  rules.forEach((high, highAt) => {
    if (high.op !== pair.high) return;
    const highValue = boundOf(high);
    for (const low of rules) {
      if (low.op !== pair.low || !mayHoldTogether(low.when, high.when)) continue;
      const lowValue = boundOf(low);
      const contradicts = pair.strict ? lowValue >= highValue : lowValue > highValue;
      if (!contradicts) continue;
      issues.push({
        path: ['rules', highAt, 'value'],
        message: pair.strict
          ? `${pair.low} (${lowValue}) must be earlier than ${pair.high} (${highValue})`
          : `${pair.low} (${lowValue}) is greater than ${pair.high} (${highValue})`,
      });
    }
  });
  return issues;
}

/** Bounds of one pair are both numbers or both `YYYY-MM-DD`, which compare as ISO strings. */
function boundOf(rule: Rule): number | string {
  return 'value' in rule ? rule.value : Number.NaN;
}

/**
 * Two rules can apply to the same submission when either is unconditional or both share the
 * same condition; rules under different conditions (min 10 for plan=pro, max 5 for plan=free)
 * may legitimately disagree.
 */
function mayHoldTogether(a: Condition | undefined, b: Condition | undefined): boolean {
  return a === undefined || b === undefined || JSON.stringify(a) === JSON.stringify(b);
}
