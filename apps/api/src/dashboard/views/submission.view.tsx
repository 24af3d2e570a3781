import type { FormOutput } from '@intake/forms';
import { canSendReply } from '@intake/pipeline';
import type { SubmissionOutput } from '@intake/submissions';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { CsrfField, Field, Notice, PostButton, ProblemSummary, TextArea } from './components';
import { displayValue, formatTime } from './format';
import { Layout, type Viewer } from './layout';
import { entriesOf } from './submission-row';

/** Which copy of the data is shown: as submitted, or the translation beside it. */
export type SubmissionDataView = 'original' | 'translated';

const REPLY_STATUS_TEXT: Record<NonNullable<SubmissionOutput['reply_status']>, string> = {
  awaiting_review: 'A drafted reply is waiting for your review.',
  awaiting_delivery: 'The reply is being sent.',
  delivered: 'Reply sent.',
  needs_human_reply: 'The knowledge base did not answer this one: write the reply yourself.',
  delivery_failed: 'The reply could not be sent. Check it and send it again.',
  skipped: 'No reply: the submission holds no address to reply to.',
};

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    (typeof value === 'object' && Object.keys(value as Record<string, unknown>).length === 0)
  );
}

interface SubmissionPageProps {
  viewer: Viewer;
  form: FormOutput;
  submission: SubmissionOutput;
  view: SubmissionDataView;
  /** The reply as last posted, when a send was refused; else the stored draft. */
  reply?: { subject: string; content: string };
  problem?: FormProblem | null;
  notice?: string | null;
}

/** One submission whole: its data (original or translated), how it was judged, its reply. */
export function SubmissionView({
  viewer,
  form,
  submission,
  view,
  reply,
  problem,
  notice,
}: SubmissionPageProps) {
  const translated = submission.translated_data !== null;
  const shown = view === 'translated' && translated ? submission.translated_data : submission.data;
  const metadata = entriesOf(submission.metadata).filter(([, value]) => !isEmpty(value));
  const headingId = 'submission-heading';
  const sendable = canSendReply(submission);
  return (
    <Layout title={`Submission to ${form.name}`} viewer={viewer} section="forms">
      <p class="breadcrumb">
        <a href={PAGES.form(form.id)}>{form.name}</a>
      </p>
      <div class="page-heading">
        <h1 id={headingId}>
          Submission of{' '}
          <time dateTime={submission.created_at}>{formatTime(submission.created_at)}</time>
        </h1>
        <p class="meta">
          version {submission.form_version} · {submission.processing_status}
          {submission.processing_reason && ` (${submission.processing_reason})`}
          {submission.detected_language && ` · language ${submission.detected_language}`}
        </p>
        <div class="actions">
          <PostButton
            action={PAGES.submissionSpam(form.id, submission.id)}
            csrf={viewer.csrf}
            label={submission.spam ? 'Not spam' : 'Mark as spam'}
            fields={{ spam: String(!submission.spam), filter: 'all' }}
            describedBy={headingId}
          />
          <PostButton
            action={PAGES.submissionDelete(form.id, submission.id)}
            csrf={viewer.csrf}
            label="Delete"
            fields={{ filter: 'all' }}
            variant="danger"
            confirm="Delete this submission for good?"
            describedBy={headingId}
          />
        </div>
      </div>
      <Notice>{notice}</Notice>

      {submission.spam && (
        <p class="problem">
          Spam
          {submission.spam_confidence !== null &&
            ` (confidence ${Math.round(submission.spam_confidence * 100)}%)`}
          {submission.spam_reason && `: ${submission.spam_reason}`}
        </p>
      )}

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Data</h2>
        {translated && (
          <nav class="tabs" aria-label="Which copy of the data">
            <a
              href={PAGES.submission(form.id, submission.id)}
              aria-current={view === 'original' ? 'page' : undefined}
            >
              Original
            </a>
            <a
              href={`${PAGES.submission(form.id, submission.id)}?view=translated`}
              aria-current={view === 'translated' ? 'page' : undefined}
            >
              Translated
            </a>
          </nav>
        )}
        <dl class="submission-data whole">
          {entriesOf(shown).map(([name, value]) => (
            <div>
              <dt>{name}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="reply-heading">
        <h2 id="reply-heading">Reply</h2>
        {submission.reply_status === null ? (
          <p>Smart replies were off for this submission.</p>
        ) : (
          <p>
            {sendable && submission.reply_status === 'awaiting_delivery'
              ? 'Sending this reply was interrupted, so it may not have gone out. Send it again if it did not arrive.'
              : REPLY_STATUS_TEXT[submission.reply_status]}
          </p>
        )}
        {sendable ? (
          <form method="post" action={PAGES.submissionReply(form.id, submission.id)} class="stack">
            <CsrfField token={viewer.csrf} />
            <ProblemSummary problem={problem} />
            <Field
              name="subject"
              label="Subject"
              value={reply?.subject ?? submission.reply_subject ?? `Re: ${form.name}`}
              required
              maxLength={200}
              problem={problem}
            />
            <TextArea
              name="content"
              label="Message (plain text)"
              value={reply?.content ?? submission.reply_content ?? ''}
              rows={10}
              maxLength={20_000}
              hint={`Sent to the address in the "${form.smart_reply_email_field ?? 'reply'}" field.`}
              problem={problem}
            />
            <div class="actions">
              <button type="submit" class="button primary">
                Send reply
              </button>
            </div>
          </form>
        ) : (
          submission.reply_content !== null && (
            <div class="reply">
              <p>
                <strong>{submission.reply_subject}</strong>
                {submission.replied_at && ` · sent ${formatTime(submission.replied_at)}`}
              </p>
              <pre class="reply-content">{submission.reply_content}</pre>
            </div>
          )
        )}
      </section>

      <section aria-labelledby="metadata-heading">
        <h2 id="metadata-heading">Where it came from</h2>
        <dl class="submission-data">
          {metadata.map(([name, value]) => (
            <div>
              <dt>{name}</dt>
              <dd>{displayValue(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </Layout>
  );
}
