/**
 * The piece of a found message that a search result shows: the text around the first match,
 * cut to a few lines, split into plain and matched runs. The runs are strings the view renders
 * as text nodes (a `<mark>` around each matched run), so no message can bring markup with it.
 */

/** A run of the excerpt: plain text, or text that matched the query. */
export interface Run {
  text: string;
  mark: boolean;
}

/** Characters kept on each side of the first match. */
export const EXCERPT_REACH = 80;

/** How far a cut may move to fall between words instead of inside one. */
const WORD_SLACK = 16;

/** The ellipsis put where the text was cut. */
const CUT = '…';

/**
 * The ranges that can be shown: inside the text, non-empty, in order, not overlapping. The
 * ranges come from the index; they are checked rather than trusted, so a stale index (the
 * text edited since) bends nothing.
 */
export function cleanMarks(
  length: number,
  marks: ReadonlyArray<readonly [number, number]>,
): Array<[number, number]> {
  const inside = marks
    .filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e))
    .map(([s, e]): [number, number] => [Math.max(0, s), Math.min(length, e)])
    .filter(([s, e]) => s < e)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of inside) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Whether index `i` falls between the two halves of a surrogate pair (cutting there breaks a character). */
function splitsPair(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return i > 0 && i < text.length && code >= 0xdc00 && code <= 0xdfff;
}

/** Moves a cut at `i` to the nearest whitespace within reach, the way `dir` allows. */
function atWord(text: string, i: number, dir: -1 | 1): number {
  for (let d = 0; d <= WORD_SLACK; d++) {
    const j = i + d * dir;
    if (j <= 0 || j >= text.length) break;
    if (/\s/.test(text[j]!)) return dir > 0 ? j + 1 : j;
  }
  return splitsPair(text, i) ? i + dir : i;
}

/**
 * The runs showing `text` around its first match: at most {@link EXCERPT_REACH} characters on
 * each side of it (moved to a word break where one is near), "…" where the text was cut, every
 * match inside that window marked. Without any match, the start of the text.
 */
export function excerpt(text: string, marks: ReadonlyArray<readonly [number, number]>): Run[] {
  const ranges = cleanMarks(text.length, marks);
  const first = ranges[0];
  const anchorStart = first ? first[0] : 0;
  const anchorEnd = first ? first[1] : 0;
  let from = 0;
  let to = text.length;
  if (anchorStart > EXCERPT_REACH) from = atWord(text, anchorStart - EXCERPT_REACH, 1);
  if (text.length - anchorEnd > EXCERPT_REACH) to = atWord(text, anchorEnd + EXCERPT_REACH, -1);
  // A cut never eats into the first match itself.
  from = Math.min(from, anchorStart);
  to = Math.max(to, anchorEnd);

  const runs: Run[] = [];
  const push = (s: number, e: number, mark: boolean) => {
    if (e > s) runs.push({ text: text.slice(s, e), mark });
  };
  let at = from;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    const ms = Math.max(s, from);
    const me = Math.min(e, to);
    push(at, ms, false);
    push(ms, me, true);
    at = me;
  }
  push(at, to, false);
  if (from > 0) runs.unshift({ text: CUT, mark: false });
  if (to < text.length) runs.push({ text: CUT, mark: false });
  return runs;
}
