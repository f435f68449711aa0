/**
 * Browser side of the formatted-rows benchmark (`bench/format.ts`). Bundled with esbuild and
 * loaded into one headless Chromium page; Node drives it through `window.bench`.
 *
 * Two lists, each given N messages at once and timed from then to the next painted frame:
 * - `parley`: the real `<parley-messages>` (its rows decide how text is rendered: once they
 *   call `renderText`, formatted messages show formatted there; `formatted` counts what did);
 * - `lit`: a plain Lit list whose rows are `<p class="text">${renderText(text)}</p>` in a
 *   shadow root with the format styles: the renderer alone, whatever the rows do.
 * A formatted message and its plain twin have the same words and lines; the twin has no
 * marker and nothing link-like, so it takes the renderer's plain path.
 */
import { css, html, render } from 'lit';
import { ParleyMessages } from '../../src/components/messages/parley-messages.js';
import { formatStyles } from '../../src/components/messages/format/format.styles.js';
import { isPlain } from '../../src/components/messages/format/parse-text.js';
import {
  buildBlocks,
  renderText,
  tokensOf,
} from '../../src/components/messages/format/render-text.js';
import type { ChatMessage } from '../../src/controllers/room/message-list.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../test/support/identity.js';

customElements.define('parley-messages', ParleyMessages);

const OWNER = 'bench-owner';
const PEOPLE = ['Ann', 'Ben', 'Cleo', 'Dev'].map((name) => ({
  id: `id-${name}`,
  name,
  key: TEST_AUTHOR.key,
}));

/** Message `i` of round `seed`, formatted: every construct, a code block every tenth. */
function formattedText(i: number, seed: number): string {
  const tag = `${seed}-${i}`;
  if (i % 10 === 9) {
    return `\`\`\`ts\nconst x = renderText(text${i});\nconsole.log(x, ${seed});\n\`\`\`\nthat is all (${tag})`;
  }
  const texts = [
    `**Heads up** the build at https://ci.example.com/run/${tag} is _green_ again`,
    `try \`npm run bench\` and *tell me* what p95 says (${tag})`,
    `> did you push it?\n> the branch, I mean\nyes, see www.example.org/pr/${tag}`,
    `mail ann@example.com about **the ${tag} invoice**, or *not*`,
  ];
  return texts[i % texts.length]!;
}

/** The plain twin: the same words, markers and link syntax taken out. */
function plainText(i: number, seed: number): string {
  const text = formattedText(i, seed)
    .replace(/[*_`>]/g, '')
    .replace(/https?:\/\/|www\./g, '')
    .replace(/@/g, ' at ');
  if (!isPlain(text)) throw new Error(`not plain: ${text}`);
  return text;
}

export type Kind = 'formatted' | 'plain';
export type Where = 'parley' | 'lit';

function messages(kind: Kind, n: number, seed: number): ChatMessage[] {
  const ts0 = 1_700_000_000_000 + seed * 10_000_000;
  return Array.from({ length: n }, (_, i) => {
    const text = kind === 'formatted' ? formattedText(i, seed) : plainText(i, seed);
    const from = PEOPLE[i % PEOPLE.length]!;
    const ts = ts0 + i * 30_000;
    return {
      id: `${ts.toString(16).padStart(12, '0')}-7000-8000-${i.toString(16).padStart(12, '0')}`,
      room: 'bench-room',
      from,
      ts,
      seq: i,
      body: { text },
      sig: SIGNATURE_SHAPED,
      text,
      owner: OWNER,
      status: 'received',
    } as ChatMessage;
  });
}

const host = () => document.getElementById('host')!;
const nextPaint = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      // A message posted from a frame callback is handled after that frame is painted.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    }),
  );

const litStyles = css`
  ol {
    height: 100%;
    overflow-y: auto;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

/** One measurement: ms from giving the list its messages to the next painted frame. */
export interface RoundResult {
  ms: number;
  /** Of `ms`, the part until the list's DOM was built (the rest is style, layout and paint). */
  scriptMs: number;
  /** Nodes in the list's shadow root (elements, text, Lit's marker comments). */
  nodes: number;
  /** Message rows in the DOM. */
  rows: number;
  /** Elements made by formatting (links, emphasis, code, quotes, code blocks) in the DOM. */
  formatted: number;
}
const FORMATTED = 'a, em, strong, code, blockquote, pre';

/** Renders `n` messages of `kind` (texts unique to `seed`) into a fresh list at `where`. */
async function round(where: Where, kind: Kind, n: number, seed: number): Promise<RoundResult> {
  const list = messages(kind, n, seed);
  let root: ShadowRoot;
  let t0: number;
  if (where === 'parley') {
    const el = new ParleyMessages();
    el.self = OWNER;
    host().replaceChildren(el);
    await el.updateComplete;
    await nextPaint();
    t0 = performance.now();
    el.messages = list;
    await el.updateComplete;
    root = el.shadowRoot!;
  } else {
    const div = document.createElement('div');
    host().replaceChildren(div);
    root = div.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [litStyles.styleSheet!, formatStyles.styleSheet!];
    await nextPaint();
    t0 = performance.now();
    // prettier-ignore
    render(html`<ol>${list.map((m) => html`<li class="msg"><b>${m.from.name}</b><p class="text">${renderText(m.text)}</p></li>`)}</ol>`, root);
  }
  const scriptMs = performance.now() - t0;
  await nextPaint();
  const ms = performance.now() - t0;
  let nodes = 0;
  for (const walker = document.createTreeWalker(root); walker.nextNode();) nodes++;
  return {
    ms,
    scriptMs,
    nodes,
    rows: root.querySelectorAll('li.msg').length,
    formatted: root.querySelectorAll(FORMATTED).length,
  };
}

/** Script alone, per message (µs): parsing fresh texts, then building their nodes. */
export interface ScriptCost {
  parseUs: number;
  buildUs: number;
  /** Setting the plain twins as `textContent`, for scale. */
  plainUs: number;
}

/** Parses `n` fresh formatted texts (new to the cache), builds their nodes, sets plain twins. */
function script(n: number, seed: number): ScriptCost {
  const texts = Array.from({ length: n }, (_, i) => formattedText(i, seed));
  const twins = Array.from({ length: n }, (_, i) => plainText(i, seed));
  let t0 = performance.now();
  const tokens = texts.map(tokensOf);
  const parse = performance.now() - t0;
  t0 = performance.now();
  for (const t of tokens) buildBlocks(t);
  const build = performance.now() - t0;
  t0 = performance.now();
  for (const t of twins) document.createElement('p').textContent = t;
  const plain = performance.now() - t0;
  const us = (ms: number) => (ms * 1000) / n;
  return { parseUs: us(parse), buildUs: us(build), plainUs: us(plain) };
}

/** What Node may call on `window.bench`. */
export interface FormatPageApi {
  script(n: number, seed: number): ScriptCost;
  round(where: Where, kind: Kind, n: number, seed: number): Promise<RoundResult>;
  /** Whether the page is cross-origin isolated, i.e. `performance.now()` has fine resolution. */
  isolated(): boolean;
}

const api: FormatPageApi = {
  script,
  round,
  isolated: () => globalThis.crossOriginIsolated === true,
};
(globalThis as unknown as { bench: FormatPageApi }).bench = api;
