/**
 * Message rows and events as the room hands them to the list, for tests of the merge rules
 * (annotations, the list, attacks on them): authors whose 22-character ids begin every id of
 * theirs, a chat row, and edits, deletions and reactions naming a row.
 */
import type { ChatMessage } from '../../src/controllers/room/message-list.js';
import type { MessageEvent } from '../../src/protocol/message-events.js';

/** Test authors: identity ids are 22 characters; every message id begins with its author's. */
export const ANN = { id: 'A'.repeat(22), name: 'Ann' };
export const BOB = { id: 'B'.repeat(22), name: 'Bob' };
export const CY = { id: 'C'.repeat(22), name: 'Cy' };
export const EVE = { id: 'E'.repeat(22), name: 'Eve' };
/** An author. */
export type Who = typeof ANN;

/** A received chat row of `who` (id: their id + `tail`) at `ts` saying `text`. */
export function row(
  who: Who,
  tail: string,
  ts: number,
  text: string,
  extra: Partial<ChatMessage> = {},
): ChatMessage {
  return {
    id: who.id + tail,
    room: 'r',
    from: { id: who.id, name: who.name, key: 'ed25519:k' },
    ts,
    seq: 0,
    body: { text },
    sig: 's',
    owner: 'me',
    status: 'received',
    text,
    ...extra,
  };
}

/** An event row of `who`. */
export const ev = (who: Who, tail: string, ts: number, event: MessageEvent): ChatMessage =>
  row(who, tail, ts, '', { event });
/** `who`'s edit of `target` to `text`. */
export const edit = (who: Who, tail: string, ts: number, target: ChatMessage, text: string) =>
  ev(who, tail, ts, { kind: 'edit', target: target.id, text });
/** `who`'s deletion of `target`. */
export const del = (who: Who, tail: string, ts: number, target: ChatMessage) =>
  ev(who, tail, ts, { kind: 'delete', target: target.id });
/** `who`'s reaction `emoji` to `target`, given (`on`) or taken back. */
export const react = (
  who: Who,
  tail: string,
  ts: number,
  target: ChatMessage,
  emoji: string,
  on = true,
) => ev(who, tail, ts, { kind: 'react', target: target.id, emoji, on });
