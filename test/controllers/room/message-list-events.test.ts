import { expect } from '@open-wc/testing';
import { MessageList, type ChatMessage } from '../../../src/controllers/room/message-list.js';
import type { Manifest } from '../../../src/protocol/file-manifest.js';
import type { StoredMessage } from '../../../src/store/schema.js';
import { ANN, BOB, CY, del, edit, react, row, type Who } from '../../support/event-rows.js';

/** The react events of `msgs` that a later one of the same (sender, target, emoji) supersedes. */
function supersededReacts(msgs: readonly ChatMessage[]): Set<string> {
  const latest = new Map<string, ChatMessage>();
  for (const m of msgs) {
    if (m.event?.kind !== 'react') continue;
    const key = `${m.event.target}\n${m.from.id}\n${m.event.emoji}`;
    const now = latest.get(key);
    if (!now || m.ts > now.ts || (m.ts === now.ts && m.id > now.id)) latest.set(key, m);
  }
  const kept = new Set([...latest.values()].map((m) => m.id));
  return new Set(msgs.filter((m) => m.event?.kind === 'react' && !kept.has(m.id)).map((m) => m.id));
}

const reply = (who: Who, tail: string, ts: number, to: ChatMessage, text: string) =>
  row(who, tail, ts, text, { replyTo: { id: to.id } });

const manifest = (name: string) => ({ name, size: 10, type: 'image/png' }) as Manifest;

