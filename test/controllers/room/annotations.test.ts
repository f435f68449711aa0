import { expect } from '@open-wc/testing';
import {
  Annotations,
  excerptOf,
  fold,
  reactionsOf,
  withReply,
} from '../../../src/controllers/room/annotations.js';
import { REPLY_EXCERPT, type ChatMessage } from '../../../src/controllers/room/message-list.js';
import type { Manifest } from '../../../src/protocol/file-manifest.js';
import { ANN, BOB, CY, del, edit, react, row } from '../../support/event-rows.js';

const manifest = { name: 'photo.png', size: 10, type: 'image/png' } as Manifest;

describe('annotations: the merge rules of message events (pure)', () => {
  const m = row(ANN, 'm1', 1000, 'hello');

  it('shows the edit of greatest (ts, id), whatever the order, and its time as `edited`', () => {
    const edits = [
      edit(ANN, 'e1', 5000, m, 'one'),
      edit(ANN, 'e3', 4000, m, 'older, greater id'),
      edit(ANN, 'e2', 5000, m, 'two'),
    ];
    for (const order of [edits, [...edits].reverse(), [edits[1]!, edits[2]!, edits[0]!]]) {
      const shown = fold(m, order, ANN.id);
      expect(shown.text).to.equal('two');
      expect(shown.edited).to.equal(5000);
    }
    expect(fold(m, [], ANN.id)).to.deep.equal(m);
  });

  it('lets the deletion win over any edit, before or after it', () => {
    const shown = fold(
      { ...m, file: manifest, replyTo: { id: 'x' } },
      [
        del(ANN, 'd1', 2000, m),
        edit(ANN, 'e9', 9000, m, 'later edit'),
        react(BOB, 'r1', 3000, m, '👍'),
      ],
      ANN.id,
    );
    expect(shown.deleted).to.equal(true);
    expect(shown.text).to.equal('');
    expect(shown).not.to.have.any.keys('file', 'reactions', 'edited', 'replyTo');
  });

  it("counts edits and deletions only from the message's author", () => {
    const shown = fold(m, [edit(BOB, 'e1', 5000, m, 'forged'), del(BOB, 'd1', 6000, m)], ANN.id);
    expect(shown).to.deep.equal(m);
  });

  it('edits only text: a file keeps its manifest; a note, an unreadable or unknown message none', () => {
    const file = row(ANN, 'f1', 1000, 'old caption', { file: manifest });
    const captioned = fold(file, [edit(ANN, 'e1', 2000, file, 'new caption')], ANN.id);
    expect(captioned.text).to.equal('new caption');
    expect(captioned.file).to.equal(manifest);
    for (const extra of [
      { note: 'Ann joined' },
      { unreadable: true as const },
      { unknown: 'poll' },
    ]) {
      const other = row(ANN, 'n1', 1000, '', extra);
      expect(fold(other, [edit(ANN, 'e1', 2000, other, 'x')], ANN.id)).to.deep.equal(other);
    }
    const note = row(ANN, 'n2', 1000, '', { note: 'Ann joined' });
    expect(
      fold(note, [del(ANN, 'd', 2000, note), react(BOB, 'r', 2000, note, '👍')], ANN.id),
    ).to.deep.equal(note);
  });

  it('keeps reactions as a set per member: the latest (ts, id) per (member, emoji) decides', () => {
    const reacts = [
      react(ANN, 'r1', 8000, m, '👍'),
      react(BOB, 'r2', 8100, m, '👍'),
      react(CY, 'r3', 8200, m, '👍'),
      react(CY, 'r4', 8300, m, '👍', false),
      react(BOB, 'r5', 8050, m, '🎉'),
      react(BOB, 'r6', 8400, m, '🎉', false),
      react(BOB, 'r7', 8500, m, '🎉'),
      react(CY, 'r8', 8250, m, '❤️'),
      // Same time: the greater id decides (off).
      react(CY, 'r9a', 9000, m, '😀'),
      react(CY, 'r9b', 9000, m, '😀', false),
    ];
    const expected = [
      { emoji: '👍', by: [ANN, BOB], mine: true },
      { emoji: '❤️', by: [CY], mine: false },
      { emoji: '🎉', by: [BOB], mine: true },
    ];
    expect(reactionsOf(reacts, BOB.id)).to.deep.equal(expected);
    expect(reactionsOf([...reacts].reverse(), BOB.id)).to.deep.equal(expected);
    expect(fold(m, reacts, BOB.id).reactions).to.deep.equal(expected);
    expect(fold(m, [react(CY, 'r4', 8300, m, '👍', false)], BOB.id)).not.to.have.key('reactions');
  });

  it('orders members within an emoji by their deciding event, not by arrival', () => {
    const reacts = [react(BOB, 'r2', 300, m, '👍'), react(ANN, 'r1', 100, m, '👍')];
    expect(reactionsOf(reacts, '')[0]!.by.map((b) => b.name)).to.deep.equal(['Ann', 'Bob']);
  });

  it('quotes an excerpt: whitespace collapsed, cut to REPLY_EXCERPT characters, file name without caption', () => {
    expect(excerptOf(row(ANN, 'x', 1, '  two\n\n  lines\t here '))).to.equal('two lines here');
    const long = '😀'.repeat(REPLY_EXCERPT + 5);
    expect(excerptOf(row(ANN, 'x', 1, long))).to.equal('😀'.repeat(REPLY_EXCERPT));
    expect(excerptOf(row(ANN, 'x', 1, '', { file: manifest }))).to.equal('photo.png');
    expect(excerptOf(row(ANN, 'x', 1, 'cap', { file: manifest }))).to.equal('cap');
    expect(excerptOf(row(ANN, 'x', 1, '', { unreadable: true }))).to.equal(undefined);
  });

  it("describes a reply's answered message: name and excerpt, or deleted, or the id alone", () => {
    const reply = row(BOB, 'r', 2000, 'yes', { replyTo: { id: m.id } });
    expect(withReply(reply, undefined)).to.equal(reply);
    const edited = fold(m, [edit(ANN, 'e1', 1500, m, 'hello  again')], '');
    expect(withReply(reply, edited).replyTo).to.deep.equal({
      id: m.id,
      name: 'Ann',
      excerpt: 'hello again',
    });
    const gone = fold(m, [del(ANN, 'd1', 1500, m)], '');
    expect(withReply(reply, gone).replyTo).to.deep.equal({ id: m.id, name: 'Ann', deleted: true });
    const described = withReply(reply, edited);
    expect(withReply(described, edited)).to.equal(described, 'unchanged: the same object');
    expect(withReply(described, undefined).replyTo).to.deep.equal({ id: m.id });
  });

  it("keeps only a member's deciding reaction per emoji: a thousand toggles cost one", () => {
    const held = new Annotations(() => true);
    const toggles = Array.from({ length: 1000 }, (_, i) =>
      react(BOB, `t${String(i).padStart(4, '0')}`, 10 + i, m, '👍', i % 2 === 1),
    );
    // In a shuffled order: whichever comes, only the latest (t0999, on) stays.
    const order = [...toggles].sort(
      (a, b) =>
        ((a.id.charCodeAt(a.id.length - 1) * 7) % 10) -
        ((b.id.charCodeAt(b.id.length - 1) * 7) % 10),
    );
    for (const e of order) held.add(e);
    expect([...held.of(m.id)].map((e) => e.id)).to.deep.equal([toggles[999]!.id]);
    expect(held.has(toggles[0]!.id)).to.equal(false);
    expect(reactionsOf([...held.of(m.id)], '')).to.deep.equal([
      { emoji: '👍', by: [{ id: BOB.id, name: BOB.name }], mine: false },
    ]);
  });

  it('shows at most 40 kinds of emoji and keeps 20 per member, the same for everyone', () => {
    const emoji = Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0x1f600 + i));
    // One member's 60 emoji, in two orders: the 20 that sort first are kept, whatever came first.
    const bob = emoji.map((e, i) => react(BOB, `b${String(i).padStart(2, '0')}`, 100 + i, m, e));
    const kept = (order: ChatMessage[]) => {
      const held = new Annotations(() => true);
      for (const e of order) held.add(e);
      return reactionsOf([...held.of(m.id)], '').map((r) => r.emoji);
    };
    expect(kept(bob)).to.deep.equal(emoji.slice(0, 20));
    expect(kept([...bob].reverse())).to.deep.equal(emoji.slice(0, 20));
    // Sixty members with one emoji each: 40 kinds show, the first given.
    const many = emoji.map((e, i) =>
      react({ id: `M${String(i).padStart(21, '0')}`, name: `M${i}` }, `x${i}`, 300 + i, m, e),
    );
    expect(reactionsOf(many, '').map((r) => r.emoji)).to.deep.equal(emoji.slice(0, 40));
    expect(reactionsOf([...many].reverse(), '')).to.deep.equal(reactionsOf(many, ''));
  });

  it('keeps events waiting for an absent target, bounded, oldest dropped first', () => {
    const present = new Set<string>();
    const held = new Annotations((id) => present.has(id), 3);
    // Four emoji: of one (sender, emoji) only the deciding event would be kept.
    const events = ['👍', '🎉', '😮', '👀'].map((e, i) => react(BOB, `w${i + 1}`, i + 1, m, e));
    for (const e of events) expect(held.add(e)).to.deep.equal([]);
    expect(held.waitingCount).to.equal(3);
    expect(held.has(events[0]!.id)).to.equal(false, 'the oldest was dropped');
    expect([...held.of(m.id)].map((e) => e.id)).to.deep.equal(events.slice(1).map((e) => e.id));
    present.add(m.id);
    held.arrived(m.id);
    expect(held.waitingCount).to.equal(0);
    // A repeat of one held says nothing new; another event does.
    expect(held.add(events[1]!)).to.deep.equal([]);
    expect(held.add(react(ANN, 'w9', 9, m, '👍'))).to.deep.equal([m.id]);
    expect(held.remove(events[1]!.id)).to.equal(m.id);
    present.delete(m.id);
    held.left(m.id);
    expect(held.waitingCount).to.equal(3);
  });
});
