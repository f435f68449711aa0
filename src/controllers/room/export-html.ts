/**
 * A room's history as one self-contained web page to read and keep: inline CSS only (light or
 * dark, as the reader's system prefers), no script, nothing loaded from anywhere, and a
 * Content-Security-Policy that forbids all of it should anything slip in. Every string a user
 * wrote (names, texts, file names, emoji) goes through {@link escapeHtml} and nothing else
 * builds markup, so no message can add an element or an attribute to the page.
 *
 * In an encrypted room the page holds the opened text: it is as private as the room.
 */
import { THUMB_TYPES } from '../../protocol/file-manifest.js';
import type { ChatMessage, Reaction, ReplyRef } from './message-list.js';

export { collectRows } from './history-rows.js';

/** What the page says about itself. */
export interface HtmlExportMeta {
  room: string;
  /** The page's title (e.g. "#general"). */
  title: string;
  /** When it was exported (ms). */
  exported: number;
  /** Whether the room is end-to-end encrypted (the page then says it holds opened text). */
  encrypted: boolean;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` with `& < > " '` as entities: safe as element content and inside quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The page's only policy: no scripts, no fetches, inline styles and data: images only. */
export const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #6b6b70; --line: #d9d9de; --quote: #f3f3f5; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #ececf0; --bg: #17171a; --muted: #a0a0a8; --line: #3a3a40; --quote: #24242a; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 48rem; padding: 1.5rem 1rem; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.3rem; margin: 0 0 0.3rem; }
.about, .quiet, .day, .meta, .mark { color: var(--muted); }
.about { margin: 0 0 0.8rem; font-size: 0.85rem; }
.day { text-align: center; font-size: 0.8rem; margin: 1.2rem 0 0.4rem; }
ol { list-style: none; margin: 0; padding: 0; }
li.msg { padding: 0.35rem 0; border-top: 1px solid var(--line); }
.meta { font-size: 0.8rem; }
.meta b { color: var(--fg); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.15rem 0 0; }
.quiet, .note { font-style: italic; }
.note { color: var(--muted); text-align: center; font-size: 0.85rem; padding: 0.3rem 0; }
blockquote { margin: 0.2rem 0; padding: 0.2rem 0.5rem; border-left: 3px solid var(--line); background: var(--quote); font-size: 0.85rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.file { margin: 0.15rem 0 0; }
.file img { display: block; max-width: 12rem; max-height: 12rem; margin-top: 0.2rem; border-radius: 4px; }
.reactions { display: flex; flex-wrap: wrap; gap: 0.3rem; margin: 0.25rem 0 0; padding: 0; }
.reactions li { border: 1px solid var(--line); border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; }
`;

/** A size in bytes, for people. */
function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The local day of `ts`, as `YYYY-MM-DD`. */
const dayOf = (ts: number) => {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
/** The local time of `ts`, as `HH:MM`. */
const timeOf = (ts: number) => {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** The thumbnail as a data: URL, only for the image types thumbnails may have. */
function thumbUrl(row: ChatMessage): string | undefined {
  const thumb = row.file?.thumb;
  if (!thumb || !(THUMB_TYPES as readonly string[]).includes(thumb.type)) return undefined;
  // base64url (checked on arrival; checked again, as this goes into an attribute) to base64.
  if (!/^[A-Za-z0-9_-]+$/.test(thumb.data)) return undefined;
  const b64 = thumb.data.replace(/-/g, '+').replace(/_/g, '/');
  return `data:${thumb.type};base64,${b64}${'='.repeat((4 - (b64.length % 4)) % 4)}`;
}

/** The quote of the message a reply answers. */
function quoteOf(reply: ReplyRef): string {
  if (reply.deleted) return '<blockquote class="quiet">message deleted</blockquote>';
  if (reply.excerpt === undefined)
    return '<blockquote class="quiet">an earlier message</blockquote>';
  const who = reply.name ? `<b>${escapeHtml(reply.name)}</b>: ` : '';
  return `<blockquote>${who}${escapeHtml(reply.excerpt)}</blockquote>`;
}

/** Reactions: "👍 2: Alice, Bob" per emoji. */
function reactionsOf(reactions: readonly Reaction[]): string {
  const chips = reactions
    .filter((r) => r.by.length > 0)
    .map((r) => {
      const names = r.by.map((b) => b.name).join(', ');
      return `<li>${escapeHtml(`${r.emoji} ${r.by.length}: ${names}`)}</li>`;
    });
  return chips.length > 0 ? `<ul class="reactions">${chips.join('')}</ul>` : '';
}

/** What a message says: its text, a file, or a quiet line. */
function contentOf(row: ChatMessage): string {
  if (row.deleted) return '<p class="text quiet">message deleted</p>';
  if (row.unreadable) return '<p class="text quiet">can\u2019t read this message</p>';
  if (row.unknown !== undefined) return `<p class="text quiet">${escapeHtml(row.text)}</p>`;
  let out = '';
  if (row.file) {
    const thumb = thumbUrl(row);
    const img = thumb ? `<img alt="" src="${escapeHtml(thumb)}">` : '';
    out += `<p class="file">file: ${escapeHtml(row.file.name)} (${sizeText(row.file.size)})${img}</p>`;
  }
  if (row.text !== '') out += `<p class="text">${escapeHtml(row.text)}</p>`;
  return out;
}

/** One message as a list item. */
function messageItem(row: ChatMessage): string {
  if (row.note !== undefined) return `<li class="note">${escapeHtml(row.note)}</li>`;
  const when = new Date(row.ts).toISOString();
  const edited =
    row.edited !== undefined && !row.deleted ? ' <span class="mark">edited</span>' : '';
  return [
    '<li class="msg">',
    `<div class="meta"><b>${escapeHtml(row.from.name)}</b> <time datetime="${when}">${timeOf(row.ts)}</time>${edited}</div>`,
    row.replyTo ? quoteOf(row.replyTo) : '',
    contentOf(row),
    row.reactions && !row.deleted ? reactionsOf(row.reactions) : '',
    '</li>',
  ].join('');
}

/**
 * The readable page of `rows` (decorated and opened, oldest first, as the list shows them):
 * a day line whenever the day changes, then each message with its author and time. Message
 * events are folded into their targets already and never shown as rows of their own.
 */
export function exportHtml(rows: readonly ChatMessage[], meta: HtmlExportMeta): string {
  const body: string[] = [];
  let day = '';
  for (const row of rows) {
    if (row.event) continue;
    const d = dayOf(row.ts);
    if (d !== day) {
      if (day !== '') body.push('</ol>');
      body.push(`<h2 class="day">${d}</h2><ol>`);
      day = d;
    }
    body.push(messageItem(row));
  }
  if (day !== '') body.push('</ol>');
  else body.push('<p class="quiet">No messages.</p>');
  const about = [
    `#${escapeHtml(meta.room)}, exported from Parley on ${dayOf(meta.exported)} at ${timeOf(meta.exported)}.`,
    meta.encrypted
      ? ' The room is end-to-end encrypted: this page holds its messages opened, in the clear — keep it as safe as the room.'
      : '',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(meta.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(meta.title)}</h1><p class="about">${about}</p></header>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}
