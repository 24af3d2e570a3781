import type { ChatMessageInput } from './chat-message.input';
import { asIs, escapeAndFit } from './fit-text';

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks). */
const HEADER_MAX = 150;
const FIELD_TEXT_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const MAX_BLOCKS = 50;
const FALLBACK_MAX = 3000;

interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackMessage {
  /** The notification and screen-reader fallback; also shown where blocks are not. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * Slack mrkdwn treats `&`, `<` and `>` as control characters (`<!channel>`, `<url|label>`):
 * submitted text must not ping a channel or disguise a link
 * (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function escapeSlackChar(char: string): string {
  if (char === '&') return '&amp;';
  if (char === '<') return '&lt;';
  if (char === '>') return '&gt;';
  return char;
}

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });

/** A Block Kit message for an incoming webhook: the form's name, then one field per value. */
export function slackMessage(input: ChatMessageInput): SlackMessage {
  const title = `${input.spam ? '[spam] ' : ''}New submission: ${input.formName}`;
  const fields = input.fields.map(({ name, value }) => {
    const label = `*${escapeAndFit(name, escapeSlackChar, 200)}*\n`;
    const shown = value === '' ? '_(empty)_' : value;
    return mrkdwn(label + escapeAndFit(shown, escapeSlackChar, FIELD_TEXT_MAX - label.length));
  });
  const sections: SlackBlock[] = [];
  for (let start = 0; start < fields.length; start += FIELDS_PER_SECTION) {
    sections.push({ type: 'section', fields: fields.slice(start, start + FIELDS_PER_SECTION) });
  }
  // Header and context take two of the 50 blocks; a form has at most 100 fields (10 sections).
  const shownSections = sections.slice(0, MAX_BLOCKS - 2);
  const footer = `Submission ${input.submissionId} · ${input.createdAt.toISOString()}`;
  return {
    text: escapeAndFit(title, escapeSlackChar, FALLBACK_MAX),
    blocks: [
      // plain_text is not parsed, so it is not escaped, only cut to size.
      { type: 'header', text: { type: 'plain_text', text: escapeAndFit(title, asIs, HEADER_MAX) } },
      ...shownSections,
      { type: 'context', elements: [mrkdwn(footer)] },
    ],
  };
}
