// Types for `preact/jsx-runtime` (the automatic JSX transform's target); see README.md.
import type { ComponentChildren, Fragment, JSX, Key, VNode } from 'preact';

export { Fragment, JSX };

type Props = Record<string, unknown> & { children?: ComponentChildren };

export declare function jsx(type: unknown, props: Props, key?: Key): VNode;
export declare function jsxs(type: unknown, props: Props, key?: Key): VNode;
export declare function jsxDEV(type: unknown, props: Props, key?: Key): VNode;
