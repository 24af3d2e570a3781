import { randomToken } from '@intake/common';

const SUBMISSION_TOKEN_PATTERN = /^ik_sub_[A-Za-z0-9_-]{43}$/;

/** A private form's bearer token: `ik_sub_` + 256 random bits; stored only as SHA-256. */
export function newSubmissionToken(): string {
  return `ik_sub_${randomToken(32)}`;
}

export function isWellFormedSubmissionToken(value: string): boolean {
  return SUBMISSION_TOKEN_PATTERN.test(value);
}
