/**
 * Taking a JSON export (`history-export.ts`) into this account's history. A file is hostile
 * like anything from the network: its size is capped, its header checked, and every envelope
 * in it passes the checks a catch-up page's do — the shape, the room the header names, the
 * time, the author's signature (checked in batches, all of a batch at once). A line that fails
 * (one changed byte in any signed field) is refused and counted; the others are merged by id,
 * so what is already here is counted as known, never stored twice.
 *
 * The file is read line by line, so one damaged line costs only itself; a file that is JSON
 * but laid out otherwise (pretty-printed by someone) is read whole instead.
 */
import * as v from 'valibot';
import { EnvelopeSchema, type Envelope } from '../../protocol/chat-events.js';
import { RoomNameSchema, TimeSchema } from '../../protocol/fields.js';
import { MAX_CLOCK_SKEW_MS } from '../../protocol/limits.js';
import { verifyEnvelope } from '../../protocol/signed-envelope.js';
import type { ParleyDb } from '../../store/db.js';
import { addMessages } from '../../store/history.js';
import { EXPORT_FORMAT, EXPORT_VERSION, MAX_EXPORT } from './history-export.js';

/** Largest file an import reads (bytes): a full room of long messages fits with room to spare. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** Signatures checked at once (and envelopes stored per transaction). */
const VERIFY_BATCH = 1000;
/** Most reasons a report gives (the first few; the counts tell the rest). */
export const MAX_REASONS = 5;

/** What an import did, in numbers and words. */
export interface ImportReport {
  /** The room the file is of ('' when nothing was taken: `reasons[0]` says why). */
  room: string;
  /** New messages stored. */
  added: number;
  /** Messages already here (or repeated in the file). */
  known: number;
  /** Lines refused (malformed, of another room, or their signature does not match). */
  refused: number;
  /** The first few problems, in words. */
  reasons: string[];
  /** The envelopes stored, oldest first (for the room on screen to show). */
  fresh: Envelope[];
}

/** How an import runs. */
export interface ImportOptions {
  /** Take the file only if it is of this room. */
  room?: string;
  /** This account's identity id: its own messages are stored as delivered. */
  self?: string;
}

