/**
 * The tokens a message's text is parsed into (parse-text.ts) and rendered from
 * (render-text.ts). Plain data: every string in them is the author's text, shown as text.
 */

/** A checked link: `href` is http:, https: or mailto: (see links.ts); `text` as typed. */
export type LinkToken = { link: string; text: string };
/** An inline code span: its text, with no links and no formatting inside. */
export type CodeToken = { code: string };
/** Emphasis (`*a*`, `_a_`) around other inline tokens. */
export type EmToken = { em: Inline[] };
/** Strong emphasis (`**a**`) around other inline tokens. */
export type StrongToken = { strong: Inline[] };
/** What a line of text is made of; a string is plain text (newlines kept). */
export type Inline = string | LinkToken | CodeToken | EmToken | StrongToken;

/** Lines of ordinary text. */
export type TextBlock = { text: Inline[] };
/** Consecutive `> ` lines, without their markers. */
export type QuoteBlock = { quote: Inline[] };
/** A fenced code block: its lines, and the language word after the opening fence (or ''). */
export type FenceBlock = { fence: string; lang: string };
/** A message's text, block by block, in order. */
export type Block = TextBlock | QuoteBlock | FenceBlock;
