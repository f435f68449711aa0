/**
 * Stopgaps, until the browser's room logic they stand for moves into host-agnostic modules.
 * Each piece below exists in a file of `src/controllers/room/` that imports `src/store/`
 * (IndexedDB), so Node cannot load it; the definitions there are the authority, and each
 * piece here names the one it must become. Keep this file tiny: when a piece moves, import it
 * from its new home and delete it here.
 */
import type { Envelope } from '../protocol/chat-events.js';
import { SYNC_PAGE } from '../protocol/chat-events.js';
import { utf8Length } from '../protocol/limits.js';
import { readBody, readOpened } from '../protocol/message-body.js';
import { open } from '../protocol/room-key.js';
import { sealingHeader } from '../protocol/signed-envelope.js';

/**
 * The catch-up rules of `controllers/room/catch-up.ts` (not exported there): how far before
 * our newest message we ask from, how long an answer is accepted, the least time between two
 * answers to one member, how many members we ask, and what we serve and take per second.
 */
export const CATCH_UP = {
  slackMs: 60_000,
  pageBytes: 48 * 1024,
  answerWindowMs: 30_000,
  answerGapMs: 2_000,
  askAtMost: 2,
  serveBurst: 4000,
  serveRate: 50,
  defaultHistoryLimit: 500,
} as const;

/** Resend delays of `controllers/room/delivery.ts` (`RETRY_DELAYS_MS`), in ms. */
export const RETRY_DELAYS_MS = [3_000, 6_000, 12_000, 24_000, 48_000] as const;

/**
 * `syncPages` of `controllers/room/catch-up.ts`: runs of at most {@link SYNC_PAGE} envelopes
 * whose JSON fits the page size.
 */
export function syncPages(envs: readonly Envelope[]): Envelope[][] {
  const out: Envelope[][] = [];
  let page: Envelope[] = [];
  let bytes = 0;
  for (const env of envs) {
    const size = utf8Length(JSON.stringify(env));
    if (page.length > 0 && (bytes + size > CATCH_UP.pageBytes || page.length === SYNC_PAGE)) {
      out.push(page);
      page = [];
      bytes = 0;
    }
    page.push(env);
    bytes += size;
  }
  if (page.length > 0) out.push(page);
  return out;
}

/**
 * `textOf` of `controllers/room/room-sealing.ts`, less its display line: what a message says
 * (its text, or the name of a kind this version does not know), in the clear or opened with
 * one of `keys` (then `sealed`); undefined when no key opens it or it is not a body.
 */
export async function readMessage(
  env: Envelope,
  keys: readonly CryptoKey[],
): Promise<{ text?: string; kind: string; sealed: boolean } | undefined> {
  const read = readBody(env.body);
  if (!read) return undefined;
  if (read.kind === 'text') return { text: read.text, kind: 'text', sealed: false };
  if (read.kind === 'unknown') return { kind: read.name, sealed: false };
  const header = sealingHeader(env);
  for (const key of keys) {
    const inner = readOpened(await open(key, header, read.sealed));
    if (inner?.kind === 'text') return { text: inner.text, kind: 'text', sealed: true };
    if (inner) return { kind: inner.name, sealed: true };
  }
  return undefined;
}
