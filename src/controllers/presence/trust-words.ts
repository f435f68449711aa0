/**
 * The words of an identity warning, the same in the member list and on the message rows: a
 * name met earlier with another key, a name that looks like another member's here (Unicode's
 * confusables), a name that mixes scripts. Pure: what is shown is worked out by the contacts
 * controller (contacts-controller.ts), which puts the words on each author's mark, so the
 * message list (in the room's first download) needs none of this code.
 */
import type { AuthorMark, Lookalike } from './roster.js';

/** "Alice (12345 67890 12345)", or the name alone while its code is worked out. */
const who = (l: Lookalike) => (l.fingerprint ? `${l.name} (${l.fingerprint})` : l.name);

/** The long warning (member list, the line before an author's first message), if any. */
export function warningText(name: string, t: Omit<AuthorMark, 'name'>): string | undefined {
  // Once the user compared this identity's code and marked it verified, the question is settled.
  if (t.verified) return undefined;
  const mixed = t.scripts ? ` The name mixes ${t.scripts.join(' and ')} letters.` : '';
  if (t.namesakes.length > 0) {
    const before = t.namesakes.map((n) => n.fingerprint).join(', ');
    const verb = t.namesakes.some((n) => n.verified) ? 'verified' : 'talked to';
    return `⚠ Not the ${name} you ${verb} before (${before}): different key — compare safety codes.${mixed}`;
  }
  if (t.alike.length > 0) {
    const others = t.alike.map(who).join(', ');
    return `⚠ Not the same person as ${others}: the names look alike, the keys differ — compare safety codes.${mixed}`;
  }
  return t.scripts
    ? `⚠ The name mixes ${t.scripts.join(' and ')} letters: it may pass for another.`
    : undefined;
}

/**
 * The line before an author's first message in the conversation, if any: for a name met
 * before with another key, the words it always had; else as in the member list.
 */
export function warningLine(name: string, t: Omit<AuthorMark, 'name'>): string | undefined {
  if (t.verified) return undefined;
  if (t.namesakes.length > 0)
    return `This ${name} is not the one you talked to before — their safety code changed`;
  return warningText(name, t);
}

/** The short flag under a message's header, if any. */
export function warningFlag(t: AuthorMark): string | undefined {
  if (t.verified) return undefined;
  if (t.namesakes.length > 0) return `⚠ Not the ${t.namesakes[0]!.name} you talked to before`;
  if (t.alike.length > 0) return `⚠ Looks like ${t.alike[0]!.name}'s name — another person`;
  if (t.scripts) return `⚠ Name mixes ${t.scripts.join(' and ')} letters`;
  return undefined;
}
