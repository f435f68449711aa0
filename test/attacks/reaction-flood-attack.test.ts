/**
 * A reaction flood: two members, each within its author budget (2,500 at once), send 2,500
 * distinct emoji each about one message, one frame at a time (as live frames come). Before
 * the bounds the list re-folded every event of the target on each arrival (quadratic: ~24 s
 * in Node) and the row got one chip per emoji; now a member keeps at most 20 emoji on a
 * message and a message shows at most 40 kinds (annotations.ts).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as v from 'valibot';
import { EmojiSchema } from '../../src/protocol/message-events.js';
import { MessageList, type ChatMessage } from '../../src/controllers/room/message-list.js';

const ANN = { id: 'A'.repeat(22), name: 'Ann' };
function row(
  who: typeof ANN,
  tail: string,
  ts: number,
  extra: Partial<ChatMessage> = {},
): ChatMessage {
  return {
    id: who.id + tail,
    room: 'r',
    from: { id: who.id, name: who.name, key: 'k' },
    ts,
    seq: 0,
    body: { text: '' },
    sig: 's',
    owner: 'me',
    status: 'received',
    text: '',
    ...extra,
  };
}

/** The `i`th of 5,000 distinct reactions EmojiSchema takes (symbol pairs). */
const emojiOf = (i: number) =>
  String.fromCodePoint(0x1f300 + (i % 700)) + String.fromCodePoint(0x2600 + Math.floor(i / 700));

it('every reaction of the flood is one EmojiSchema takes', () => {
  for (let i = 0; i < 5000; i++)
    assert.ok(v.safeParse(EmojiSchema, emojiOf(i)).success, emojiOf(i));
});

it('5,000 distinct reactions on one message, one at a time, stay cheap and few', () => {
  const list = new MessageList('me');
  const target = row(ANN, 'm', 1);
  list.upsert(target);
  const started = performance.now();
  for (let i = 0; i < 5000; i++) {
    const who = { id: String(i % 2).padStart(22, 'M'), name: `m${i % 2}` };
    const emoji = emojiOf(i);
    list.upsert(
      row(who, `r${i}`, 10 + i, { event: { kind: 'react', target: target.id, emoji, on: true } }),
    );
  }
  const took = performance.now() - started;
  const kinds = list.get(target.id)!.reactions?.length ?? 0;
  assert.ok(took < 3000, `${took.toFixed(0)} ms`);
  assert.ok(kinds <= 50, `${kinds} reaction chips on one message`);
});
