/**
 * `controllers/shared/` — what several controllers use: problems as the visitor is told them.
 *
 * A problem the visitor is shown, as the controllers hand it to `<parley-chat>` and it reaches
 * the page's `parley-error` event: a sentence for people and a code for programs, side by side,
 * so neither is ever parsed out of the other.
 */
import type { LogFailReason } from '../../store/accounts.js';
import { TransportError, type TransportErrorCode } from '../../transport/errors.js';

/** Why the room controller refused something. */
export type RoomProblemCode =
  /** The page, the address or the visitor named a room that cannot be used. */
  | 'invalid-room'
  /** A message was sent before logging in and joining a room. */
  | 'not-joined'
  /** A message was blank or too long. */
  | 'invalid-message'
  /** A room passphrase was too short, or an invite link's key was broken. */
  | 'invalid-passphrase'
  /** A change to a private room's members this account may not make (not an admin, say). */
  | 'not-allowed';

/**
 * Every code a problem carries: a transport's own {@link TransportErrorCode}; `load-failed`
 * when the transport could not even be loaded or made; a login's or registration's
 * {@link LogFailReason}; a {@link RoomProblemCode}; or `storage` when this browser's storage
 * (IndexedDB) failed, whatever was being stored.
 */
export type ProblemCode = TransportErrorCode | 'load-failed' | LogFailReason | RoomProblemCode;

/** A problem in both forms. */
export interface Problem {
  /** Stable, for programs. */
  readonly code: ProblemCode;
  /** A sentence for people, exactly as the visitor sees it. */
  readonly message: string;
}

/**
 * `err` as a problem: a transport's own code and its "what — hint" (never the API's prefix),
 * or `fallback` and the message of any other error. `frame` puts the words in a sentence.
 */
export function problemOf(
  err: unknown,
  fallback: ProblemCode,
  frame: (text: string) => string = (text) => text,
): Problem {
  const [code, text] =
    err instanceof TransportError
      ? [err.code, err.text]
      : [fallback, err instanceof Error ? err.message : String(err)];
  return { code, message: sentence(frame(text)) };
}

/** `text` as a sentence: a capital letter first, a full stop last. */
function sentence(text: string): string {
  const s = text.trim();
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?…]$/.test(s) ? '' : '.'}`;
}
