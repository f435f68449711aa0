/**
 * `controllers/search/` — finding messages: the local full-text index (indexer.ts), the query
 * (search-controller.ts), and this door every stored message goes through on its way in.
 *
 * What is stored is indexed soon after, off the path a person feels: messages are gathered for
 * a moment and handed to the indexer (a chunk of its own, loaded with the first message) in
 * one batch per account. The index is a cache of the history: a batch lost to a closed page is
 * picked up by the next login's `reindexAccount`.
 */
import { loadAfterSettled } from '../../internal/load-order.js';
import type { Envelope } from '../../protocol/chat-events.js';
import type { ParleyDb } from '../../store/db.js';

/** How long messages gather before they are indexed together (ms). */
const GATHER_MS = 40;
/** Most messages gathered per account before a batch goes at once. */
const BATCH_MAX = 500;

interface Pending {
  db: ParleyDb;
  owner: string;
  envs: Envelope[];
  timer: ReturnType<typeof setTimeout>;
}

const pending = new Map<string, Pending>();
/** The accounts already re-indexed by this page (one background pass per login). */
const reindexed = new Set<string>();
/** The work queued so far, so batches never overlap (and tests can wait for them). */
let work: Promise<void> = Promise.resolve();

// The index is for Search, later: its code waits until a chat's room is live (see load-order.ts).
const indexer = () => loadAfterSettled(() => import('./indexer.js'));

/** Runs `job` after the indexing queued before it; never rejects. */
function queue(job: () => Promise<unknown>): Promise<void> {
  const next = work
    .then(job)
    .then(() => undefined)
    .catch((err: unknown) => {
      console.warn('Parley: indexing for search failed', err);
    });
  work = next;
  return next;
}

function send(key: string): void {
  const batch = pending.get(key);
  if (!batch) return;
  pending.delete(key);
  clearTimeout(batch.timer);
  void queue(() => indexer().then((m) => m.indexEnvelopes(batch.db, batch.owner, batch.envs)));
}

/** Indexes `envs` (just stored for `owner`) soon, with whatever else arrives meanwhile. */
export function indexLater(db: ParleyDb, owner: string, envs: readonly Envelope[]): void {
  if (envs.length === 0) return;
  const key = owner;
  let batch = pending.get(key);
  if (batch && batch.db !== db) send(key);
  batch = pending.get(key);
  if (!batch) {
    batch = { db, owner, envs: [], timer: setTimeout(() => send(key), GATHER_MS) };
    pending.set(key, batch);
  }
  batch.envs.push(...envs);
  if (batch.envs.length >= BATCH_MAX) send(key);
}

/**
 * Indexes in the background whatever `owner` holds that is not indexed yet — once per page
 * for the whole account (history from before the index, or a page closed mid-batch), and for
 * `room` again whenever asked (a key arrived that opens more of it).
 */
export function reindexLater(db: ParleyDb, owner: string, room?: string): void {
  if (room === undefined) {
    if (reindexed.has(owner)) return;
    reindexed.add(owner);
  }
  void queue(() => indexer().then((m) => m.reindexAccount(db, owner, room ? { room } : {})));
}

/** Resolves once everything handed over so far is indexed (tests, export). */
export function indexed(): Promise<void> {
  for (const key of [...pending.keys()]) send(key);
  return queue(() => Promise.resolve());
}
