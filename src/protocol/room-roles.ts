/**
 * Who made a private room, who is in it and who may manage it — said by ordinary signed
 * messages whose body, sealed under the room key like every body there, opens to one of four
 * kinds, and a fifth that passes old keys on (the exact wire format is in docs/PROTOCOL.md, "Room roles"):
 * - `room` (the charter): the creator's first message; it proves who made the room, because
 *   the room's id is a hash of the creator's public key and the charter's nonce;
 * - `member`: the author's key-agreement public key (see `key-agreement.ts`), signed by the
 *   author's identity with the envelope that carries it;
 * - `admin`: the creator or an admin makes a member an admin;
 * - `rekey`: the creator or an admin gives the room a new key, wrapped for each remaining
 *   member (removal is a rekey that leaves someone out and names them);
 * - `prior`: the key before, posted under the new key for members invited later.
 * The schemas here check shape and size only; whether a message's author may say it is decided
 * from the room's whole history (`controllers/room/room-members.ts`). The room's id and the
 * charter's proof are `room-id.ts`'s.
 */
import * as v from 'valibot';
import { fromBase64Url, toBase64Url } from './encoding.js';
import { IDENTITY_ID_LENGTH } from './identity.js';
import { isRoomNonce } from './room-id.js';
import { isRoomKeyText } from './room-key.js';
import {
  isAgreementKey,
  KEY_ID_LENGTH,
  MAX_AGREEMENT_KEY,
  WRAPPED_CT_LENGTH,
  WRAPPED_IV_LENGTH,
} from './key-agreement.js';

/** Longest room title (UTF-16 code units). */
export const MAX_ROOM_TITLE = 64;
/** Most members one rekey carries a key for: 256 × ~135 bytes stays well under 64 KiB. */
export const MAX_REKEY_KEYS = 256;
/** Most members one rekey removes. */
export const MAX_REKEY_REMOVED = 64;
/** Highest epoch a rekey may claim. */
export const MAX_EPOCH = 1_000_000;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Whether `text` is the one base64url text of exactly `bytes` bytes. */
const isBase64UrlOf = (text: string, bytes: number) => {
  const raw = fromBase64Url(text);
  return raw?.length === bytes && toBase64Url(raw) === text;
};

/** An identity id: 22 base64url characters (see `identity.ts`). */
export const IdentityIdSchema = v.pipe(
  v.string(),
  v.length(IDENTITY_ID_LENGTH),
  v.regex(BASE64URL, 'an identity id is base64url'),
);

/** A key id: 16 base64url characters (12 bytes). */
export const KeyIdSchema = v.pipe(
  v.string(),
  v.length(KEY_ID_LENGTH),
  v.check((t: string) => isBase64UrlOf(t, 12), 'a key id is 12 bytes, base64url'),
);

/** A key-agreement public key's text (`x25519:…` or `p256:…`). */
export const AgreementKeySchema = v.pipe(
  v.string(),
  v.maxLength(MAX_AGREEMENT_KEY),
  v.check((t: string) => isAgreementKey(t), 'not a key-agreement key this version can use'),
);

/** A room title: 1–64 characters, no control characters, not only spaces. */
export const RoomTitleSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(MAX_ROOM_TITLE),
  // eslint-disable-next-line no-control-regex
  v.regex(/^[^\u0000-\u001f\u007f]*$/, 'a title has no control characters'),
  v.check((t: string) => t.trim().length > 0, 'a title is not only spaces'),
);

/** The charter: `{ kind: 'room', nonce, title }`. */
export const CharterSchema = v.strictObject({
  kind: v.literal('room'),
  nonce: v.pipe(
    v.string(),
    v.check((t: string) => isRoomNonce(t), 'a nonce is 16 bytes, base64url'),
  ),
  title: RoomTitleSchema,
});

/** A member's announcement: `{ kind: 'member', kx }`. */
export const MemberAnnouncementSchema = v.strictObject({
  kind: v.literal('member'),
  kx: AgreementKeySchema,
});

/** An admin grant: `{ kind: 'admin', member }`. */
export const AdminGrantSchema = v.strictObject({
  kind: v.literal('admin'),
  member: IdentityIdSchema,
});

const unique = (ids: string[]) => new Set(ids).size === ids.length;

