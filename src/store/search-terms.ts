/**
 * Words for search: how a text and a query are cut into words and folded, so that matching is
 * case- and accent-insensitive ("Café" and "CAFE" are both `cafe`), and where a query's words
 * are in a text, to highlight them. Words are runs of letters and digits; anything else
 * (spaces, punctuation, emoji) separates them. Scripts written without spaces (CJK) give long
 * words, found by their beginning.
 */

/** Longest word kept, in UTF-16 code units (longer ones are cut: a URL or a key pasted). */
export const MAX_WORD = 48;
/** Most distinct words indexed per message: bounds a doc's index entries. */
export const MAX_WORDS = 256;
/** Most words a query keeps. */
export const MAX_QUERY_TERMS = 8;

const MARKS = /\p{M}+/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
/** A word of the original text, combining marks included (they fold away). */
const TEXT_WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** `s` folded: compatibility-decomposed, combining marks dropped, lower-cased. */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The folded words of `text`, in order, repeats included, each at most {@link MAX_WORD}. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const w of fold(text).split(SEPARATORS)) if (w) words.push(cut(w));
  return words;
}

/** A word cut to {@link MAX_WORD} code units, never inside a surrogate pair. */
function cut(w: string): string {
  if (w.length <= MAX_WORD) return w;
  const end = /[\ud800-\udbff]/.test(w[MAX_WORD - 1]!) ? MAX_WORD - 1 : MAX_WORD;
  return w.slice(0, end);
}

/** The distinct folded words of `text`, at most {@link MAX_WORDS} (the first ones). */
export function distinctWords(text: string): string[] {
  const seen = new Set<string>();
  for (const w of wordsOf(text)) {
    if (seen.size >= MAX_WORDS) break;
    seen.add(w);
  }
  return [...seen];
}

/**
 * The terms of a query: its distinct folded words, without those that are the beginning of
 * another (a message that has a word starting with "cafe" has one starting with "ca"), at
 * most {@link MAX_QUERY_TERMS}. Longest first: the likeliest to be rare.
 */
export function queryTerms(query: string): string[] {
  const words = [...new Set(wordsOf(query))];
  const kept = words.filter((w) => !words.some((o) => o !== w && o.startsWith(w)));
  return kept.sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_TERMS);
}

/**
 * Where `text` has a word whose folded form starts with one of `terms` (folded, as from
 * {@link queryTerms}): `[start, end)` ranges of whole words, in the original text, in order.
 */
export function markRanges(text: string, terms: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (terms.length === 0) return ranges;
  for (const m of text.matchAll(TEXT_WORD)) {
    // One word of the text may fold into several ("½" is "1⁄2"): any of them may match.
    const parts = wordsOf(m[0]);
    if (parts.some((p) => terms.some((t) => p.startsWith(t)))) {
      ranges.push([m.index, m.index + m[0].length]);
    }
  }
  return ranges;
}
