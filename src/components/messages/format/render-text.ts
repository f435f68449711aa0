/**
 * A message's text as Lit templates: parsed once (parse-text.ts), rendered from the tokens.
 * Every character of the text ends in a text node or in an attribute bound by Lit; links
 * carry only URLs that links.ts checked. Nothing here parses HTML.
 */
import { html, type TemplateResult } from 'lit';
import { codeBlock } from './code-block.js';
import { isPlain, parseText } from './parse-text.js';
import type { Block, Inline } from './tokens.js';

/** Texts whose rendering is kept: the virtual list re-renders rows while scrolling. */
export const CACHE_SIZE = 2000;
const cache = new Map<string, TemplateResult>();

/** What a link says about itself: a new tab, no opener, no referrer, no endorsement. */
const REL = 'noopener noreferrer nofollow';

function inline(tokens: readonly Inline[]): unknown[] {
  return tokens.map((t) => {
    if (typeof t === 'string') return t;
    if ('link' in t)
      return html`<a class="fmt-link" href=${t.link} target="_blank" rel=${REL}>${t.text}</a>`;
    if ('code' in t) return html`<code class="fmt-code">${t.code}</code>`;
    if ('em' in t) return html`<em>${inline(t.em)}</em>`;
    return html`<strong>${inline(t.strong)}</strong>`;
  });
}

function block(b: Block): unknown {
  if ('fence' in b) return codeBlock(b.fence, b.lang);
  if ('quote' in b) return html`<blockquote class="fmt-quote">${inline(b.quote)}</blockquote>`;
  return inline(b.text);
}

/**
 * The text of a message, formatted: links (http:, https:, mailto:, `www.`), `*em*`/`_em_`,
 * `**strong**`, `` `code` ``, fenced code blocks with a copy button, and `> quote` lines;
 * everything else as typed, newlines kept (the container has `white-space: pre-wrap`).
 * Results are cached by text ({@link CACHE_SIZE} most recent), so rendering a row again costs
 * a lookup. Style the result with `formatStyles` (format.styles.ts).
 */
export function renderText(text: string): TemplateResult {
  const hit = cache.get(text);
  if (hit) {
    // Most recently used goes last: the oldest is the one dropped.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const result = isPlain(text) ? html`${text}` : html`${parseText(text).map(block)}`;
  cache.set(text, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}
