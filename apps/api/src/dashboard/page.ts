import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * Renders a page (or, for live updates, a fragment) and sends it. Preact escapes every text
 * and attribute value; no view uses raw HTML. Never cached: pages carry CSRF tokens and
 * owner data, and some a secret shown once.
 */
export function sendPage(response: Response, status: number, page: VNode): void {
  response.status(status).type('html').set('Cache-Control', 'no-store').send(renderPage(page));
}

export function sendFragment(response: Response, fragment: VNode): void {
  response.status(200).type('html').set('Cache-Control', 'no-store').send(renderToString(fragment));
}

export function renderPage(page: VNode): string {
  return `<!doctype html>\n${renderToString(page)}`;
}
