/**
 * Links in a message's text: linkify-it finds them, and a link is kept only when its
 * normalized URL, parsed by `new URL()`, has one of the allowed protocols. The display text
 * stays what the author typed; the `href` is the parsed URL's own serialization.
 */
import { LinkifyIt } from 'linkify-it';
import { HAS_WWW, mayHaveLink } from './plain.js';

/** The only protocols a link may have: anything else (javascript:, data:, file:…) is text. */
const ALLOWED = new Set(['https:', 'http:', 'mailto:']);

/** Emphasis markers at the end of a link. */
const TRAILING_MARKERS = /[*_]+$/;

/**
 * linkify-it with schemes only (and emails): its schemeless search costs about ten times the
 * rest, and would take `notes.md` or `setup.py` (two-letter country domains) for links.
 * `www.` names are found apart (see {@link candidates}). `ftp:` and protocol-relative
 * `//host` are linkify-it defaults we do not want.
 */
const linkify = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: true, fuzzyIP: false })
  .add('ftp:', null)
  .add('//', null);
/** Before `www.`, a character that makes it part of something else (a word, a URL, an address). */
const JOINED = /[\p{L}\p{N}_./@:-]/u;
const WWW_HOST = /^www\.[^./:]+\.[^./:]/i;
/** `www.` names looked at per text, at most (each is a slice of the rest of the text). */
const MAX_WWW = 50;

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

/** A link as linkify-it sees it, before the URL is checked. */
type Candidate = { index: number; raw: string; url: string };

/**
 * linkify-it's matches, and each `www.` name that starts a word: checked by linkify-it as the
 * https link it stands for (same host and path rules, same trailing punctuation left out).
 */
function candidates(text: string): Candidate[] {
  const out: Candidate[] = (linkify.match(text) ?? []).map((m) => ({
    index: m.index,
    raw: m.raw,
    url: m.url,
  }));
  if (!HAS_WWW.test(text)) return out;
  let seen = 0;
  for (const w of text.matchAll(/www\./gi)) {
    const at = w.index;
    if (at > 0 && JOINED.test(text[at - 1]!)) continue;
    if (out.some((c) => at >= c.index && at < c.index + c.raw.length)) continue;
    if (++seen > MAX_WWW) break;
    const m = linkify.matchAtStart(`https://${text.slice(at)}`);
    const raw = m?.raw.slice('https://'.length);
    // `www.` then at least two labels: `www.` alone, or `www.b`, is a word.
    if (m && raw && WWW_HOST.test(raw)) out.push({ index: at, raw, url: m.url });
  }
  return out.sort((x, y) => x.index - y.index);
}

/** The safe links in `text`, in order (none overlap). */
export function findLinks(text: string): FoundLink[] {
  if (!mayHaveLink(text)) return [];
  const found: FoundLink[] = [];
  for (const m of candidates(text)) {
    // Emphasis markers right after a link close the emphasis around it (`**https://x.y**`):
    // linkify-it counts them in the path, where they almost never belong.
    const cut = TRAILING_MARKERS.exec(m.raw)?.[0].length ?? 0;
    const raw = m.raw.slice(0, m.raw.length - cut);
    const url = cut && m.url.endsWith(m.raw.slice(-cut)) ? m.url.slice(0, -cut) : m.url;
    const href = raw && safeHref(url);
    if (href) found.push({ start: m.index, end: m.index + raw.length, text: raw, href });
  }
  return found;
}
