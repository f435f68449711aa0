/**
 * The readable export: one self-contained page with no script and nothing from outside, every
 * user string escaped — hostile text comes out as the text it is — and what the list shows
 * (days, authors, edits, deletions, replies, reactions, files, notes, unreadable messages).
 * Then the room controller's entry points (history-io.ts) on a real encrypted room.
 */
import { expect } from '@open-wc/testing';
import {
  escapeHtml,
  EXPORT_CSP,
  exportHtml,
  type HtmlExportMeta,
} from '../../../src/controllers/room/export-html.js';
import { exportName, exportRoom, importRoom } from '../../../src/controllers/room/history-io.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import type { ActiveRoom } from '../../../src/controllers/room/room-context.js';
import type { Manifest } from '../../../src/protocol/file-manifest.js';
import { freshDb } from '../../support/db.js';
import { roomKey, storeHistory } from './history-fixtures.js';

const HOSTILE = `<img src=x onerror=alert(1)></style><script>alert("x")</script> 'quoted' & "double"`;
const META: HtmlExportMeta = {
  room: 'general',
  title: '#general',
  exported: Date.UTC(2026, 11, 7, 12),
  encrypted: false,
};

let n = 0;
/** A row as the list shows it. */
function row(
  fields: Partial<ChatMessage> & { text?: string },
  ts = Date.UTC(2026, 11, 6, 10),
): ChatMessage {
  n++;
  return {
    id: `id-${n}`,
    room: 'general',
    from: { id: 'author', name: 'Alice', key: 'ed25519:k' },
    ts: ts + n,
    seq: n,
    sig: 's',
    body: { text: fields.text ?? '' },
    owner: 'me',
    status: 'received',
    text: '',
    ...fields,
  };
}

const page = (html: string) => new DOMParser().parseFromString(html, 'text/html');

/** Every element with an attribute whose name begins with "on" (an event handler). */
const handlers = (doc: Document) =>
  [...doc.querySelectorAll('*')].filter((el) =>
    [...el.attributes].some((a) => /^on/i.test(a.name)),
  );

