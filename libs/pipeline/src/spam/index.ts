export { MAX_ANALYSED_CHARS } from './analysed-text';
export { SPAM_PHRASES } from './content-rules';
export { contentFingerprint, EMPTY_FINGERPRINT, isEmptyFingerprint } from './content-fingerprint';
export { disposableDomainOf, emailDomain } from './disposable-domains';
export { URL_SHORTENERS } from './links';
export { checkStandardSpam } from './standard-spam-check';
export type {
  RecentActivity,
  SpamSignal,
  SpamVerdict,
  StandardSpamInput,
  SubmittedValue,
} from './spam-verdict';
export { confidenceOf, SIGNAL_WEIGHTS, SPAM_THRESHOLD, type SignalName } from './spam-weights';
