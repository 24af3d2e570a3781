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

/**
 * What a dashboard socket receives: ids only. The page fetches what it shows through its
 * own session, so an event carries no submitted data and needs no second access check.
 */
export interface OwnerEventMessage {
  type: OwnerEvent['type'];
  form_id: string;
  subject_id: string | null;
  at: string;
}

export function toOwnerEventMessage(event: OwnerEvent): OwnerEventMessage {
  return {
    type: event.type,
    form_id: event.formId,
    subject_id: event.subjectId ?? null,
    at: event.at,
  };
}
