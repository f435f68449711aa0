/**
 * The wire schemas of docs/PROTOCOL.md, generated from the valibot schemas the code checks
 * with, so the document cannot drift from the code:
 *
 *   npx tsx scripts/protocol-schemas.ts [--check | --write] [FILE]
 *
 * Each exported schema (and a block of constants) is printed as a compact TypeScript-like
 * block. The document holds each between `<!-- schema:NAME:start -->` and
 * `<!-- schema:NAME:end -->`; `--write` fills them, `--check` exits 1 naming every block that
 * differs, is missing, or names no schema (test/protocol/protocol-doc.test.ts runs the check
 * in `npm test`). Without a flag it prints every block.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as fields from '../src/protocol/fields.js';
import * as peer from '../src/protocol/peer.js';
import * as frames from '../src/protocol/relay-frames.js';
import * as events from '../src/protocol/chat-events.js';
import * as body from '../src/protocol/message-body.js';
import * as limits from '../src/protocol/limits.js';
import * as version from '../src/protocol/version.js';
import * as identity from '../src/protocol/identity.js';
import * as roomKey from '../src/protocol/room-key.js';
import * as roomKeyDerive from '../src/protocol/room-key-derive.js';
import * as roles from '../src/protocol/room-roles.js';
import * as files from '../src/protocol/file-manifest.js';
import * as fileEvents from '../src/protocol/file-events.js';
import * as wire from '../src/protocol/wire-events.js';
import * as messageEvents from '../src/protocol/message-events.js';
import * as desk from '../src/protocol/desk.js';

/** A valibot schema or action as far as this printer reads it (their public fields). */
interface Node {
  kind: string;
  type: string;
  entries?: Record<string, Node>;
  pipe?: Node[];
  options?: Array<Node | string>;
  item?: Node;
  items?: Node[];
  wrapped?: Node;
  literal?: unknown;
  requirement?: unknown;
  message?: unknown;
}

/** The schemas the document shows, by the name its markers use, in the document's order. */
export const documentedSchemas: Record<string, unknown> = {
  RoomName: fields.RoomNameSchema,
  UserName: fields.UserNameSchema,
  Id: fields.IdSchema,
  PublicKey: fields.PublicKeySchema,
  Signature: fields.SignatureSchema,
  Time: fields.TimeSchema,
  PeerProfile: peer.PeerProfileSchema,
  PeerHello: peer.PeerHelloSchema,
  JoinRequest: frames.JoinRequestSchema,
  RelayError: frames.RelayErrorSchema,
  JoinReply: frames.JoinReplySchema,
  PresenceChange: frames.PresenceChangeSchema,
  Signal: frames.SignalSchema,
  Text: body.TextSchema,
  TextBody: body.TextBodySchema,
  SealedBody: body.SealedBodySchema,
  OtherKindBody: body.OtherKindBodySchema,
  OtherSealedBody: body.OtherSealedBodySchema,
  Body: body.BodySchema,
  ChatBody: body.ChatBodySchema,
  WireEnvelope: events.WireEnvelopeSchema,
  Envelope: events.EnvelopeSchema,
  SyncRequest: events.SyncRequestSchema,
  SyncResponse: events.SyncResponseSchema,
  Ack: events.AckSchema,
  Typing: events.TypingSchema,
  Here: events.HereSchema,
  Ping: events.PingSchema,
  IdentityId: roles.IdentityIdSchema,
  KeyId: roles.KeyIdSchema,
  AgreementKey: roles.AgreementKeySchema,
  RoomTitle: roles.RoomTitleSchema,
  Charter: roles.CharterSchema,
  MemberAnnouncement: roles.MemberAnnouncementSchema,
  AdminGrant: roles.AdminGrantSchema,
  WrappedKey: roles.WrappedKeySchema,
  Rekey: roles.RekeySchema,
  PriorKey: roles.PriorKeySchema,
  Hash: files.HashSchema,
  Mime: files.MimeSchema,
  Thumb: files.ThumbSchema,
  Manifest: files.ManifestSchema,
  FileBody: files.FileBodySchema,
  FileWho: fileEvents.FileWhoSchema,
  FileHave: fileEvents.FileHaveSchema,
  FileWant: fileEvents.FileWantSchema,
  ChunkHead: fileEvents.ChunkHeadSchema,
  EditBody: messageEvents.EditBodySchema,
  DeleteBody: messageEvents.DeleteBodySchema,
  ReactBody: messageEvents.ReactBodySchema,
  Emoji: messageEvents.EmojiSchema,
  Knock: desk.KnockSchema,
  KnockPayload: desk.KnockPayloadSchema,
};

