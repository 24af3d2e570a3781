import type { Form, Submission } from '@intake/database';
import { toSubmissionOutput, type SubmissionOutput } from '@intake/submissions';

/** API.md "Destinations": the only event type so far. */
export interface WebhookEvent {
  id: string;
  type: 'submission.created';
  created_at: string;
  data: {
    form: {
      id: string;
      name: string;
      slug: string;
      visibility: Form['visibility'];
      /** The form's current version; the submission's own is `submission.form_version`. */
      version: number;
    };
    submission: SubmissionOutput;
  };
}

export interface WebhookEventInput {
  eventId: string;
  /** When the event was created (the delivery row): the same on every attempt. */
  createdAt: Date;
  form: Form;
  submission: Submission;
}

export function webhookEvent({
  eventId,
  createdAt,
  form,
  submission,
}: WebhookEventInput): WebhookEvent {
  return {
    id: eventId,
    type: 'submission.created',
    created_at: createdAt.toISOString(),
    data: {
      form: {
        id: form.id,
        name: form.name,
        slug: form.slug,
        visibility: form.visibility,
        version: form.currentVersion,
      },
      submission: toSubmissionOutput(submission),
    },
  };
}
