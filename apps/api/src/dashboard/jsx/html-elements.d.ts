// The HTML elements and attributes the dashboard's views may use; see README.md.
import type { ComponentChildren } from 'preact';

type Text = string | number;

/** Attributes every element takes (ARIA and data attributes included). */
interface GlobalAttributes {
  children?: ComponentChildren;
  class?: string;
  id?: string;
  lang?: string;
  title?: string;
  hidden?: boolean;
  tabIndex?: number;
  role?: string;
  [aria: `aria-${string}`]: string | undefined;
  [data: `data-${string}`]: Text | undefined;
}

interface AnchorAttributes extends GlobalAttributes {
  href: string;
  rel?: string;
  download?: string | boolean;
}

interface FormAttributes extends GlobalAttributes {
  method: 'get' | 'post';
  action: string;
  /** The dashboard's file-less posts: always urlencoded (the default). */
  novalidate?: boolean;
}

interface InputAttributes extends GlobalAttributes {
  name?: string;
  type?:
    | 'text'
    | 'email'
    | 'password'
    | 'url'
    | 'number'
    | 'search'
    | 'hidden'
    | 'checkbox'
    | 'radio'
    | 'date';
  value?: Text;
  checked?: boolean;
  required?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'url';
  maxLength?: number;
  minLength?: number;
  min?: Text;
  max?: Text;
  step?: Text;
  pattern?: string;
  placeholder?: string;
  spellcheck?: boolean;
}

interface TextAreaAttributes extends GlobalAttributes {
  name: string;
  rows?: number;
  required?: boolean;
  maxLength?: number;
  spellcheck?: boolean;
}

interface SelectAttributes extends GlobalAttributes {
  name: string;
  required?: boolean;
  multiple?: boolean;
}

interface ButtonAttributes extends GlobalAttributes {
  type: 'submit' | 'button';
  name?: string;
  value?: string;
  disabled?: boolean;
}

export interface HtmlElements {
  html: GlobalAttributes;
  head: GlobalAttributes;
  body: GlobalAttributes;
  title: GlobalAttributes;
  meta: GlobalAttributes & { charset?: string; name?: string; content?: string };
  link: GlobalAttributes & { rel: string; href: string };
  script: GlobalAttributes & { src: string; defer?: boolean };
  header: GlobalAttributes;
  footer: GlobalAttributes;
  main: GlobalAttributes;
  nav: GlobalAttributes;
  section: GlobalAttributes;
  article: GlobalAttributes;
  aside: GlobalAttributes;
  div: GlobalAttributes;
  span: GlobalAttributes;
  p: GlobalAttributes;
  h1: GlobalAttributes;
  h2: GlobalAttributes;
  h3: GlobalAttributes;
  h4: GlobalAttributes;
  a: AnchorAttributes;
  strong: GlobalAttributes;
  em: GlobalAttributes;
  small: GlobalAttributes;
  code: GlobalAttributes;
  pre: GlobalAttributes;
  kbd: GlobalAttributes;
  br: GlobalAttributes;
  hr: GlobalAttributes;
  ul: GlobalAttributes;
  ol: GlobalAttributes;
  li: GlobalAttributes;
  dl: GlobalAttributes;
  dt: GlobalAttributes;
  dd: GlobalAttributes;
  figure: GlobalAttributes;
  figcaption: GlobalAttributes;
  details: GlobalAttributes & { open?: boolean };
  summary: GlobalAttributes;
  time: GlobalAttributes & { dateTime: string };
  img: GlobalAttributes & { src: string; alt: string; width?: number; height?: number };
  table: GlobalAttributes;
  caption: GlobalAttributes;
  thead: GlobalAttributes;
  tbody: GlobalAttributes;
  tr: GlobalAttributes;
  th: GlobalAttributes & { scope?: 'col' | 'row'; colSpan?: number };
  td: GlobalAttributes & { colSpan?: number };
  form: FormAttributes;
  fieldset: GlobalAttributes;
  legend: GlobalAttributes;
  label: GlobalAttributes & { for?: string };
  input: InputAttributes;
  textarea: TextAreaAttributes;
  select: SelectAttributes;
  option: GlobalAttributes & { value: string; selected?: boolean };
  button: ButtonAttributes;
}
