/**
 * What a bot hears from a room: the events of {@link BotRoom} and {@link ParleyClient}, typed.
 */
import type { Envelope } from '../protocol/chat-events.js';
import type { TransportState } from '../transport/types.js';
import type { MessageReading } from '../protocol/message-body.js';

/** A message of the room, checked: its author signed every field with the key shown. */
export interface BotMessage {
  /** The message id (the author's id, then a UUIDv7). */
  id: string;
  room: string;
  /** Who wrote it: identity id (a hash of `key`), display name, public key. */
  author: { id: string; name: string; key: string };
  /** When its author says it was written (ms since the epoch). */
  ts: number;
  /** `'text'` for a chat message; otherwise the name of a kind this version does not know. */
  kind: string;
  /** The text of a chat message; undefined for a kind this version does not know. */
  text?: string;
  /** Whether it came sealed under the room's key (false: it travelled in the clear). */
  sealed: boolean;
  /** Always true: messages that fail the checks never reach listeners. */
  verified: true;
  /** Whether we wrote it (our own words, e.g. from an earlier run, back in a catch-up). */
  mine: boolean;
  /** Whether it came live (false: in a catch-up answer). */
  live: boolean;
  /** The envelope as signed, to keep or pass on. */
  envelope: Envelope;
}

/** A receipt: member `by` (an identity id) stored our message `id`. */
export interface Delivered {
  room: string;
  id: string;
  by: string;
}

/** The events of one room. */
export type RoomEvents = {
  /** A new message, once each (repeats and anything that fails a check are dropped). */
  message: (msg: BotMessage) => void;
  /** A member acknowledged one of our messages. */
  delivered: (receipt: Delivered) => void;
  /** Something went wrong; the room keeps going unless its state becomes `closed`. */
  error: (err: Error) => void;
  /** The link's state: `connecting`, `open`, `offline` (retrying by itself), `closed`. */
  state: (state: TransportState) => void;
  /** Someone came, went or was renamed by their own signed hello: read `members` again. */
  members: () => void;
};

/** The events of a client: those of all its rooms, each naming its room. */
export type ClientEvents = {
  message: (msg: BotMessage) => void;
  delivered: (receipt: Delivered) => void;
  error: (err: Error, room: string) => void;
  state: (state: TransportState, room: string) => void;
};

/** What a bot is told of `env`, read as `r` (`self`: the bot's identity id). */
export function botMessage(
  env: Envelope,
  r: MessageReading,
  live: boolean,
  self: string,
): BotMessage {
  return {
    id: env.id,
    room: env.room,
    author: { ...env.from },
    ts: env.ts,
    kind: r.kind,
    ...(r.text !== undefined ? { text: r.text } : {}),
    sealed: r.sealed,
    verified: true,
    mine: env.from.id === self,
    live,
    envelope: env,
  };
}