const HeaderSchema = v.object({
  format: v.literal(EXPORT_FORMAT),
  version: v.number(),
  protocol: v.optional(v.string()),
  room: RoomNameSchema,
  exported: TimeSchema,
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
type Header = v.InferOutput<typeof HeaderSchema>;

/** A report of nothing done, for `reason`. */
function nothing(reason: string): ImportReport {
  return { room: '', added: 0, known: 0, refused: 0, reasons: [reason], fresh: [] };
}

const NOT_AN_EXPORT = 'This file is not a Parley history export.';

/** `text` parsed as JSON, or undefined. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The header and the envelope lines (unparsed, or already parsed), or why not. */
function split(text: string): { header: unknown; lines: unknown[] } | string {
  const firstBreak = text.indexOf('\n');
  const first = firstBreak < 0 ? text : text.slice(0, firstBreak);
  const opening = ',"messages":[';
  if (first.trimEnd().endsWith(opening)) {
    // The export's own layout: one envelope per line.
    const head = first.trimEnd();
    const header = parseJson(head.slice(0, -opening.length) + '}');
    const body = text.slice(firstBreak + 1).trimEnd();
    if (!body.endsWith(']}')) return 'This history file is cut short: its end is missing.';
    const lines = body
      .slice(0, -2)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .map((l) => (l.endsWith(',') ? l.slice(0, -1) : l));
    return { header, lines };
  }
  const whole = parseJson(text);
  if (typeof whole !== 'object' || whole === null) return NOT_AN_EXPORT;
  const { messages, ...header } = whole as { messages?: unknown };
  if (!Array.isArray(messages)) return NOT_AN_EXPORT;
  return { header, lines: messages.map((m) => ({ parsed: m })) };
}

/** What the header says is wrong with it, or the header. */
function checkHeader(raw: unknown, only: string | undefined): Header | string {
  if (typeof raw !== 'object' || raw === null) return NOT_AN_EXPORT;
  if ((raw as { format?: unknown }).format !== EXPORT_FORMAT) return NOT_AN_EXPORT;
  const parsed = v.safeParse(HeaderSchema, raw);
  if (!parsed.success) return 'This history file has a damaged header.';
  const header = parsed.output;
  if (header.version !== EXPORT_VERSION)
    return `This history file was made by another version of Parley (format ${header.version}); this one reads format ${EXPORT_VERSION}.`;
  if (only !== undefined && header.room !== only)
    return `This history is of #${header.room}, not of #${only}.`;
  return header;
}

/** Collects counts and the first few reasons. */
class Tally {
  refused = 0;
  known = 0;
  readonly reasons: string[] = [];
  refuse(reason: string): void {
    this.refused++;
    if (this.reasons.length < MAX_REASONS && !this.reasons.includes(reason))
      this.reasons.push(reason);
  }
}

/** The envelope on `line` (text or `{parsed}`), checked against the header, or why not. */
function envelopeOn(line: unknown, header: Header, latest: number): Envelope | string {
  const value = typeof line === 'string' ? parseJson(line) : (line as { parsed: unknown }).parsed;
  if (value === undefined) return 'a line is not JSON';
  const parsed = v.safeParse(EnvelopeSchema, value);
  if (!parsed.success) return 'a line is not a message';
  const env = parsed.output as Envelope;
  if (env.room !== header.room) return `a message is of another room than #${header.room}`;
  if (env.ts > latest) return 'a message is dated in the future';
  return env;
}

/**
 * Imports the export in `file` into `owner`'s history of the room it names (only `opts.room`,
 * when given). Never throws for a bad file: the report says what was wrong, in words. Throws
 * only when storage fails.
 */
export async function importHistory(
  db: ParleyDb,
  owner: string,
  file: Blob,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  if (file.size > MAX_IMPORT_BYTES)
    return nothing(
      `This file is too large to import (${mib(file.size)}; at most ${mib(MAX_IMPORT_BYTES)}).`,
    );
  let text: string;
  try {
    text = await file.text();
  } catch {
    return nothing('This file could not be read.');
  }
  const found = split(text.replace(/^\uFEFF/, ''));
  if (typeof found === 'string') return nothing(found);
  const header = checkHeader(found.header, opts.room);
  if (typeof header === 'string') return nothing(header);
  const tally = new Tally();
  const lines = found.lines;
  if (lines.length > MAX_EXPORT) {
    tally.refused += lines.length - MAX_EXPORT;
    tally.reasons.push(`only the newest ${MAX_EXPORT.toLocaleString('en')} messages are taken`);
  }
  if (lines.length !== header.count)
    tally.reasons.push(`the file says it holds ${header.count} messages but holds ${lines.length}`);
  const latest = Date.now() + MAX_CLOCK_SKEW_MS;
  const candidates: Envelope[] = [];
  for (const line of lines.slice(-MAX_EXPORT)) {
    const env = envelopeOn(line, header, latest);
    if (typeof env === 'string') tally.refuse(env);
    else candidates.push(env);
  }
  // Repeats of an id are told apart only once verified: a forged copy placed before the
  // genuine line must not push it out as "already here".
  const seen = new Set<string>();
  const statusOf = (env: Envelope) => (env.from.id === opts.self ? 'delivered' : 'received');
  const fresh: Envelope[] = [];
  let valid = 0;
  // A batch is stored while the next one is verified: storage and signatures overlap.
  let storing: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < candidates.length; i += VERIFY_BATCH) {
    const batch = candidates.slice(i, i + VERIFY_BATCH);
    const ok = await Promise.all(batch.map((env) => verifyEnvelope(env)));
    const verified = batch.filter((_, j) => ok[j]);
    for (let j = verified.length; j < batch.length; j++)
      tally.refuse('its signature does not match');
    const checked = verified.filter((env) => !seen.has(env.id) && seen.add(env.id));
    tally.known += verified.length - checked.length;
    valid += checked.length;
    await storing;
    storing = addMessages(db, owner, checked, statusOf).then((added) => fresh.push(...added));
    // A storage failure is thrown by the next `await storing`, not reported as unhandled before.
    storing.catch(() => undefined);
  }
  await storing;
  return {
    room: header.room,
    added: fresh.length,
    known: tally.known + valid - fresh.length,
    refused: tally.refused,
    reasons: tally.reasons,
    fresh,
  };
}

/** `bytes` in MiB, for people. */
function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * What an import did, in one sentence ("Imported 120 messages into #general (3 already here,
 * 1 refused: its signature does not match).").
 */
export function describeImport(report: ImportReport): string {
  if (report.room === '') return report.reasons[0] ?? NOT_AN_EXPORT;
  const n = report.added;
  const parts: string[] = [];
  if (report.known > 0) parts.push(`${report.known} already here`);
  if (report.refused > 0)
    parts.push(
      `${report.refused} refused${report.reasons.length > 0 ? `: ${report.reasons.join('; ')}` : ''}`,
    );
  // Notes that refused nothing (a count that does not match) are said on their own.
  if (report.refused === 0 && report.reasons.length > 0) parts.push(report.reasons.join('; '));
  const extra = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `Imported ${n} message${n === 1 ? '' : 's'} into #${report.room}${extra}.`;
}
