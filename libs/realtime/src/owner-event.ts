/** Something an owner's dashboards should learn about at once. */
export interface OwnerEvent {
  type:
    | 'submission.created'
    | 'submission.processed'
    | 'submission.updated'
    | 'submission.deleted'
    | 'destination.disabled'
    | 'form.changed';
  ownerId: string;
  formId: string;
  /** The submission or destination concerned, when there is one. */
  subjectId?: string;
  at: string;
}

export function isOwnerEvent(value: unknown): value is OwnerEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.type === 'string' &&
    typeof event.ownerId === 'string' &&
    typeof event.formId === 'string' &&
    typeof event.at === 'string'
  );
}
