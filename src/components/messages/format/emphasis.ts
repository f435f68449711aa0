/**
 * Emphasis in a run of inline tokens: `*em*`, `_em_` and `**strong**`, paired the way
 * CommonMark pairs them, in a simplified form (a marker run opens when text follows it,
 * closes when text precedes it; `_` never inside a word, so snake_case stays as typed).
 * Links and code spans are already tokens here: markers inside them are never seen.
 * A marker that finds no partner stays literal text.
 */
import type { Inline } from './tokens.js';

/** A run of one marker character, with how many of its characters are still unpaired. */
interface Run {
  ch: '*' | '_';
  n: number;
  open: boolean;
  close: boolean;
}
type Piece = Inline | Run;

/** Marker runs past this many in one text stay literal: pairing looks back, O(runs²). */
const MAX_RUNS = 200;
/** Emphasis nested deeper than this stays literal (the rendered tree stays shallow). */
const MAX_DEPTH = 6;

const isRun = (p: Piece): p is Run => typeof p === 'object' && 'ch' in p;
const SPACE = /\s/u;
const WORD = /[\p{L}\p{N}]/u;

/**
 * Splits the strings of `atoms` at marker runs. A link or a code span next to a run counts as
 * a word character (so `**https://x.y**` can be strong); the text's ends count as spaces.
 */
function split(atoms: readonly Inline[]): Piece[] {
  const pieces: Piece[] = [];
  let runs = 0;
  atoms.forEach((atom, k) => {
    if (typeof atom !== 'string') return void pieces.push(atom);
    const before = k > 0 ? 'a' : ' ';
    const after = k < atoms.length - 1 ? 'a' : ' ';
    let last = 0;
    for (const m of atom.matchAll(/\*+|_+/g)) {
      if (runs++ >= MAX_RUNS) break;
      const prev = m.index > 0 ? atom[m.index - 1]! : before;
      const end = m.index + m[0].length;
      const next = end < atom.length ? atom[end]! : after;
      const ch = m[0][0] as '*' | '_';
      let open = !SPACE.test(next);
      let close = !SPACE.test(prev);
      if (ch === '_') {
        open &&= !WORD.test(prev);
        close &&= !WORD.test(next);
      }
      if (m.index > last) pieces.push(atom.slice(last, m.index));
      pieces.push({ ch, n: m[0].length, open, close });
      last = end;
    }
    if (last < atom.length) pieces.push(atom.slice(last));
  });
  return pieces;
}

/** Pieces back to inline tokens: unpaired markers as text, neighbouring strings joined. */
function flatten(pieces: readonly Piece[]): Inline[] {
  const out: Inline[] = [];
  for (const p of pieces) {
    const item = isRun(p) ? p.ch.repeat(p.n) : p;
    if (item === '') continue;
    const tail = out.length - 1;
    if (typeof item === 'string' && typeof out[tail] === 'string') out[tail] += item;
    else out.push(item);
  }
  return out;
}

/** How deeply emphasis nests in `tokens`. */
function depth(tokens: readonly Inline[]): number {
  let d = 0;
  for (const t of tokens) {
    if (typeof t !== 'object') continue;
    if ('em' in t) d = Math.max(d, 1 + depth(t.em));
    else if ('strong' in t) d = Math.max(d, 1 + depth(t.strong));
  }
  return d;
}

/**
 * Pairs the emphasis markers in `atoms` (plain strings, links and code spans) and returns
 * the inline tokens with `em` and `strong` around what they enclose.
 */
export function emphasize(atoms: readonly Inline[]): Inline[] {
  const pieces = split(atoms);
  let i = 0;
  while (i < pieces.length) {
    const closer = pieces[i]!;
    if (!isRun(closer) || !closer.close || closer.n === 0) {
      i++;
      continue;
    }
    let o = i - 1;
    for (; o >= 0; o--) {
      const p = pieces[o]!;
      if (isRun(p) && p.ch === closer.ch && p.open && p.n > 0) break;
    }
    const inner = o >= 0 ? flatten(pieces.slice(o + 1, i)) : [];
    if (o < 0 || inner.length === 0 || depth(inner) >= MAX_DEPTH) {
      i++;
      continue;
    }
    const opener = pieces[o] as Run;
    const use = closer.n >= 2 && opener.n >= 2 ? 2 : 1;
    opener.n -= use;
    closer.n -= use;
    pieces.splice(o + 1, i - o - 1, use === 2 ? { strong: inner } : { em: inner });
    // The closer is now right after the new token; it may close once more (`***a***`).
    i = o + 2;
  }
  return flatten(pieces);
}
