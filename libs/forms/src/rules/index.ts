export * from './calendar-date';
export { ValueProblem, type InputMode } from './coerce';
export * from './compile';
export * from './compiled-form-cache';
export * from './fields-schema';
export type { Literal } from './literal-types';
export { MAX_PATTERN_PROGRAM_SIZE, MAX_PATTERN_SOURCE_LENGTH } from './pattern';
export { MAX_DROPPED_NAME_LENGTH, MAX_DROPPED_NAMES } from './dropped-fields';
export { codePointLength, MAX_EMAIL_LENGTH, MAX_TEXT_LENGTH } from './text';
