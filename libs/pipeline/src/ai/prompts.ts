import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

export type PromptName = 'spam-classification' | 'translation' | 'smart-reply';

/**
 * Prompts live in `prompts/*.md` beside this file (the build copies them to dist with
 * `swc --copy-files`), so that they are reviewed as text, not hunted in string literals.
 */
const PROMPTS_DIR = join(__dirname, 'prompts');
const cache = new Map<string, string>();

export function loadPrompt(name: PromptName | 'untrusted-data'): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(PROMPTS_DIR, `${name}.md`), 'utf8').trim();
    cache.set(name, text);
  }
  return text;
}

/**
 * The system message holds only our own text; everything from the submission (and the
 * owner's settings it is judged against) goes in a separate user message as one JSON
 * document, so that a visitor's "ignore previous instructions" stays a string value and
 * never becomes part of the instructions (OWASP LLM01, prompt injection).
 */
export function promptMessages(name: PromptName, input: object): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: `${loadPrompt(name)}\n\n${loadPrompt('untrusted-data')}` },
    { role: 'user', content: JSON.stringify(input) },
  ];
}
