/**
 * Links in a message's text: linkify-it finds them, and a link is kept only when its
 * normalized URL, parsed by `new URL()`, has one of the allowed protocols. The display text
 * stays what the author typed; the `href` is the parsed URL's own serialization.
 */
import { LinkifyIt } from 'linkify-it';

/** The only protocols a link may have: anything else (javascript:, data:, file:…) is text. */
const ALLOWED = new Set(['https:', 'http:', 'mailto:']);

/**
 * Bare domains link only with `www.`: linkify-it's fuzzy matching would also take words such
 * as `notes.md` or `setup.py` (two-letter country domains) for links.
 */
const BARE_PREFIX = /^www\./i;

/** Emphasis markers at the end of a link. */
const TRAILING_MARKERS = /[*_]+$/;

// `ftp:` and protocol-relative `//host` are linkify-it defaults we do not want.
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: false })
  .add('ftp:', null)
  .add('//', null);

/** A link found in a text: where it is, what it shows and where it goes. */
export interface FoundLink {
  /** Offsets in the searched text: `[start, end)`. */
  start: number;
  end: number;
  /** The characters as typed. */
  text: string;
  /** The checked URL (http:, https: or mailto:). */
  href: string;
}

/**
 * The URL a link may point to, or undefined: `url` is parsed with `new URL()` (never matched
 * with a pattern) and its protocol must be allowed. Parsing strips tabs and newlines and
 * lower-cases the scheme the way the browser would when following it, so what is checked is
 * what would be opened.
 */
export function safeHref(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!ALLOWED.has(parsed.protocol)) return undefined;
  // A web link needs a host; `mailto:` needs an address.
  if (parsed.protocol === 'mailto:' ? parsed.pathname === '' : parsed.hostname === '') {
    return undefined;
  }
  return parsed.href;
}

/**
 * A cheap test for whether `text` could hold a link at all (a scheme's colon, `www.` or an
 * email's `@`): most chat lines have none, and then linkify-it is never asked.
 */
export const mayHaveLink = (text: string): boolean => /[:@]|www\./i.test(text);

/** The safe links in `text`, in order (none overlap). */
export function findLinks(text: string): FoundLink[] {
  if (!mayHaveLink(text)) return [];
  const found: FoundLink[] = [];
  for (const m of linkify.match(text) ?? []) {
    // A fuzzy (schemeless) match is a link only as `www.…` or as an email address.
    const isMail = m.url.startsWith('mailto:');
    if (m.schema === '' && !isMail && !BARE_PREFIX.test(m.raw)) continue;
    // Emphasis markers right after a link close the emphasis around it (`**https://x.y**`):
    // linkify-it counts them in the path, where they almost never belong.
    const cut = TRAILING_MARKERS.exec(m.raw)?.[0].length ?? 0;
    const raw = m.raw.slice(0, m.raw.length - cut);
    // `www.…` is opened over https (linkify-it would say http).
    let url = m.schema === '' && !isMail ? `https://${raw}` : m.url;
    if (cut && url.endsWith(m.raw.slice(-cut))) url = url.slice(0, -cut);
    const href = raw && safeHref(url);
    if (href) found.push({ start: m.index, end: m.lastIndex - cut, text: raw, href });
  }
  return found;
}