/** A small seeded PRNG (mulberry32), so a failing order can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The scenario: two authors (Ann, Bob), three members reacting (Ann, Bob, Cy).
const m1 = row(ANN, 'm1', 1000, 'first  draft\n of it');
const m2 = row(BOB, 'm2', 2000, 'bob says');
const f1 = row(ANN, 'f1', 3000, 'a caption', { file: manifest('photo.png') });
const f2 = row(BOB, 'f2', 3500, '', { file: manifest('plan.pdf') });
const note = row(ANN, 'n1', 3600, '', { note: 'Ann joined the room' });
const e1 = edit(ANN, 'e1', 5000, m1, 'edit one');
const e2 = edit(ANN, 'e2', 5000, m1, 'edit two'); // same ts as e1, greater id: wins
const e0 = edit(ANN, 'e0', 4000, m1, 'an older edit');
const scenario: ChatMessage[] = [
  m1,
  m2,
  f1,
  f2,
  note,
  e0,
  e1,
  e2,
  del(BOB, 'd1', 6000, m2),
  edit(BOB, 'e3', 7000, m2, 'edited after the deletion'),
  edit(ANN, 'e4', 6500, f1, 'new caption'),
  edit(ANN, 'e5', 6600, note, 'not a chat line'),
  edit(ANN, 'e6', 6700, e1, 'an edit of an edit'),
  react(ANN, 'r1', 8000, m1, '👍'),
  react(BOB, 'r2', 8100, m1, '👍'),
  react(CY, 'r3', 8200, m1, '👍'),
  react(CY, 'r4', 8300, m1, '👍', false),
  react(BOB, 'r5', 8050, m1, '🎉'),
  react(BOB, 'r6', 8400, m1, '🎉', false),
  react(BOB, 'r7', 8500, m1, '🎉'),
  react(CY, 'r8', 8250, m1, '❤️'),
  react(ANN, 'r9', 8300, m2, '👍'), // on a deleted message: not shown
  react(CY, 'ra', 8800, f2, '👀'),
  reply(BOB, 'p1', 10000, m1, 'answer to the edited one'),
  reply(ANN, 'p2', 11000, m2, 'answer to the deleted one'),
  reply(ANN, 'p3', 12000, f2, 'answer to a file'),
  react(ANN, 'rb', 12500, row(ANN, 'p3', 12000, ''), '✅'), // on a reply
];

/** Feeds `msgs` to `list` in chunks: single upserts and upsertMany batches of random sizes. */
function feed(list: MessageList, msgs: readonly ChatMessage[], rand: () => number): void {
  let i = 0;
  while (i < msgs.length) {
    const mode = rand();
    if (mode < 0.4) list.upsert(msgs[i++]!);
    else {
      const n = 1 + Math.floor(rand() * (mode < 0.8 ? 4 : 20));
      list.upsertMany(msgs.slice(i, i + n));
      i += n;
    }
  }
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('MessageList with message events (edits, deletions, reactions, replies)', () => {
  let reference: readonly ChatMessage[];

  before(() => {
    const list = new MessageList(ANN.id);
    list.upsertMany(scenario);
    reference = list.items;
  });

  it('shows the merge rules on the scenario: rows only, edits, deletion, reactions, replies', () => {
    expect(reference.map((m) => m.id.slice(22))).to.deep.equal(
      ['m1', 'm2', 'f1', 'f2', 'n1', 'p1', 'p2', 'p3'],
      'events are never rows',
    );
    const [one, two, file, pdf, line, p1, p2, p3] = reference;
    expect(one).to.include({ text: 'edit two', edited: 5000 });
    expect(one!.reactions).to.deep.equal([
      { emoji: '👍', by: [ANN, BOB], mine: true },
      { emoji: '❤️', by: [CY], mine: false },
      { emoji: '🎉', by: [BOB], mine: false },
    ]);
    expect(two).to.include({ text: '', deleted: true });
    expect(two).not.to.have.any.keys('edited', 'reactions');
    expect(file).to.include({ text: 'new caption', edited: 6500 });
    expect(file!.file!.name).to.equal('photo.png');
    expect(pdf!.reactions).to.deep.equal([{ emoji: '👀', by: [CY], mine: false }]);
    expect(line).to.deep.equal(note);
    expect(p1!.replyTo).to.deep.equal({ id: m1.id, name: 'Ann', excerpt: 'edit two' });
    expect(p2!.replyTo).to.deep.equal({ id: m2.id, name: 'Bob', deleted: true });
    expect(p3!.replyTo).to.deep.equal({ id: f2.id, name: 'Bob', excerpt: 'plan.pdf' });
    expect(p3!.reactions).to.deep.equal([{ emoji: '✅', by: [ANN], mine: true }]);
  });

  it('converges to the same items for 300 random arrival orders, batches and duplicates', () => {
    const rand = prng(24);
    const superseded = supersededReacts(scenario);
    for (let run = 0; run < 300; run++) {
      const order = shuffled(scenario, rand);
      // Some messages and events arrive twice, anywhere.
      const twice = order.filter(() => rand() < 0.15);
      const all = shuffled([...order, ...twice], rand);
      const list = new MessageList();
      if (run % 2 === 0) list.self = ANN.id;
      feed(list, all, rand);
      list.self = ANN.id;
      expect(list.items, `run ${run}`).to.deep.equal(reference);
      expect(list.waiting, `run ${run}: waiting`).to.equal(1); // e6: its target is an event
      // Every message and event is known by id, but a react event another of the same
      // (sender, emoji) supersedes, which is not kept.
      for (const m of scenario) expect(list.has(m.id), m.id).to.equal(!superseded.has(m.id));
    }
  });

  it('applies an event that came before its target once the target comes', () => {
    const list = new MessageList(BOB.id);
    list.upsert(react(BOB, 'r1', 2000, m1, '👍'));
    list.upsert(edit(ANN, 'e1', 3000, m1, 'later text'));
    expect(list.items).to.deep.equal([]);
    expect(list.waiting).to.equal(2);
    list.upsert(m1);
    expect(list.items[0]).to.include({ text: 'later text', edited: 3000 });
    expect(list.items[0]!.reactions).to.deep.equal([{ emoji: '👍', by: [BOB], mine: true }]);
    expect(list.waiting).to.equal(0);
  });

  it('re-describes replies when the answered message arrives, is edited, deleted or removed', () => {
    const list = new MessageList();
    const r = reply(BOB, 'p1', 5000, m1, 'yes');
    list.upsert(r);
    expect(list.items[0]!.replyTo).to.deep.equal({ id: m1.id });
    list.upsert(m1);
    expect(list.items[1]!.replyTo).to.deep.equal({
      id: m1.id,
      name: 'Ann',
      excerpt: 'first draft of it',
    });
    list.upsert(edit(ANN, 'e1', 6000, m1, 'better'));
    expect(list.items[1]!.replyTo!.excerpt).to.equal('better');
    list.upsert(del(ANN, 'd1', 7000, m1));
    expect(list.items[1]!.replyTo).to.deep.equal({ id: m1.id, name: 'Ann', deleted: true });
    list.remove(ANN.id + 'd1');
    expect(list.items[1]!.replyTo!.excerpt).to.equal('better', 'removing the deletion undoes it');
    list.remove(m1.id);
    expect(list.items).to.have.length(1);
    expect(list.items[0]!.replyTo).to.deep.equal({ id: m1.id });
    expect(list.waiting).to.equal(1, 'the edit waits for its message again');
  });

  it('undoes a removed event: an edit, a reaction', () => {
    const list = new MessageList(ANN.id);
    list.upsertMany([m1, e0, e2, react(ANN, 'r1', 9000, m1, '👍')]);
    expect(list.items[0]!.text).to.equal('edit two');
    list.remove(e2.id);
    expect(list.items[0]).to.include({ text: 'an older edit', edited: 4000 });
    list.remove(ANN.id + 'r1');
    expect(list.items[0]).not.to.have.key('reactions');
    expect(list.has(e2.id)).to.equal(false);
  });

  it('makes a new items array per change and re-makes only the rows an event touches', () => {
    const list = new MessageList();
    const r = reply(BOB, 'p1', 5000, m1, 'yes');
    const other = reply(BOB, 'p2', 5100, m2, 'other');
    list.upsertMany([m1, m2, f1, r, other]);
    const was = list.items;
    list.upsert(edit(ANN, 'e1', 6000, m1, 'changed'));
    expect(list.items).not.to.equal(was);
    const [one, two, file, p1, p2] = list.items;
    expect(one).not.to.equal(was[0]);
    expect(p1).not.to.equal(was[3], 'the reply to it is described anew');
    expect([two, file, p2]).to.deep.equal([was[1], was[2], was[4]]);
    expect(two).to.equal(was[1]);
    expect(file).to.equal(was[2]);
    expect(p2).to.equal(was[4]);
    // A reaction changes m1 only: its reply's excerpt is the same, so the reply is kept as is.
    const before = list.items;
    list.upsert(react(CY, 'r1', 7000, m1, '👍'));
    expect(list.items[3]).to.equal(before[3]);
    expect(list.items[0]).not.to.equal(before[0]);
  });

  it('keeps what rows show through delivery state changes (refresh, setStatus) and events too', () => {
    const list = new MessageList(ANN.id);
    const mine = { ...m1, status: 'sent' as const };
    const myEdit = { ...edit(ANN, 'e1', 6000, m1, 'edited'), status: 'saving' as const };
    list.upsertMany([mine, myEdit, react(BOB, 'r1', 7000, m1, '👍')]);
    list.setStatus(myEdit.id, 'sent');
    expect(list.get(myEdit.id)!.status).to.equal('sent');
    list.refresh([
      { ...m1, status: 'delivered', ackedBy: [BOB.id], unreadBy: ['Cy'] } as StoredMessage,
    ]);
    const shown = list.items[0]!;
    expect(shown).to.include({ status: 'delivered', text: 'edited', edited: 6000 });
    expect(shown.cantRead).to.deep.equal(['Cy']);
    expect(shown.reactions).to.have.length(1);
    list.setStatus(m1.id, 'failed');
    expect(list.items[0]).to.include({ status: 'failed', text: 'edited' });
    // A row handed back from `get` (as outgoing.ts does) keeps the author's own text.
    list.upsert({ ...list.get(m1.id)!, status: 'sent' });
    list.remove(myEdit.id);
    expect(list.items[0]).to.include({ text: m1.text, status: 'sent' });
  });

  it('takes a row that turns out to be an event once opened off the list', () => {
    const list = new MessageList();
    const sealedEdit = edit(ANN, 'e1', 6000, m1, 'opened');
    const locked: ChatMessage = { ...sealedEdit, text: '', unreadable: true };
    delete locked.event;
    list.upsertMany([m1, locked]);
    expect(list.items).to.have.length(2);
    list.upsert(sealedEdit);
    expect(list.items).to.have.length(1);
    expect(list.items[0]!.text).to.equal('opened');
  });

  it('keeps at most maxWaiting events for absent targets, dropping the oldest', () => {
    const list = new MessageList('', 50);
    // Sixty members' 👍: of one member's own toggles only the deciding one would be kept.
    const reacts = Array.from({ length: 60 }, (_, i) =>
      react(
        { id: `B${String(i).padStart(21, '0')}`, name: `Bob ${i}` } as Who,
        `w${String(i).padStart(2, '0')}`,
        100 + i,
        m1,
        '👍',
        i % 2 === 0,
      ),
    );
    list.upsertMany(reacts);
    expect(list.waiting).to.equal(50);
    expect(list.has(reacts[9]!.id)).to.equal(false);
    expect(list.has(reacts[10]!.id)).to.equal(true);
    list.upsert(m1);
    // The 50 kept: w10…w59, half of them "on".
    expect(list.items[0]!.reactions![0]!.by).to.have.length(25);
    expect(list.waiting).to.equal(0);
  });
});
