import { expect, fixture, html } from '@open-wc/testing';
import { ParleyMessages } from '../../../src/components/messages/parley-messages.js';
import type { Shown } from '../../../src/components/messages/message-rows.js';
import type { PresenceLine } from '../../../src/components/messages/timeline.js';
import type { AuthorMark } from '../../../src/controllers/presence/roster.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';
import { warningFlag, warningLine } from '../../../src/controllers/presence/trust-words.js';

/** A mark with its words, as the contacts controller makes it. */
function marked(mark: AuthorMark): AuthorMark {
  const flag = warningFlag(mark);
  const line = warningLine(mark.name, mark);
  return { ...mark, ...(flag ? { flag } : {}), ...(line ? { line } : {}) };
}

if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

const T0 = Date.UTC(2025, 0, 6, 9, 0);
const ME = { id: 'me', name: 'Mallory', key: TEST_AUTHOR.key };
const BOB = { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key };
const ALICE2 = { id: 'alice-2', name: 'Alice', key: TEST_AUTHOR.key };
/** Message `i`, a minute after message `i - 1`, from Bob unless told otherwise. */
const msg = (i: number, extra: Partial<Shown> = {}): Shown => ({
  id: `m${String(i).padStart(4, '0')}`,
  room: 'design',
  from: BOB,
  ts: T0 + i * 60_000,
  seq: i,
  sig: SIGNATURE_SHAPED,
  body: { text: `message #${i}` },
  text: `message #${i}`,
  owner: 'me',
  status: 'received',
  ...extra,
});
const sealed = (i: number, kid = 'k1', extra: Partial<Shown> = {}) =>
  msg(i, { sealed: true, kid, ...extra });

interface Options {
  encrypted?: boolean;
  kind?: string;
  authors?: Map<string, AuthorMark>;
  events?: PresenceLine[];
  sharedBefore?: number;
}

async function mount(messages: Shown[], o: Options = {}): Promise<ParleyMessages> {
  const el = await fixture<ParleyMessages>(
    html`<parley-messages
      style="height: 500px; width: 600px"
      self="me"
      .context=${o}
      .messages=${messages}
    ></parley-messages>`,
  );
  await el.updateComplete;
  return el;
}
const root = (el: ParleyMessages) => el.shadowRoot!;
/** Every row's words, in order: a message as `msg:<text>`, a line as its text. */
const rows = (el: ParleyMessages) =>
  [...root(el).querySelectorAll('li')].map((li) =>
    li.classList.contains('msg')
      ? `msg:${li.querySelector('.text')!.textContent}`
      : (li.textContent ?? ''),
  );
const lines = (el: ParleyMessages) =>
  [...root(el).querySelectorAll('.line')].map((l) => l.textContent);
const rowOf = (el: ParleyMessages, id: string) =>
  root(el).querySelector<HTMLElement>(`li.msg[data-id="${id}"]`)!;

