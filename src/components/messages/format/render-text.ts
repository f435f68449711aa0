/**
 * A message's text, formatted: parsed once per text (parse-text.ts, cached), then built as
 * nodes from the tokens, every character of the text in a text node (`textContent`, `append`)
 * and each link's checked URL set as its `href`. Nothing here parses HTML.
 *
 * Why nodes rather than a Lit template per token: a nested template costs two marker
 * comments and a template instance for every piece of text, emphasis and link (three times
 * the plain row's DOM, five to ten times its script time in bench/format.ts); built nodes
 * cost only the elements themselves. For Lit, {@link renderText} wraps them in a directive.
 */
import { html, noChange, type TemplateResult } from 'lit';
import { Directive, directive } from 'lit/directive.js';
import { codeBlock, element } from './code-block.js';
import { isPlain, parseText } from './parse-text.js';
import type { Block, Inline } from './tokens.js';

/** Texts whose tokens are kept: rows are built again as the virtual list scrolls. */
export const CACHE_SIZE = 2000;
const cache = new Map<string, readonly Block[]>();

/** What a link says about itself: a new tab, no opener, no referrer, no endorsement. */
const REL = 'noopener noreferrer nofollow';

/** The tokens of `text`, parsed once while it is among the {@link CACHE_SIZE} most recent. */
export function tokensOf(text: string): readonly Block[] {
  const hit = cache.get(text);
  if (hit) {
    // Most recently used goes last: the oldest is the one dropped.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const blocks = parseText(text);
  cache.set(text, blocks);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return blocks;
}

function appendInline(parent: Node, tokens: readonly Inline[]): void {
  for (const t of tokens) {
    if (typeof t === 'string') parent.appendChild(document.createTextNode(t));
    else if ('link' in t) {
      const a = parent.appendChild(element('a', 'fmt-link', t.text));
      a.href = t.link;
      a.target = '_blank';
      a.rel = REL;
    } else if ('code' in t) parent.appendChild(element('code', 'fmt-code', t.code));
    else if ('em' in t) appendInline(parent.appendChild(element('em', '')), t.em);
    else appendInline(parent.appendChild(element('strong', '')), t.strong);
  }
}

/** New nodes for `blocks`, in a fragment. */
export function buildBlocks(blocks: readonly Block[]): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const b of blocks) {
    if ('fence' in b) out.appendChild(codeBlock(b.fence, b.lang));
    else if ('quote' in b)
      appendInline(out.appendChild(element('blockquote', 'fmt-quote')), b.quote);
    else appendInline(out, b.text);
  }
  return out;
}

/**
 * The text of a message as new nodes: links (http:, https:, mailto:, `www.`), `*em*`/`_em_`,
 * `**strong**`, `` `code` ``, fenced code blocks with a copy button, and `> quote` lines;
 * everything else as typed, newlines kept (the container has `white-space: pre-wrap`).
 * For a container that is not rendered by Lit: `p.replaceChildren(formatText(text))`.
 */
export const formatText = (text: string): DocumentFragment => buildBlocks(tokensOf(text));

/** Puts the nodes of a text's blocks in a Lit child part; the same blocks again change nothing. */
class Formatted extends Directive {
  private last: readonly Block[] | undefined;
  render(blocks: readonly Block[]): unknown {
    if (blocks === this.last) return noChange;
    this.last = blocks;
    return buildBlocks(blocks);
  }
}
const formatted = directive(Formatted);

/**
 * {@link formatText} for Lit templates: `html\`<p>${renderText(text)}</p>\``. Plain text is
 * one text node. Style the result with `formatStyles` (format.styles.ts).
 */
export function renderText(text: string): TemplateResult {
  return isPlain(text) ? html`${text}` : html`${formatted(tokensOf(text))}`;
}
