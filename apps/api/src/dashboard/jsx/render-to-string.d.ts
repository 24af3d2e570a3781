// Types for `preact-render-to-string`; see README.md.
import type { VNode } from 'preact';

/** Renders to HTML; every text and attribute value is escaped. */
export declare function renderToString(vnode: VNode): string;
