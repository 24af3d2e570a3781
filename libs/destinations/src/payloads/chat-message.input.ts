import type { FieldLine } from './submission-fields';

/** What the Slack and Discord messages say about one submission. */
export interface ChatMessageInput {
  formName: string;
  submissionId: string;
  createdAt: Date;
  /** Only destinations with `include_spam` receive spam; the message then says so. */
  spam: boolean;
  fields: FieldLine[];
}
