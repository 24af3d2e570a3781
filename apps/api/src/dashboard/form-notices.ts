/**
 * The notices a form's page shows after a post/redirect/get: fixed texts picked by a key in
 * the query, so that no user input is ever shown as a notice.
 */
export const FORM_NOTICES = {
  created: 'Form created. Post to its endpoint to see submissions arrive here.',
  saved: 'Changes saved.',
  marked_spam: 'Moved to spam.',
  marked_not_spam: 'Moved to the inbox.',
  deleted: 'Submission deleted.',
} as const;
export type FormNotice = keyof typeof FORM_NOTICES;

export function withNotice(href: string, notice: string): string {
  return `${href}${href.includes('?') ? '&' : '?'}notice=${notice}`;
}
