import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/** Longest `pattern` source a field may carry. */
export const MAX_PATTERN_SOURCE_LENGTH = 512;

/**
 * RE2 matches in time linear in the input, but the constant is the compiled program's size:
 * `\w{1000}` repeated sixty times fits in 512 characters yet compiles to 60,000 instructions
 * and takes about a second on a 10,000-character value. Up to ~1,000 instructions RE2's DFA
 * stays within its cache and a 10,000-character value is checked in well under a millisecond.
 */
export const MAX_PATTERN_PROGRAM_SIZE = 1_000;

/**
 * Compiles a field's `pattern` with RE2 (re2js), never with the JavaScript engine: RE2 has no
 * backtracking, so no pattern can take super-linear time (ReDoS). The price is RE2 syntax:
 * no backreferences and no lookarounds. Throws on a pattern that `patternProblem` refuses.
 */
export function compilePattern(source: string): RE2JS {
  return RE2JS.compile(source);
}

/** Why a `pattern` cannot be saved, or `undefined` when it compiles and is small enough. */
export function patternProblem(source: string): string | undefined {
  let compiled: RE2JS;
  try {
    compiled = compilePattern(source);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) {
      // The message names the offending fragment, e.g. "invalid escape sequence: `\1`".
      const reason = error.message.replace(/^error parsing regexp: /, '');
      return `is not a valid RE2 regular expression (${reason}); RE2 has no backreferences or lookarounds`;
    }
    if (error instanceof RE2JSException) return 'is not a valid RE2 regular expression';
    throw error;
  }
  const size = compiled.programSize();
  if (size > MAX_PATTERN_PROGRAM_SIZE) {
    return `is too complex (compiles to ${size} steps, at most ${MAX_PATTERN_PROGRAM_SIZE}); use max_length for length limits`;
  }
  return undefined;
}
