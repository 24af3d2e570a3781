import type { Field } from '@intake/forms';
import { checkStandardSpam } from './standard-spam-check';
import type {
  RecentActivity,
  StandardSpamInput,
  SpamVerdict,
  SubmittedValue,
} from './spam-verdict';

/** A contact form as people build them: name, e-mail, message, a consent box, a honeypot. */
export const contactFields: Field[] = [
  { name: 'name', type: 'string', rules: [{ op: 'required' }] },
  { name: 'email', type: 'email', rules: [{ op: 'required' }] },
  { name: 'message', type: 'string', rules: [] },
  { name: 'consent', type: 'boolean', rules: [] },
  { name: 'visit_date', type: 'date', rules: [] },
  { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
];

export const quietActivity: RecentActivity = {
  sameContentCount: 0,
  secondsSinceLastFromSameIp: null,
};

export function inputOf(
  data: Record<string, SubmittedValue>,
  overrides: Partial<Omit<StandardSpamInput, 'data'>> = {},
): StandardSpamInput {
  return { data, fields: contactFields, honeypotFilled: [], recent: quietActivity, ...overrides };
}

/** Checks a contact-form message from a plain address, with optional other fields. */
export function checkMessage(
  message: string,
  data: Record<string, SubmittedValue> = {},
): SpamVerdict {
  return checkStandardSpam(
    inputOf({ name: 'Ada Lovelace', email: 'ada@example.org', message, ...data }),
  );
}

export function signalNames(verdict: SpamVerdict): string[] {
  return verdict.signals.map(({ name }) => name);
}
