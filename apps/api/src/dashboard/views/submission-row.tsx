import type { SubmissionOutput } from '@intake/submissions';
import { PAGES } from '../dashboard-paths';
import { PostButton } from './components';
import { displayValue, formatTime } from './format';

export const SUBMISSION_FILTERS = ['inbox', 'spam', 'all'] as const;
export type SubmissionFilter = (typeof SUBMISSION_FILTERS)[number];

interface SubmissionRowProps {
  formId: string;
  submission: SubmissionOutput;
  csrf: string;
  /** The list it sits in: its actions come back to it. */
  filter: SubmissionFilter;
}

export function entriesOf(data: SubmissionOutput['data']): [string, unknown][] {
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? Object.entries(data)
    : [];
}

/**
 * One submission in a form's list. Also served alone as the fragment the live list fetches
 * when an event names it, so a new row looks exactly like a rendered one.
 */
export function SubmissionRow({ formId, submission, csrf, filter }: SubmissionRowProps) {
  const headingId = `submission-${submission.id}-time`;
  return (
    <li class="submission" id={`submission-${submission.id}`} data-submission-id={submission.id}>
      <div class="submission-meta">
        <a id={headingId} href={PAGES.submission(formId, submission.id)}>
          <time dateTime={submission.created_at}>{formatTime(submission.created_at)}</time>
        </a>
        {submission.spam && <span class="badge spam">Spam</span>}
        {submission.processing_status !== 'completed' && (
          <span class="badge">{submission.processing_status}</span>
        )}
      </div>
      <dl class="submission-data">
        {entriesOf(submission.data).map(([name, value]) => (
          <div>
            <dt>{name}</dt>
            <dd>{displayValue(value)}</dd>
          </div>
        ))}
      </dl>
      <div class="actions">
        <PostButton
          action={PAGES.submissionSpam(formId, submission.id)}
          csrf={csrf}
          label={submission.spam ? 'Not spam' : 'Mark as spam'}
          fields={{ spam: String(!submission.spam), filter }}
          describedBy={headingId}
        />
        <PostButton
          action={PAGES.submissionDelete(formId, submission.id)}
          csrf={csrf}
          label="Delete"
          fields={{ filter }}
          variant="danger"
          confirm="Delete this submission for good?"
          describedBy={headingId}
        />
      </div>
    </li>
  );
}