/** The numbers and names the document quotes, as the code has them. */
export function constantsBlock(): string {
  const c: Array<[string, unknown]> = [
    ['PROTOCOL_VERSION', version.PROTOCOL_VERSION],
    ['VERSION_PATTERN', version.VERSION_PATTERN],
    ['DEFAULT_MAX_PAYLOAD', limits.DEFAULT_MAX_PAYLOAD],
    ['MAX_EVENT_NAME', limits.MAX_EVENT_NAME],
    ['MAX_TEXT', limits.MAX_TEXT],
    ['MAX_NAME', limits.MAX_NAME],
    ['MAX_ROOM', limits.MAX_ROOM],
    ['MAX_ID', limits.MAX_ID],
    ['MAX_CLOCK_SKEW_MS', limits.MAX_CLOCK_SKEW_MS],
    ['MAX_KIND', body.MAX_KIND],
    ['SYNC_PAGE', events.SYNC_PAGE],
    ['MAX_SYNC_LIMIT', events.MAX_SYNC_LIMIT],
    ['MAX_ACK_IDS', events.MAX_ACK_IDS],
    ['PRESENCE_MAX_CHANGES', frames.PRESENCE_MAX_CHANGES],
    ['PEER_KEY_BYTES', frames.PEER_KEY_BYTES],
    ['IDENTITY_ID_LENGTH', identity.IDENTITY_ID_LENGTH],
    ['SignaturePurposes', Object.values(identity.SignaturePurposes)],
    ['ROOM_KEY_ITERATIONS', roomKeyDerive.ROOM_KEY_ITERATIONS],
    ['ROOM_KEY_BYTES', roomKey.ROOM_KEY_BYTES],
    ['SEALED', roomKey.SEALED],
    ['RelayErrorCodes', frames.RelayErrorCodes],
    ['RelayedEvents', Object.keys(wire.wireEventSchemas)],
    ['CHUNK_BYTES', files.CHUNK_BYTES],
    ['MIN_CHUNK_BYTES', files.MIN_CHUNK_BYTES],
    ['MAX_INLINE_PARTS', files.MAX_INLINE_PARTS],
    ['MAX_FILE_CEILING', files.MAX_FILE_CEILING],
    ['DEFAULT_MAX_FILE', files.DEFAULT_MAX_FILE],
    ['MAX_THUMB_BYTES', files.MAX_THUMB_BYTES],
    ['MAX_FILE_NAME', files.MAX_FILE_NAME],
    ['LIST_PART', files.LIST_PART],
    ['MAX_PART', fileEvents.MAX_PART],
    ['MAX_WHO_FILES', fileEvents.MAX_WHO_FILES],
    ['MAX_WANT_PARTS', fileEvents.MAX_WANT_PARTS],
    ['MAX_HAVE_RANGES', fileEvents.MAX_HAVE_RANGES],
    ['MAX_CHUNK_FRAME', fileEvents.MAX_CHUNK_FRAME],
    ['EVENT_KINDS', messageEvents.EVENT_KINDS],
    ['MAX_EMOJI', messageEvents.MAX_EMOJI],
  ];
  return c.map(([name, value]) => `${name} = ${constant(value)}`).join('\n');
}

function constant(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return `[${value.map(constant).join(', ')}]`;
  return JSON.stringify(value);
}

/** How one validation action of a pipe reads. */
function action(a: Node): string {
  const said = typeof a.message === 'string' ? ` ${JSON.stringify(a.message)}` : '';
  switch (a.type) {
    case 'min_length':
      return `minLength ${String(a.requirement)}${said}`;
    case 'max_length':
      return `maxLength ${String(a.requirement)}${said}`;
    case 'length':
      return `length ${String(a.requirement)}${said}`;
    case 'min_value':
      return `min ${String(a.requirement)}${said}`;
    case 'max_value':
      return `max ${String(a.requirement)}${said}`;
    case 'integer':
      return `integer${said}`;
    case 'regex':
      return `regex ${String(a.requirement)}${said}`;
    case 'check':
      // A check without words is shown by its code (its meaning is in the code itself).
      return said
        ? `check${said}`
        : `check ${String(a.requirement).replace(/\s+/g, '').replace(/"/g, "'")}`;
    default:
      return `${a.type}${a.requirement === undefined ? '' : ` ${String(a.requirement)}`}${said}`;
  }
}

const pad = (depth: number) => '  '.repeat(depth);

/**
 * `schema` as text at indentation `depth`. A schema that is one of `names` (other than the one
 * being printed) is shown by its name, so each block stays short and names its parts.
 */
