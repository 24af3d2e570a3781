import type { Condition, Field } from './fields-schema';
import { LITERAL_NOUN, literalFitsType, type Literal } from './literal-types';
import type { FieldIssue } from './rule-checks';

export interface IndexedFieldIssue {
  index: number;
  issue: FieldIssue;
}

const ORDERED_COMPARATORS: ReadonlySet<string> = new Set(['gt', 'lt', 'gte', 'lte']);

/**
 * Checks between fields: unique names, and conditions that name another existing,
 * non-honeypot field with a comparator and value that fit its type. `parsed` holds
 * `undefined` for fields that failed on their own; `rawNames` still knows their names, so a
 * condition on such a field is not also reported as naming a missing one.
 */
export function checkAcrossFields(
  parsed: readonly (Field | undefined)[],
  rawNames: ReadonlySet<string>,
): IndexedFieldIssue[] {
  const issues: IndexedFieldIssue[] = [];
  const byName = new Map<string, { field: Field; index: number }>();
  parsed.forEach((field, index) => {
    if (field === undefined) return;
    const first = byName.get(field.name);
    if (first) {
      issues.push({
        index,
        issue: { path: ['name'], message: `name is already used by fields[${first.index}]` },
      });
    } else {
      byName.set(field.name, { field, index });
    }
  });
  parsed.forEach((field, index) => {
    field?.rules.forEach((rule, ruleIndex) => {
      if (rule.when === undefined) return;
      const path = ['rules', ruleIndex, 'when'];
      const problem = conditionProblem(field, rule.when, byName, rawNames);
      if (problem !== undefined) {
        issues.push({ index, issue: { path: [...path, problem.key], message: problem.message } });
      }
    });
  });
  return issues;
}

function conditionProblem(
  field: Field,
  when: Condition,
  byName: ReadonlyMap<string, { field: Field }>,
  rawNames: ReadonlySet<string>,
): { key: string; message: string } | undefined {
  if (when.field === field.name) {
    return { key: 'field', message: 'when must refer to another field, not the field itself' };
  }
  const target = byName.get(when.field)?.field;
  if (target === undefined) {
    return rawNames.has(when.field)
      ? undefined
      : { key: 'field', message: `when refers to unknown field "${when.field}"` };
  }
  if (target.rules.some((rule) => rule.op === 'honeypot')) {
    // The honeypot must stay a secret trap; conditions on it would make it part of the contract.
    return { key: 'field', message: `when cannot refer to honeypot field "${target.name}"` };
  }
  if (ORDERED_COMPARATORS.has(when.is) && target.type !== 'number' && target.type !== 'date') {
    return {
      key: 'is',
      message: `when.is "${when.is}" needs a number or date field; "${target.name}" is a ${target.type} field`,
    };
  }
  if (!('value' in when)) return undefined;
  const values: readonly Literal[] = Array.isArray(when.value) ? when.value : [when.value];
  if (values.every((value) => literalFitsType(target.type, value))) return undefined;
  return {
    key: 'value',
    message: `when.value must be ${LITERAL_NOUN[target.type]} to compare with ${target.type} field "${target.name}"`,
  };
}
