/**
 * The protocol's version, `major.minor`, carried in every join request, join reply and hello
 * (relay, direct links, tabs). The rules (docs/PROTOCOL.md, "Versions"):
 * - same major: the two sides interoperate; whoever meets a newer minor ignores what it does
 *   not know (unknown fields, unknown message kinds are kept and passed on, never refused);
 * - another major: refused with a clear sentence on both sides, never silence.
 * A peer that names no version at all predates versioning: major 0.
 */

/** The major version this code speaks: a change here means old and new cannot meet. */
export const PROTOCOL_MAJOR = 1;
/** The minor version: what this code adds that a member of the same major may not know. */
export const PROTOCOL_MINOR = 5;
/** This code's version as it travels (`"1.5"`). */
export const PROTOCOL_VERSION = `${PROTOCOL_MAJOR}.${PROTOCOL_MINOR}`;

/** A version as it travels: two whole numbers of at most four digits, `"1.0"`. */
export const VERSION_PATTERN = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})$/;

/** A parsed version. */
export interface ProtocolVersion {
  major: number;
  minor: number;
}

/**
 * The version in `text`; `{0, 0}` for a peer that names none (it predates versioning), and
 * undefined for a text that is not a version at all.
 */
export function parseVersion(text: unknown): ProtocolVersion | undefined {
  if (text === undefined) return { major: 0, minor: 0 };
  if (typeof text !== 'string') return undefined;
  const m = VERSION_PATTERN.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Whether a peer speaking `text` can talk with us (same major). */
export function compatible(text: unknown): boolean {
  return parseVersion(text)?.major === PROTOCOL_MAJOR;
}

/** How a version is said to people: its major ("0" for one from before versions). */
function spoken(text: unknown): string {
  const parsed = parseVersion(text);
  return parsed ? String(parsed.major) : 'an unknown version';
}

/**
 * The sentence for a version mismatch, as each side says it. `side` is who holds the newer or
 * other code: the server tells a page, a page tells itself about a server or another tab.
 */
export function incompatibleMessage(
  where: 'server' | 'page' | 'tab' | 'member',
  theirs: unknown,
): string {
  const them = spoken(theirs);
  const older = (parseVersion(theirs)?.major ?? 0) < PROTOCOL_MAJOR;
  switch (where) {
    case 'server': // a page hears this about its server
      return `This server speaks Parley protocol ${them}; this page speaks ${PROTOCOL_MAJOR} — ${
        older ? 'the server needs an update' : 'reload to update'
      }.`;
    case 'page': // the server says this to a page
      return `This server speaks Parley protocol ${PROTOCOL_MAJOR}; this page speaks ${them} — ${
        older ? 'reload to update' : 'the server needs an update'
      }.`;
    case 'tab':
      return `Another tab runs Parley protocol ${them}; this one speaks ${PROTOCOL_MAJOR} — reload ${
        older ? 'the other tab' : 'this tab'
      } to update.`;
    case 'member':
      return `A member's app speaks Parley protocol ${them}; this one speaks ${PROTOCOL_MAJOR} — ${
        older ? 'they need to reload' : 'reload to update'
      }.`;
  }
}
