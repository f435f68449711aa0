/**
 * Whether a message's text needs the formatter at all — a test cheap enough for every row,
 * kept apart from the formatter (links.ts pulls in linkify-it) so rows can be drawn before
 * that chunk is here, and most never need it.
 */

/** `www.` anywhere: a name that may be a link without a scheme. */
export const HAS_WWW = /www\./i;

/** Any character that could start formatting. */
const MARKERS = /[*_`>]/;

/**
 * A cheap test for whether `text` could hold a link at all (a scheme's colon, `www.` or an
 * email's `@`): most chat lines have none, and then linkify-it is never asked.
 */
export const mayHaveLink = (text: string): boolean => /[:@]/.test(text) || HAS_WWW.test(text);

/**
 * Whether `text` is sure to render as itself: no formatting marker and nothing that could be
 * a link. Most chat lines are, and skip the parser entirely.
 */
export const isPlain = (text: string): boolean => !MARKERS.test(text) && !mayHaveLink(text);