export function render(
  schema: unknown,
  names: Map<unknown, string> = new Map(),
  depth = 0,
  root = true,
): string {
  const s = schema as Node;
  const named = names.get(schema);
  if (named !== undefined && !root) return named;
  if (s.pipe) {
    // A pipe inside a pipe (a named part refined further) reads as one list of actions.
    const flat = (p: Node[]): Node[] => {
      const [base, ...rest] = p;
      return base!.pipe && base !== s && !names.has(base) ? [...flat(base!.pipe), ...rest] : p;
    };
    const [base, ...actions] = flat(s.pipe);
    const inner = render(base, names, depth, base === schema);
    if (!actions.length) return inner;
    const said = actions.map(action);
    const line = `${inner}(${said.join(', ')})`;
    if (line.length + 2 * depth <= 88) return line;
    return `${inner}(\n${said.map((a) => `${pad(depth + 1)}${a}`).join(',\n')}\n${pad(depth)})`;
  }
  const sub = (x: unknown) => render(x, names, depth + 1, false);
  switch (s.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'unknown':
      return s.type;
    case 'literal':
      return JSON.stringify(s.literal);
    case 'picklist':
      return (s.options as string[]).map((o) => JSON.stringify(o)).join(' | ');
    case 'optional':
      return sub(s.wrapped).replace(new RegExp(`^\\n${pad(depth + 1)}`), '');
    case 'object':
    case 'loose_object':
    case 'strict_object': {
      const word = { object: 'object', loose_object: 'looseObject', strict_object: 'strictObject' };
      const lines = Object.entries(s.entries!).map(([key, value]) => {
        const optional = (value as Node).type === 'optional' ? '?' : '';
        const shown = optional ? (value as Node).wrapped : value;
        return `${pad(depth + 1)}${key}${optional}: ${render(shown, names, depth + 1, false)}`;
      });
      const head = word[s.type];
      return lines.length ? `${head} {\n${lines.join('\n')}\n${pad(depth)}}` : `${head} {}`;
    }
    case 'array':
      return `Array<${render(s.item, names, depth, false)}>`;
    case 'tuple':
    case 'strict_tuple':
    case 'loose_tuple':
      return `${s.type === 'strict_tuple' ? 'strictTuple' : 'tuple'}[${s
        .items!.map((i) => render(i, names, depth, false))
        .join(', ')}]`;
    case 'variant':
    case 'union':
      return (s.options as Node[])
        .map((o) => `\n${pad(depth + 1)}| ${render(o, names, depth + 1, false)}`)
        .join('');
    default:
      return s.type;
  }
}

/** Every block the document must hold: each schema by name, the relayed events, the constants. */
export function blocks(schemas: Record<string, unknown> = documentedSchemas): Map<string, string> {
  const names = new Map<unknown, string>(Object.entries(schemas).map(([n, s]) => [s, n]));
  const out = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    const shown = render(schema, names);
    out.set(name, `${name} =${shown.startsWith('\n') ? '' : ' '}${shown}`);
  }
  out.set(
    'RelayedEvents',
    Object.entries(wire.wireEventSchemas)
      .map(([ev, args]) => `"${ev}": ${render(args, names, 0, false)}`)
      .join('\n'),
  );
  out.set('Constants', constantsBlock());
  return out;
}

// Prettier leaves the blocks alone: they are the printer's, byte for byte.
const fence = (text: string) => `<!-- prettier-ignore -->\n\`\`\`ts\n${text}\n\`\`\``;
const MARKER = /<!-- schema:([A-Za-z]+):start -->\n([\s\S]*?)\n?<!-- schema:\1:end -->/g;

/**
 * `doc` with every schema block filled from `wanted`, and the problems found: blocks that
 * differ, names the document lacks, markers that name nothing.
 */
export function fill(
  doc: string,
  wanted: Map<string, string> = blocks(),
): { text: string; problems: string[] } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const text = doc.replace(MARKER, (_all, name: string, inside: string) => {
    seen.add(name);
    const block = wanted.get(name);
    if (block === undefined) {
      problems.push(`${name}: the document has a schema block the code does not`);
      return _all;
    }
    if (inside.trim() !== fence(block)) problems.push(`${name}: differs from the code`);
    return `<!-- schema:${name}:start -->\n${fence(block)}\n<!-- schema:${name}:end -->`;
  });
  for (const name of wanted.keys()) {
    if (!seen.has(name)) problems.push(`${name}: missing from the document`);
  }
  return { text, problems };
}

/** The document's path. */
export const PROTOCOL_DOC = fileURLToPath(new URL('../docs/PROTOCOL.md', import.meta.url));

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [mode, file = PROTOCOL_DOC] = process.argv.slice(2);
  if (mode === '--write' || mode === '--check') {
    const { text, problems } = fill(readFileSync(file, 'utf8'));
    if (mode === '--write') {
      writeFileSync(file, text);
      for (const p of problems.filter((x) => !x.endsWith('differs from the code')))
        console.error(p);
    } else if (problems.length) {
      console.error(`${file}: its schemas and the code's disagree:\n  ${problems.join('\n  ')}`);
      console.error('Run `npx tsx scripts/protocol-schemas.ts --write` and review the change.');
      process.exit(1);
    }
  } else {
    for (const [name, block] of blocks()) console.log(`## ${name}\n${fence(block)}\n`);
  }
}