describe('HTML export', function () {
  this.timeout(20000);

  it('escapes the five characters, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a> ok`)).to.equal(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; ok',
    );
  });

  it('turns hostile text into text: no script, no handler, no element of its own', () => {
    const thumb = {
      type: 'image/svg+xml',
      data: 'PHN2Zz4',
      w: 1,
      h: 1,
    } as unknown as Manifest['thumb'];
    const rows = [
      row({ text: HOSTILE }),
      row({ text: 'reply', replyTo: { id: 'id-1', name: HOSTILE, excerpt: HOSTILE } }),
      row({ text: '', file: { name: `${HOSTILE}.png`, size: 2048, thumb } as Manifest }),
      row({
        text: 'r',
        reactions: [{ emoji: HOSTILE, by: [{ id: 'b', name: HOSTILE }], mine: false }],
      }),
      row({ text: '', note: HOSTILE }),
    ];
    const html = exportHtml(rows, { ...META, room: HOSTILE, title: HOSTILE });
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.include('<img src=x');
    expect(html.match(/<\/style>/g)).to.have.length(1);
    // The words stay (as text); no tag carries them as an attribute.
    expect(html).to.include('onerror=alert(1)');
    expect(html).to.not.match(/<[^<>]*\son\w+\s*=/i);
    const doc = page(html);
    expect(doc.querySelectorAll('script, iframe, object, embed, link, svg')).to.have.length(0);
    expect(handlers(doc)).to.deep.equal([]);
    // The one image allowed is a thumbnail of an allowed type: this one is not.
    expect(doc.querySelectorAll('img')).to.have.length(0);
    expect(doc.title).to.equal(HOSTILE);
    expect(doc.querySelector('.text')?.textContent).to.equal(HOSTILE);
    expect(doc.querySelector('blockquote')?.textContent).to.equal(`${HOSTILE}: ${HOSTILE}`);
    expect(doc.querySelector('.file')?.textContent).to.equal(`file: ${HOSTILE}.png (2.0 KB)`);
    expect(doc.querySelector('.reactions li')?.textContent).to.equal(`${HOSTILE} 1: ${HOSTILE}`);
    expect(doc.querySelector('.note')?.textContent).to.equal(HOSTILE);
  });

  it('is self-contained: its policy forbids scripts and fetches, its style is inline', () => {
    const doc = page(exportHtml([row({ text: 'hi' })], META));
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(csp?.getAttribute('content')).to.equal(EXPORT_CSP);
    expect(EXPORT_CSP).to.equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(doc.querySelectorAll('style')).to.have.length(1);
    expect(doc.querySelector('style')?.textContent).to.include('prefers-color-scheme: dark');
    expect(doc.querySelectorAll('[src]:not(img), [href]')).to.have.length(0);
  });

  it('shows days, authors, times, edits, deletions, replies, reactions, files, notes', () => {
    const day1 = Date.UTC(2026, 11, 6, 10);
    const day2 = Date.UTC(2026, 11, 7, 10);
    const jpeg = { type: 'image/jpeg', data: '_9j_4A', w: 2, h: 2 } as Manifest['thumb'];
    const rows = [
      row({ text: 'first\nsecond line', edited: day1 + 5 }, day1),
      row({ text: '', deleted: true }, day1),
      row({ text: 'answer', replyTo: { id: 'x', deleted: true } }, day1),
      row({ text: 'answer 2', replyTo: { id: 'y' } }, day1),
      row(
        {
          text: 'liked',
          reactions: [
            {
              emoji: '👍',
              by: [
                { id: 'a', name: 'Alice' },
                { id: 'b', name: 'Bob' },
              ],
              mine: true,
            },
          ],
        },
        day2,
      ),
      row(
        { text: 'see', file: { name: 'a.jpg', size: 3 * 1024 * 1024, thumb: jpeg } as Manifest },
        day2,
      ),
      row({ text: '', unreadable: true }, day2),
      row({ text: '', note: 'Bob joined the room' }, day2),
      row({ text: '', event: { kind: 'delete', target: 'id-1' } }, day2),
    ];
    const doc = page(exportHtml(rows, META));
    expect([...doc.querySelectorAll('.day')].map((d) => d.textContent)).to.have.length(2);
    const items = [...doc.querySelectorAll('li.msg, li.note')];
    expect(items).to.have.length(8); // the event is never a row of its own
    expect(items[0]!.querySelector('.meta b')?.textContent).to.equal('Alice');
    expect(items[0]!.querySelector('time')?.getAttribute('datetime')).to.equal(
      new Date(rows[0]!.ts).toISOString(),
    );
    expect(items[0]!.querySelector('.mark')?.textContent).to.equal('edited');
    expect(items[0]!.querySelector('.text')?.textContent).to.equal('first\nsecond line');
    expect(doc.querySelector('style')?.textContent).to.match(/\.text \{ white-space: pre-wrap;/);
    expect(items[1]!.textContent).to.include('message deleted');
    expect(items[2]!.querySelector('blockquote')?.textContent).to.equal('message deleted');
    expect(items[3]!.querySelector('blockquote')?.textContent).to.equal('an earlier message');
    expect(items[4]!.querySelector('.reactions li')?.textContent).to.equal('👍 2: Alice, Bob');
    expect(items[5]!.querySelector('.file')?.textContent).to.equal('file: a.jpg (3.0 MB)');
    expect(items[5]!.querySelector('img')?.getAttribute('src')).to.equal(
      'data:image/jpeg;base64,/9j/4A==',
    );
    expect(items[6]!.textContent).to.include('can’t read this message');
    expect(items[7]!.textContent).to.equal('Bob joined the room');
    expect(doc.querySelector('.about')?.textContent).to.not.include('encrypted');
    const empty = page(exportHtml([], { ...META, encrypted: true }));
    expect(empty.body.textContent).to.include('No messages.');
    expect(empty.querySelector('.about')?.textContent).to.include('end-to-end encrypted');
  });

  it('exports an encrypted room: the JSON sealed, the page opened; imports through the room', async () => {
    const one = await freshDb();
    const two = await freshDb();
    try {
      const key = await roomKey();
      const h = await storeHistory(one.db, 'account-a', 'secret', key);
      const active: ActiveRoom = {
        owner: 'account-a',
        room: 'secret',
        db: one.db,
        self: h.alice,
        name: 'Alice',
      };
      const json = await exportRoom(active, [key], 'json', '#secret');
      expect(json.name).to.equal(exportName('secret', 'json'));
      expect(json.name).to.match(/^parley-secret-\d{4}-\d{2}-\d{2}\.json$/);
      expect(await json.blob.text()).to.not.include('secret world');
      const html = await exportRoom(active, [key], 'html', '#secret');
      expect(html.name).to.match(/\.html$/);
      expect(html.blob.type).to.equal('text/html');
      const doc = page(await html.blob.text());
      const texts = [...doc.querySelectorAll('.text')].map((t) => t.textContent);
      expect(texts).to.include('Hi Alice');
      expect(texts).to.include('two\nlines');
      expect(texts).to.include('Hello, edited world');
      expect(doc.querySelectorAll('.mark')).to.have.length(1);
      expect(doc.querySelector('.reactions li')?.textContent).to.equal('👍 1: Bob');
      expect(doc.querySelector('blockquote')?.textContent).to.equal('Alice: Hello, edited world');
      expect(doc.querySelector('.about')?.textContent).to.include('end-to-end encrypted');
      // Without the key: the same messages, each one quiet line.
      const locked = page(await (await exportRoom(active, [], 'html', '#secret')).blob.text());
      expect(locked.body.textContent).to.not.include('Hi Alice');
      expect(locked.querySelectorAll('li.msg').length).to.be.greaterThan(0);
      expect(
        [...locked.querySelectorAll('li.msg')].every((li) =>
          li.textContent!.includes('can’t read this message'),
        ),
      ).to.equal(true);
      // Into Bob's account elsewhere, through the room's entry point: his own are delivered.
      const there: ActiveRoom = {
        owner: 'account-b',
        room: 'other',
        db: two.db,
        self: h.bob,
        name: 'Bob',
      };
      const report = await importRoom(there, json.blob);
      expect(report).to.deep.include({ room: 'secret', added: 5, refused: 0 });
      const mine = (await two.db.getAll('messages')).filter((m) => m.from.id === h.bob.id);
      expect(mine.map((m) => m.status)).to.deep.equal(['delivered', 'delivered']);
    } finally {
      await one.drop();
      await two.drop();
    }
  });
});
