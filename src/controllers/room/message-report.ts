/**
 * A message as the room controller reports it outside itself — to the embedding page
 * (`parley-message`) and to the unread count — so the stored envelope's shape never leaks.
 */
import type { Envelope } from '../../protocol/chat-events.js';

/** A message as reported outside the controller (to an embedding page). */
export interface MessageReport {
  id: string;
  room: string;
  from: { id: string; name: string };
  /** Sent at (ms since the epoch, sender's clock). */
  ts: number;
  text: string;
  /** `out`: we sent it; `in`: it arrived. */
  direction: 'in' | 'out';
}

/**
 * The report of message `msg` (its text in the clear), which we sent (`out`) or received
 * (`in`); a file message without a caption says the file's name.
 */
export function report(
  msg: Pick<Envelope, 'id' | 'room' | 'from' | 'ts'> & { text: string; file?: { name: string } },
  direction: 'in' | 'out',
): MessageReport {
  const { id, room, from, ts } = msg;
  const text = msg.text || (msg.file ? fileLine(msg.file.name) : '');
  return { id, room, from: { id: from.id, name: from.name }, ts, text, direction };
}

/** How a file message without a caption is said in a preview or a notification. */
export function fileLine(name: string): string {
  return `sent ${name}`;
}
