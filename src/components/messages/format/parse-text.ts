/**
 * A message's text → tokens (tokens.ts): fenced code blocks, `> ` quotes and ordinary lines,
 * then inside the lines code spans, links (links.ts) and emphasis (emphasis.ts). Only this
 * small subset of Markdown exists here: `[text](url)`, headings, lists and HTML are text.
 * A marker that is not closed (a fence, a backtick, an asterisk) stays as typed.
 */
import { emphasize } from './emphasis.js';
import { findLinks } from './links.js';
import { isPlain } from './plain.js';
import type { Block, Inline } from './tokens.js';

/** An opening fence: three backticks and an optional language word. */
const FENCE_OPEN = /^ {0,3}```[ \t]*([\w+#.-]{0,20})[ \t]*\r?$/;
/** A closing fence: three backticks alone. */
const FENCE_CLOSE = /^ {0,3}```[ \t]*\r?$/;
/** A quote line: `>` then a space, or `>` alone. */
const QUOTE = /^ {0,3}>(?: |\r?$)/;
export { isPlain };

/** A string's links as tokens between its plain parts. */
function linked(text: string, out: Inline[]): void {
  let at = 0;
  for (const l of findLinks(text)) {
    if (l.start > at) out.push(text.slice(at, l.start));
    out.push({ link: l.href, text: l.text });
    at = l.end;
  }
  if (at < text.length) out.push(text.slice(at));
}

/**
 * Code spans first (a run of backticks up to the next run of the same length; one space
 * inside each end is dropped, as Markdown does), then links in what lies between them.
 */
function atoms(text: string): Inline[] {
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ at: m.index, n: m[0].length }));
  const out: Inline[] = [];
  let at = 0;
  for (let r = 0; r < runs.length; r++) {
    const open = runs[r]!;
    if (open.at < at) continue;
    let c = r + 1;
    while (c < runs.length && runs[c]!.n !== open.n) c++;
    const close = runs[c];
    if (!close) continue;
    let code = text.slice(open.at + open.n, close.at);
    if (/^ .*[^ ].* $/s.test(code)) code = code.slice(1, -1);
    if (open.at > at) linked(text.slice(at, open.at), out);
    out.push({ code });
    at = close.at + close.n;
    r = c;
  }
  if (at < text.length) linked(text.slice(at), out);
  return out;
}

/** The inline tokens of a run of text. */
export function parseInline(text: string): Inline[] {
  return isPlain(text) ? [text] : emphasize(atoms(text));
}

/**
 * For each line, the index of the first closing fence after it (or `lines.length`): one pass
 * from the end, so many unclosed fences cost no more than one.
 */
function closingFences(lines: readonly string[]): number[] {
  const next = new Array<number>(lines.length);
  let found = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    next[i] = found;
    if (FENCE_CLOSE.test(lines[i]!)) found = i;
  }
  return next;
}

/** The blocks of a message's text, in order; their texts keep their own newlines. */
export function parseText(text: string): Block[] {
  if (isPlain(text)) return [{ text: [text] }];
  const lines = text.split('\n');
  const closes = text.includes('```') ? closingFences(lines) : [];
  const blocks: Block[] = [];
  let plain: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (plain.length) blocks.push({ text: parseInline(plain.join('\n')) });
    if (quote.length) blocks.push({ quote: parseInline(quote.join('\n')) });
    plain = [];
    quote = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = closes.length ? FENCE_OPEN.exec(line) : null;
    const end = closes[i] ?? lines.length;
    if (fence && end < lines.length) {
      flush();
      blocks.push({ fence: lines.slice(i + 1, end).join('\n'), lang: fence[1] ?? '' });
      i = end;
    } else if (QUOTE.test(line)) {
      if (plain.length) flush();
      quote.push(line.replace(QUOTE, ''));
    } else {
      if (quote.length) flush();
      plain.push(line);
    }
  }
  flush();
  return blocks;
}
