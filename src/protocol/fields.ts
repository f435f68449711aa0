/**
 * The field schemas every wire message is built from (room names, user names, ids, times),
 * and the one way a failed check is put into words, so client and server refuse alike.
 */
import * as v from 'valibot';
import { isPublicKey } from './identity.js';
import { MAX_ID, MAX_NAME, MAX_ROOM } from './limits.js';

/** Room names: 1–64 letters, digits, `_`, `.` or `-`, starting with a letter or digit. */
export const RoomNameSchema = v.pipe(
  v.string('a room name must be text'),
  v.minLength(1, 'a room needs a name'),
  v.maxLength(MAX_ROOM, `a room name has at most ${MAX_ROOM} characters`),
  v.regex(
    /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u,
    'a room name uses letters, digits, "_", "." or "-" and starts with a letter or digit',
  ),
);

/** User names: 2–32 letters, digits, spaces, `_`, `.` or `-`, no space at either end. */
export const UserNameSchema = v.pipe(
  v.string('a name must be text'),
  v.minLength(2, 'a name has at least 2 characters'),
  v.maxLength(MAX_NAME, `a name has at most ${MAX_NAME} characters`),
  v.regex(
    /^[\p{L}\p{N}_.-](?:[\p{L}\p{N} _.-]*[\p{L}\p{N}_.-])?$/u,
    'a name uses letters, digits, spaces, "_", "." or "-" (no space at either end)',
  ),
);

/** An id (message, account, connection): 1–64 characters. */
export const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID));

/** A public key's text as it travels (`ed25519:…` or `p256:…`), see `identity.ts`. */
export const PublicKeySchema = v.pipe(
  v.string(),
  v.maxLength(128),
  v.check((text: string) => isPublicKey(text), 'not a public key this version can verify with'),
);

/** A signature as it travels (base64url; an Ed25519 or P-256 signature is 86 characters). */
export const SignatureSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(100));

/** The latest time a JavaScript `Date` can hold (ms): anything later renders as nothing. */
export const MAX_TIME = 8.64e15;

/** A time in whole milliseconds since the epoch, one a `Date` can hold. */
export const TimeSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TIME));

/** First validation problem of a failed parse, as one readable line (`path: message`). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'invalid value';
  const path = v.getDotPath(first);
  return path ? `${path}: ${first.message}` : first.message;
}
