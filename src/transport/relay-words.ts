/**
 * What the relay's answers mean, for a server connection (`relay-link.ts`): a join reply read
 * as one of a few outcomes — accepted; refused for a while (the room is full, too many rooms,
 * joining too fast: said in plain words and tried again); refused for good (another protocol
 * version, a bad room name, an unproven join); or not understood — and the relay's errors and
 * Socket.IO's disconnect reasons in words.
 */
import * as v from 'valibot';
import {
  JoinReplySchema,
  type JoinReply,
  type RelayError,
  type RelayErrorCode,
} from '../protocol/relay-frames.js';
import { compatible, incompatibleMessage } from '../protocol/version.js';
import { TransportError, type TransportErrorCode } from './errors.js';

/** A successful join reply. */
export type JoinAccepted = Extract<JoinReply, { ok: true }>;

/** Socket.IO's disconnect reasons, as people read them. */
export const DISCONNECT_REASONS: Record<string, string> = {
  'transport close': 'the connection to the server was lost',
  'transport error': 'the connection to the server failed',
  'ping timeout': 'the server stopped answering',
  'io server disconnect': 'the server closed the connection',
  'parse error': 'the server sent something unreadable',
};

/**
 * Join refusals that pass by themselves, in plain words: the join is tried again with backoff
 * (only the others close the transport).
 */
const TEMPORARY: Partial<Record<RelayErrorCode, string>> = {
  'room-full': 'The room is full',
  'too-many': 'This connection is in too many rooms',
  'rate-limited': 'Joining too fast',
};

/** A relay error as a {@link TransportError}: its code for programs, its words for people. */
export function fromRelayError(err: RelayError): TransportError {
  if (err?.code === 'incompatible') return new TransportError('incompatible', err.message);
  // An unproven join is refused for good, like a bad room name: retrying cannot fix it.
  const refused = err?.code === 'invalid-room' || err?.code === 'unproven';
  const code: TransportErrorCode =
    err?.code === 'too-large' ? 'too-large' : refused ? 'refused' : 'server';
  const event = typeof err?.event === 'string' ? err.event.slice(0, 64) : undefined;
  const what = event ? `the server refused "${event}"` : 'the server reported a problem';
  return new TransportError(code, what, err?.message);
}

/** What a join reply comes to. */
export type JoinOutcome =
  | { ok: JoinAccepted }
  | { retry: { words: string; error: RelayError } }
  | { refused: TransportError }
  | { garbled: string };

/**
 * Reads a join reply (anything the server sent): the server's version first — another major
 * (a server from before versions names none, and refuses our join as malformed) means nothing
 * we say would be understood — then its shape, then what it says.
 */
export function readJoinReply(reply: unknown): JoinOutcome {
  const version = (reply as { v?: unknown } | null)?.v;
  if (!compatible(version)) {
    return { refused: new TransportError('incompatible', incompatibleMessage('server', version)) };
  }
  const parsed = v.safeParse(JoinReplySchema, reply);
  if (!parsed.success) return { garbled: "the server's answer to our join was not understood" };
  const answer = parsed.output;
  if (answer.ok) return { ok: answer as JoinAccepted };
  const error = answer.error as RelayError;
  const words = TEMPORARY[error.code];
  return words ? { retry: { words, error } } : { refused: fromRelayError(error) };
}
