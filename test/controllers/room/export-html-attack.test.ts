/**
 * Hostile names, texts, emoji, file names, thumbnails and a room title against "Export as web
 * page (HTML)": the page, parsed by the browser, holds only the elements and attributes the
 * exporter writes (no script, link, frame, form, base, event handler, or image from outside),
 * every hostile string comes out as the text it is, and the page loaded with scripts allowed
 * runs none of them. Fails if one user string reaches the markup unescaped.
 */
import { expect } from '@open-wc/testing';
import { exportHtml, type HtmlExportMeta } from '../../../src/controllers/room/export-html.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import type { Manifest } from '../../../src/protocol/file-manifest.js';

/** Each tries to end the context it lands in and run something that tells the test page. */
const PAYLOADS = [
  `<script>parent.postMessage('ran:script','*')</script>`,
  `<img src=x onerror="parent.postMessage('ran:img','*')">`,
  `</style><svg onload="parent.postMessage('ran:svg','*')">`,
  `</title><iframe srcdoc="<script>parent.parent.postMessage('ran:frame','*')</script>">`,
  `"><a href="javascript:parent.postMessage('ran:a','*')" id=x>click</a>`,
  `'><meta http-equiv="refresh" content="0;url=javascript:parent.postMessage('ran:meta','*')">`,
  `<!--`,
  `<base href="https://attacker.invalid/"><link rel=stylesheet href="https://attacker.invalid/x.css">`,
  `<form action="https://attacker.invalid/"><input name=q autofocus onfocus="parent.postMessage('ran:focus','*')">`,
  `]]><![CDATA[ &lt;script&gt; &amp;amp; \u202e\u2066`,
];

/** What the exporter writes: anything else in the page came from a user string. */
const ELEMENTS = new Set(
  'html head meta title style body header h1 p main h2 ol li div b time span blockquote ul img'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set([
  'lang',
  'charset',
  'http-equiv',
  'content',
  'name',
  'class',
  'datetime',
  'alt',
  'src',
]);

let n = 0;
function row(fields: Partial<ChatMessage>, who = PAYLOADS[n % PAYLOADS.length]!): ChatMessage {
  n++;
  return {
    id: `id-${n}`,
    room: 'general',
    from: { id: `author-${n}`, name: who, key: 'ed25519:k' },
    ts: Date.UTC(2026, 11, 6, 10) + n * 60_000,
    seq: 0,
    body: { text: '' },
    sig: 's',
    owner: 'me',
    status: 'received',
    text: '',
    ...fields,
  };
}

/** Rows that put every payload in every place a user string goes. */
function hostileRows(): ChatMessage[] {
  const rows: ChatMessage[] = [];
  for (const p of PAYLOADS) {
    const file = {
      name: `${p}.png`,
      size: 10,
      type: 'image/png',
      // A thumbnail doctored to leave its attribute, and one of a type no thumbnail has.
      thumb: { type: 'image/png', data: `AAAA" onerror="parent.postMessage('ran:thumb','*')` },
    } as unknown as Manifest;
    const svgThumb = {
      name: 'x.svg',
      size: 1,
      type: 'image/svg+xml',
      thumb: { type: 'image/svg+xml', data: 'PHN2Zy8-' },
    } as unknown as Manifest;
    rows.push(
      row({ text: p }),
      row({ text: p, file }),
      row({ text: '', file: svgThumb }),
      row({ note: p }),
      row({ text: 'a reply', replyTo: { id: 'id-1', name: p, excerpt: p } }),
      row({
        text: p,
        edited: 1,
        reactions: [{ emoji: p, by: [{ id: 'e', name: p }], mine: false }],
      }),
      row({ text: p, unknown: p }),
    );
  }
  return rows;
}

const META: HtmlExportMeta = {
  room: PAYLOADS[0]!,
  title: PAYLOADS[3]!,
  exported: Date.UTC(2026, 11, 7, 12),
  encrypted: true,
};

describe('attack: hostile strings against the HTML export', function () {
  this.timeout(20000);

  it('the parsed page holds only the elements and attributes the exporter writes', () => {
    const page = exportHtml(hostileRows(), META);
    const doc = new DOMParser().parseFromString(page, 'text/html');
    const tags = new Set([...doc.querySelectorAll('*')].map((e) => e.localName));
    expect([...tags].filter((t) => !ELEMENTS.has(t))).to.deep.equal([]);
    const attrs = [...doc.querySelectorAll('*')].flatMap((e) => e.getAttributeNames());
    expect([...new Set(attrs)].filter((a) => !ATTRIBUTES.has(a))).to.deep.equal([]);
    // The doctored thumbnail and the SVG one are left out: no image at all here.
    expect(doc.querySelectorAll('img').length).to.equal(0);
    expect(doc.querySelectorAll('meta').length).to.equal(4);
    expect(doc.querySelectorAll('style').length).to.equal(1);
    expect(doc.querySelector('meta[http-equiv]')?.getAttribute('content')).to.match(
      /^default-src 'none';/,
    );
    // Every payload is on the page as the text it is (title, room, names, texts, notes).
    const text = doc.documentElement.textContent ?? '';
    expect(PAYLOADS.filter((p) => !text.includes(p))).to.deep.equal([]);
    expect(doc.title).to.equal(PAYLOADS[3]);
  });

  it('loaded with scripts allowed, the page runs none of them', async () => {
    const heard: string[] = [];
    const listen = (e: MessageEvent) => heard.push(String(e.data));
    window.addEventListener('message', listen);
    const frame = document.createElement('iframe');
    // Scripts allowed, in an origin of its own: only the page's own policy and escaping hold.
    frame.setAttribute('sandbox', 'allow-scripts');
    const loaded = new Promise((resolve) =>
      frame.addEventListener('load', resolve, { once: true }),
    );
    frame.srcdoc = exportHtml(hostileRows(), META);
    document.body.append(frame);
    try {
      await loaded;
      // Handlers (onerror, onload, onfocus) and a refresh get time to fire.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(heard).to.deep.equal([]);
    } finally {
      frame.remove();
      window.removeEventListener('message', listen);
    }
  });
});