describe('<parley-messages> lines and flags', () => {
  it('opens an encrypted room with a line, and says where encryption changed', async () => {
    const el = await mount(
      [
        msg(1, { inClear: true }),
        sealed(2),
        sealed(3),
        msg(4, { from: ME, status: 'delivered', inClear: true }),
        sealed(5),
        sealed(6, 'k2'),
        sealed(7, 'k1'),
      ],
      { encrypted: true },
    );
    const words = rows(el).filter((r) => !/^(Beginning|Monday)/.test(r));
    expect(words).to.deep.equal([
      'Messages in this room are end-to-end encrypted',
      'msg:message #1',
      'End-to-end encrypted from here on',
      'msg:message #2',
      'msg:message #3',
      'Not encrypted from here on',
      'msg:message #4',
      'End-to-end encrypted from here on',
      'msg:message #5',
      "The room's key changed here",
      'msg:message #6',
      // Back to a key already seen: no line (a line only for a key new to the list).
      'msg:message #7',
    ]);
    // Every clear message is flagged, ours included.
    for (const id of ['m0001', 'm0004']) {
      expect(rowOf(el, id).querySelector('[part="flag"]')?.textContent).to.equal('Not encrypted');
    }
    expect(rowOf(el, 'm0002').querySelector('[part="flag"]')).to.equal(null);
  });

  it("warns on a message opened by a key that is not the room's", async () => {
    const el = await mount([sealed(1), sealed(2, 'k9', { otherKey: true, from: BOB })], {
      encrypted: true,
    });
    const flag = rowOf(el, 'm0002').querySelector('[part="flag"]');
    expect(flag?.textContent).to.equal("Sealed with an invite link's key, not this room's");
    expect(rowOf(el, 'm0001').querySelector('[part="flag"]')).to.equal(null);
  });

  it('shows the intro lines in an empty room, and a public room says who can read it', async () => {
    const el = await mount([], { encrypted: true });
    expect(lines(el)).to.deep.equal(['Messages in this room are end-to-end encrypted']);
    const pub = await mount([msg(1)], { kind: 'public' });
    expect(lines(pub)).to.deep.equal([
      "Anyone who knows this room's name can join and read its history",
    ]);
    const plain = await mount([msg(1)]);
    expect(lines(plain)).to.deep.equal([]);
  });

  it("shows an unreadable message and a note as quiet lines, and ours others can't read", async () => {
    const el = await mount(
      [
        sealed(1),
        msg(2, { text: '', unreadable: true, sealed: true, kid: 'k1' }),
        msg(3, { text: '', note: 'Alice made this private room' }),
        sealed(4, 'k1', { from: ME, status: 'delivered', cantRead: ['Bob'] }),
        sealed(5, 'k1', { from: ME, status: 'delivered', cantRead: ['Bob', 'Carol'] }),
        sealed(6, 'k1', { from: ME, status: 'delivered', local: 'tabs' }),
        // A room's own message with nothing to say shows nothing.
        msg(7, { from: ME, text: '', note: '' }),
      ],
      { encrypted: true },
    );
    const quiet = lines(el);
    expect(quiet).to.include("Can't read this message yet — you need the room's key");
    expect(quiet).to.include('Alice made this private room');
    expect(root(el).querySelectorAll('li.msg').length, 'not chat bubbles').to.equal(4);
    expect(rowOf(el, 'm0007'), 'an empty note is no row').to.equal(null);
    const status = (id: string) => rowOf(el, id).querySelector('.status')!.textContent;
    expect(status('m0004')).to.equal("Bob can't read this — they don't have the room key");
    expect(status('m0005')).to.equal(
      "Bob and Carol can't read this — they don't have the room key",
    );
    expect(status('m0006')).to.equal('delivered');
    expect(rowOf(el, 'm0006').querySelector('[part="flag"]')!.textContent).to.equal(
      "Only in this browser's tabs",
    );
  });

  it('never announces an unreadable message or a note as news', async () => {
    const el = await mount([msg(1)]);
    el.messages = [
      msg(1),
      msg(2, { ts: Date.now(), text: '', unreadable: true }),
      msg(3, { ts: Date.now() + 1, text: '', note: 'Bob joined the room' }),
    ];
    await el.updateComplete;
    expect(root(el).querySelector('.live')!.textContent).to.equal('');
    el.messages = [...el.messages, msg(4, { ts: Date.now() + 2 })];
    await el.updateComplete;
    expect(root(el).querySelector('.live')!.textContent).to.contain('New message from Bob');
  });

  it('announces a message written before a line came into the empty list', async () => {
    const el = await mount([]);
    const written = Date.now();
    await new Promise((r) => setTimeout(r, 5)); // the line comes a moment after it was written
    el.context = { events: [{ ts: Date.now(), text: 'Bob joined', key: '1' }] };
    await el.updateComplete;
    el.messages = [msg(1, { ts: written, text: 'hello' })];
    await el.updateComplete;
    expect(root(el).querySelector('.live')!.textContent).to.equal('New message from Bob: hello');
  });

  it('warns before the first message of an impostor, and marks each of their rows', async () => {
    const before = {
      userId: 'alice',
      name: 'Alice',
      fingerprint: '12345 67890 11111',
      verified: false,
    };
    const mark = marked({ name: 'Alice', verified: false, namesakes: [before], alike: [] });
    const el = await mount([msg(1), msg(2, { from: ALICE2 }), msg(3), msg(4, { from: ALICE2 })], {
      authors: new Map([['alice-2', mark]]),
    });
    const words = rows(el).filter((r) => !/^(Beginning|Monday)/.test(r));
    expect(words).to.deep.equal([
      'msg:message #1',
      'This Alice is not the one you talked to before — their safety code changed',
      'msg:message #2',
      'msg:message #3',
      'msg:message #4',
    ]);
    for (const id of ['m0002', 'm0004']) {
      const row = rowOf(el, id);
      expect(row.querySelector('[part="flag"]')!.textContent).to.equal(
        '⚠ Not the Alice you talked to before',
      );
      // Not only a colour: the words are there for everyone, and the row is set apart.
      expect(row.classList.contains('warn')).to.equal(true);
      expect(getComputedStyle(row).borderStyle).to.equal('dashed');
    }
    expect(rowOf(el, 'm0003').classList.contains('warn')).to.equal(false);
  });

  it('warns about an author whose name looks like another here (UTS #39), not about a different name', async () => {
    const fake = { id: 'mallory', name: 'A\u04CFice', key: TEST_AUTHOR.key };
    const real = {
      userId: 'alice',
      name: 'Alice',
      fingerprint: '12345 67890 11111',
      verified: false,
    };
    const mark = marked({
      name: fake.name,
      verified: false,
      namesakes: [],
      alike: [real],
      scripts: ['Latin', 'Cyrillic'],
    });
    const el = await mount([msg(1), msg(2, { from: fake }), msg(3, { from: fake })], {
      authors: new Map([['mallory', mark]]),
    });
    expect(lines(el)).to.include(
      '⚠ Not the same person as Alice (12345 67890 11111): the names look alike, the keys differ — compare safety codes. The name mixes Latin and Cyrillic letters.',
    );
    for (const id of ['m0002', 'm0003']) {
      expect(rowOf(el, id).querySelector('[part="flag"]')!.textContent).to.equal(
        "⚠ Looks like Alice's name — another person",
      );
      expect(rowOf(el, id).classList.contains('warn')).to.equal(true);
    }
    // Bob's name looks like nobody's: no flag, no line.
    expect(rowOf(el, 'm0001').querySelector('[part="flag"]')).to.equal(null);
    expect(rowOf(el, 'm0001').classList.contains('warn')).to.equal(false);
  });

  it('marks the rows of a verified author "Verified", readable by screen readers on each', async () => {
    const mark: AuthorMark = { name: 'Bob', verified: true, namesakes: [], alike: [] };
    const el = await mount([msg(1), msg(2), msg(3, { from: ALICE2 })], {
      authors: new Map([['bob', mark]]),
    });
    const first = rowOf(el, 'm0001').querySelector<HTMLElement>('[part="verified"]')!;
    expect(first.textContent).to.equal('✓ Verified');
    expect(getComputedStyle(first).display).not.to.equal('none');
    expect(first.getBoundingClientRect().width).to.be.greaterThan(0);
    // The group's next row says it too, to screen readers (its header is hidden to the eye).
    const next = rowOf(el, 'm0002').querySelector<HTMLElement>('[part="verified"]')!;
    expect(next.textContent).to.equal('✓ Verified');
    expect(next.classList.contains('visually-hidden')).to.equal(true);
    expect(rowOf(el, 'm0003').querySelector('[part="verified"]'), 'not verified').to.equal(null);
    expect(rowOf(el, 'm0001').classList.contains('warn')).to.equal(false);
  });

  it('shows joins and leaves as quiet lines in time order, and the shared history once', async () => {
    const events: PresenceLine[] = [
      { ts: T0 + 90_000, text: 'Carol joined', key: '1' },
      { ts: T0 + 10 * 60_000, text: 'Carol left', key: '2' },
    ];
    const el = await mount([msg(1), msg(2), msg(3, { from: ME, status: 'delivered' })], {
      events,
      sharedBefore: T0 + 150_000,
    });
    const words = rows(el).filter((r) => !/^(Beginning|Monday)/.test(r));
    expect(words).to.deep.equal([
      "This room's history was shared with you by the members here",
      'msg:message #1',
      'Carol joined',
      'msg:message #2',
      'msg:message #3',
      'Carol left',
    ]);
    // Lines are not messages: nothing is announced for them.
    expect(root(el).querySelector('.live')!.textContent).to.equal('');
  });
});
