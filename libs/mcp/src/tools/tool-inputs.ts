import { z } from 'zod';

/** Input fields several tools share. */
export const formId = z.uuid().describe('The form id (UUID), as list_forms returns it.');
export const submissionId = z.uuid().describe('The submission id (UUID).');
export const submissionFilter = z
  .enum(['inbox', 'spam', 'all'])
  .describe('inbox: not spam; spam: flagged as spam; all: both.');
