import { quoted } from './analysed-text';
import {
  CAPS_RATIO,
  capsRatio,
  hasHtmlTag,
  hasScriptMarkup,
  normaliseForRules,
  repeatedRun,
  spamPhrasesIn,
} from './content-rules';
import { disposableDomainOf, emailDomain } from './disposable-domains';
import { extractAnchors, mismatchOf } from './html-anchors';
import { extractUrls, shortenerOf, urlHost } from './links';
import type { SpamSignal } from './spam-verdict';
import { MAX_LINKS, PHRASE_SCORE_CAP, SIGNAL_WEIGHTS, type SignalName } from './spam-weights';
import type { SubmittedText } from './submission-texts';

function signal(name: SignalName, detail: string, times = 1): SpamSignal {
  return { name, score: SIGNAL_WEIGHTS[name] * times, detail };
}

/** Throwaway inboxes in the form's e-mail fields. */
export function emailSignals(texts: readonly SubmittedText[]): SpamSignal[] {
  const hits = texts
    .filter(({ type }) => type === 'email')
    .flatMap(({ field, text }) => {
      const domain = emailDomain(text.trim());
      const listed = domain ? disposableDomainOf(domain) : null;
      if (!domain || !listed) return [];
      const under = listed === domain ? '' : ` (under ${listed})`;
      return [`field ${quoted(field)} uses disposable e-mail domain ${domain}${under}`];
    });
  return hits.length > 0 ? [signal('disposable_email', hits.join('; '))] : [];
}

/** Link count, shorteners and deceptive anchors across all free-text fields together. */
export function linkSignals(texts: readonly SubmittedText[]): SpamSignal[] {
  const prose = texts.filter(({ type }) => type === 'string');
  const urls = new Set(prose.flatMap(({ text }) => extractUrls(text)));
  const signals: SpamSignal[] = [];
  if (urls.size > MAX_LINKS) {
    signals.push(signal('many_links', `${urls.size} links in the text (more than ${MAX_LINKS})`));
  }
  const shorteners = new Set<string>();
  for (const url of urls) {
    const host = urlHost(url);
    const shortener = host ? shortenerOf(host) : null;
    if (shortener) shorteners.add(shortener);
  }
  if (shorteners.size > 0) {
    signals.push(
      signal('url_shortener', `links through URL shortener ${[...shorteners].join(', ')}`),
    );
  }
  const mismatches = prose
    .flatMap(({ text }) => extractAnchors(text))
    .map(mismatchOf)
    .filter((mismatch) => mismatch !== null);
  const [first] = mismatches;
  if (first) {
    const more = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : '';
    signals.push(
      signal(
        'mismatched_anchor',
        `link text shows ${first.shownHost} but leads to ${first.targetHost}${more}`,
      ),
    );
  }
  return signals;
}

/** Shouting, filler, spam phrases and markup, per free-text field. */
export function contentSignals(texts: readonly SubmittedText[]): SpamSignal[] {
  const shouting: string[] = [];
  const runs: string[] = [];
  const phrases = new Set<string>();
  const scripts: string[] = [];
  const tags: string[] = [];
  for (const { field, type, text: raw } of texts) {
    if (type !== 'string') continue;
    const text = normaliseForRules(raw);
    const name = quoted(field);
    const ratio = capsRatio(text);
    if (ratio !== null && ratio >= CAPS_RATIO) {
      shouting.push(`field ${name} is ${Math.round(ratio * 100)}% capital letters`);
    }
    const run = repeatedRun(text);
    if (run) runs.push(`field ${name} repeats ${quoted(run.char)} ${run.length} times in a row`);
    for (const phrase of spamPhrasesIn(text)) phrases.add(phrase);
    // A script is also a tag; counting it twice would overweight one paste.
    if (hasScriptMarkup(text)) scripts.push(name);
    else if (hasHtmlTag(text)) tags.push(name);
  }
  const signals: SpamSignal[] = [];
  if (shouting.length > 0) signals.push(signal('all_caps', shouting.join('; ')));
  if (runs.length > 0) signals.push(signal('repeated_characters', runs.join('; ')));
  if (phrases.size > 0) {
    const list = [...phrases].map((phrase) => quoted(phrase)).join(', ');
    const counted = Math.min(phrases.size, PHRASE_SCORE_CAP);
    signals.push(signal('spam_phrase', `known spam phrases: ${list}`, counted));
  }
  if (scripts.length > 0) {
    const detail = `script markup in plain text field ${scripts.join(', ')}`;
    signals.push(signal('script_in_text', detail));
  }
  if (tags.length > 0)
    signals.push(signal('html_in_text', `HTML tags in plain text field ${tags.join(', ')}`));
  return signals;
}
