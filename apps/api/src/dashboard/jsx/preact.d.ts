// Types for `preact` as the dashboard uses it (server-side rendering only); see README.md.
import type { HtmlElements } from './html-elements';

export type Key = string | number;

export interface VNode<Props = unknown> {
  type: string | FunctionComponent<Props>;
  props: Props & { children?: ComponentChildren };
  key: Key | null | undefined;
}

export type ComponentChild = VNode | string | number | bigint | boolean | null | undefined;
/** Children nest: a list from `.map()` sits beside single children. */
export type ComponentChildren = ComponentChild | readonly ComponentChildren[];

export type FunctionComponent<Props> = (props: Props) => VNode | null;

export declare const Fragment: FunctionComponent<{ children?: ComponentChildren }>;

export namespace JSX {
  export type Element = VNode;
  export type ElementType = keyof HtmlElements | FunctionComponent<never>;
  export interface ElementChildrenAttribute {
    children: unknown;
  }
  /** No `key`: a page rendered once to a string is never diffed, so keys mean nothing. */
  export type IntrinsicAttributes = object;
  export type IntrinsicElements = HtmlElements;
}