/** One member's copy of the new key. */
export const WrappedKeySchema = v.strictObject({
  to: IdentityIdSchema,
  iv: v.pipe(v.string(), v.length(WRAPPED_IV_LENGTH), v.regex(BASE64URL)),
  ct: v.pipe(v.string(), v.length(WRAPPED_CT_LENGTH), v.regex(BASE64URL)),
});

/**
 * A new room key: `{ kind: 'rekey', epoch, kid, removed, admins, eph, keys }` — `epoch` one
 * above the key that seals it, `kid` the new key's id, `removed` who is left out (named, for
 * everyone to see), `admins` who stays admin (besides the creator), `eph` the ephemeral public
 * keys (one per algorithm), `keys` the new key wrapped for each remaining member.
 */
export const RekeySchema = v.pipe(
  v.strictObject({
    kind: v.literal('rekey'),
    epoch: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_EPOCH)),
    kid: KeyIdSchema,
    removed: v.pipe(
      v.array(IdentityIdSchema),
      v.maxLength(MAX_REKEY_REMOVED),
      v.check(unique, 'each removed member once'),
    ),
    admins: v.pipe(
      v.array(IdentityIdSchema),
      v.maxLength(MAX_REKEY_KEYS),
      v.check(unique, 'each admin once'),
    ),
    eph: v.pipe(
      v.array(AgreementKeySchema),
      v.minLength(1),
      v.maxLength(2),
      v.check(
        (e: string[]) => new Set(e.map((k) => k.split(':')[0])).size === e.length,
        'one key per algorithm',
      ),
    ),
    keys: v.pipe(
      v.array(WrappedKeySchema),
      v.minLength(1),
      v.maxLength(MAX_REKEY_KEYS),
      v.check((k) => unique(k.map((w) => w.to)), 'each member once'),
    ),
  }),
  v.check((r) => !r.removed.some((id) => r.keys.some((k) => k.to === id)), 'removed, not keyed'),
  v.check((r) => r.admins.every((id) => r.keys.some((k) => k.to === id)), 'admins keep the key'),
);

/**
 * The key before the one that seals it: `{ kind: 'prior', kid, key }`. Whoever changes the
 * room's key posts it under the new key, so a member invited later (holding only the newest
 * key) can open the room's history and its control messages, key by key back to the first.
 * Nobody removed ever holds a key that opens it.
 */
export const PriorKeySchema = v.strictObject({
  kind: v.literal('prior'),
  kid: KeyIdSchema,
  key: v.pipe(
    v.string(),
    v.check((t: string) => isRoomKeyText(t), 'a room key is 32 bytes, base64url'),
  ),
});

/** The kinds of room-control bodies. */
export const ROOM_ROLE_KINDS = ['room', 'member', 'admin', 'rekey', 'prior'] as const;

/** A charter. */
export type Charter = v.InferOutput<typeof CharterSchema>;
/** A member's announcement. */
export type MemberAnnouncement = v.InferOutput<typeof MemberAnnouncementSchema>;
/** An admin grant. */
export type AdminGrant = v.InferOutput<typeof AdminGrantSchema>;
/** A rekey. */
export type Rekey = v.InferOutput<typeof RekeySchema>;
/** A prior key. */
export type PriorKey = v.InferOutput<typeof PriorKeySchema>;
/** Any room-control body. */
export type RoomRoleBody = Charter | MemberAnnouncement | AdminGrant | Rekey | PriorKey;

const SCHEMAS = {
  room: CharterSchema,
  member: MemberAnnouncementSchema,
  admin: AdminGrantSchema,
  rekey: RekeySchema,
  prior: PriorKeySchema,
} as const;

/** Whether an opened body claims to be a room-control message (well-formed or not). */
export function isRoomRoleKind(body: unknown): boolean {
  const kind = (body as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && (ROOM_ROLE_KINDS as readonly string[]).includes(kind);
}

/** The room-control body in an opened body; undefined when it is not a well-formed one. */
export function readRoomRole(body: unknown): RoomRoleBody | undefined {
  if (!isRoomRoleKind(body)) return undefined;
  const kind = (body as { kind: keyof typeof SCHEMAS }).kind;
  const parsed = v.safeParse(SCHEMAS[kind], body);
  return parsed.success ? parsed.output : undefined;
}
