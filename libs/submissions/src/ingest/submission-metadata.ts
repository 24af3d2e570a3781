import type { Request } from 'express';

export interface SubmissionMetadata {
  ip: string | null;
  user_agent: string | null;
  referer: string | null;
  origin: string | null;
  utm: Record<string, string>;
  /** How many submitted fields the form's schema does not know (they are not stored). */
  dropped_fields: number;
}

const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];

function header(request: Request, name: string, max: number): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
}

/** utm_* from the endpoint's query string, else from the page that posted (Referer). */
function utmOf(request: Request, referer: string | null): Record<string, string> {
  const sources = [new URLSearchParams(request.url.split('?')[1] ?? '')];
  if (referer && URL.canParse(referer)) sources.push(new URL(referer).searchParams);
  const utm: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const value = sources.map((params) => params.get(key)).find((candidate) => candidate);
    if (value) utm[key] = value.slice(0, 200);
  }
  return utm;
}

export function submissionMetadata(request: Request, droppedFields: number): SubmissionMetadata {
  const referer = header(request, 'referer', 2048);
  return {
    ip: request.ip ?? null,
    user_agent: header(request, 'user-agent', 512),
    referer,
    origin: header(request, 'origin', 255),
    utm: utmOf(request, referer),
    dropped_fields: droppedFields,
  };
}
