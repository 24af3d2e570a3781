import type { ComponentChildren } from 'preact';
import type { FormProblem } from '../page-forms';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** The refusal of a form post, announced to screen readers, with each field's messages. */
export function ProblemSummary({ problem }: { problem?: FormProblem | null }) {
  if (!problem) return null;
  const fields = Object.entries(problem.fields);
  return (
    <div class="problem" role="alert" id="problem">
      <p>{problem.message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, messages]) => (
            <li>
              <a href={`#field-${field.split('.', 1)[0]}`}>{field}</a>: {messages.join('; ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'search' | 'date';
  value?: string | number | null;
  problem?: FormProblem | null;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputMode?: 'numeric' | 'text';
  maxLength?: number;
  pattern?: string;
  /** Field name in the problem's details when it differs from the input's name. */
  errorKey?: string;
}

/** A labelled input with its hint and its messages tied to it (aria-describedby). */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`;
  const errors = messagesFor(props.problem, props.errorKey ?? props.name);
  const described = [props.hint && `${id}-hint`, errors.length > 0 && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={errors.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {errors.length > 0 && (
        <p class="field-error" id={`${id}-error`}>
          {errors.join('; ')}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? undefined}
        required={props.required}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        pattern={props.pattern}
        aria-invalid={errors.length > 0 ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

interface PostButtonProps {
  action: string;
  csrf: string;
  label: string;
  /** Extra hidden fields. */
  fields?: Record<string, string>;
  variant?: 'primary' | 'secondary' | 'danger';
  /** Asked with confirm() first when scripts run. */
  confirm?: string;
  /** Names what the button acts on, for screen readers (e.g. which submission). */
  describedBy?: string;
}

/** One state-changing action: a small POST form (CSRF token included) with one button. */
export function PostButton({
  action,
  csrf,
  label,
  fields = {},
  variant = 'secondary',
  confirm,
  describedBy,
}: PostButtonProps) {
  return (
    <form class="inline" method="post" action={action} data-confirm={confirm}>
      <CsrfField token={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={`button ${variant}`} aria-describedby={describedBy}>
        {label}
      </button>
    </form>
  );
}

/** A notice after a post/redirect/get (fixed texts chosen by the server, never user input). */
export function Notice({ children }: { children?: ComponentChildren }) {
  if (!children) return null;
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

/** Code the owner copies: selectable text plus a copy button (scripts on). */
export function CopyBlock({ id, label, code }: { id: string; label: string; code: string }) {
  return (
    <figure class="copy-block">
      <figcaption>
        <span id={`${id}-label`}>{label}</span>
        <button type="button" class="button secondary small" data-copy={id} hidden>
          Copy
        </button>
      </figcaption>
      <pre id={id} tabIndex={0} aria-labelledby={`${id}-label`}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}

interface PaginationProps {
  page: number;
  totalPages: number;
  /** The URL of another page, same filters. */
  hrefFor: (page: number) => string;
}

export function Pagination({ page, totalPages, hrefFor }: PaginationProps) {
  if (totalPages <= 1) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      {page > 1 ? (
        <a href={hrefFor(page - 1)} rel="prev">
          Previous
        </a>
      ) : (
        <span />
      )}
      <span>
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? (
        <a href={hrefFor(page + 1)} rel="next">
          Next
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** A field's messages, including those of its parts (`fields_schema.fields.0.rules.1.op`). */
export function messagesFor(problem: FormProblem | null | undefined, name: string): string[] {
  if (!problem) return [];
  return Object.entries(problem.fields).flatMap(([key, messages]) =>
    key === name
      ? messages
      : key.startsWith(`${name}.`)
        ? messages.map((message) => `${key.slice(name.length + 1)}: ${message}`)
        : [],
  );
}

interface ControlProps {
  name: string;
  label: string;
  problem?: FormProblem | null;
  hint?: string;
}

/** Label, hint and messages around a control, tied together for screen readers. */
function Control({
  name,
  label,
  problem,
  hint,
  children,
}: ControlProps & {
  children: (described: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const id = `field-${name}`;
  const errors = messagesFor(problem, name);
  const described = [hint && `${id}-hint`, errors.length > 0 && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={errors.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <ul class="field-error" id={`${id}-error`}>
          {errors.map((error) => (
            <li>{error}</li>
          ))}
        </ul>
      )}
      {children(described || undefined, errors.length > 0)}
    </div>
  );
}

export function TextArea(
  props: ControlProps & {
    value: string;
    rows?: number;
    maxLength?: number;
    code?: boolean;
    /** `data-*` attributes for the script that enhances this control. */
    data?: Record<`data-${string}`, string>;
  },
) {
  return (
    <Control {...props}>
      {(described, invalid) => (
        <textarea
          id={`field-${props.name}`}
          name={props.name}
          rows={props.rows ?? 4}
          maxLength={props.maxLength}
          spellcheck={props.code ? false : undefined}
          class={props.code ? 'code' : undefined}
          {...props.data}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={described}
        >
          {props.value}
        </textarea>
      )}
    </Control>
  );
}

export function Select(
  props: ControlProps & { value: string; options: { value: string; label: string }[] },
) {
  return (
    <Control {...props}>
      {(described, invalid) => (
        <select
          id={`field-${props.name}`}
          name={props.name}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={described}
        >
          {props.options.map((option) => (
            <option value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Control>
  );
}

/** A checkbox posting `on` when ticked, its label beside it. */
export function Checkbox({
  name,
  label,
  checked,
  hint,
}: {
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
}) {
  const id = `field-${name}`;
  return (
    <div class="checkbox">
      <input
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
