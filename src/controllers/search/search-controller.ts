/**
 * `controllers/search/` — finding messages in this account's history.
 *
 * The search controller: asks the local index (store/search-query.ts, loaded on first use) for
 * the messages matching what is typed, in the current room or in all rooms, and keeps the
 * answer for the view. While someone types, queries start at most once per {@link SEARCH_GAP_MS}
 * (the last one always runs), and the newest query wins: an answer to an older query that
 * arrives after a newer one's is dropped, so results never go back to what was typed before.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ParleyDb } from '../../store/db.js';
import type { SearchHit } from '../../store/search-query.js';

export type { SearchHit } from '../../store/search-query.js';

/** Where to look: the current room, or every room of the account. */
export type SearchScope = 'room' | 'all';

/** The account whose history is searched. */
export interface SearchSource {
  db: Promise<ParleyDb>;
  owner: string;
}

/** The index's query, as store/search-query.ts's `searchMessages` answers it. */
export type SearchRun = (
  db: ParleyDb,
  owner: string,
  query: string,
  opts: { room?: string; limit?: number },
) => Promise<{ hits: SearchHit[]; more: boolean }>;

/** Results asked for at once: a screenful or two, not the whole history. */
export const SEARCH_LIMIT = 50;
/** The longest query passed on (the field allows no more either). */
export const QUERY_MAX = 200;
/** The shortest time between two queries' starts while typing. */
export const SEARCH_GAP_MS = 50;
/** After this long without an answer, the view says "Searching…". */
export const SLOW_MS = 300;

let store: Promise<typeof import('../../store/search-query.js')> | undefined;

/** The index's query, its module loaded on the first search (it is not in the first download). */
const lazySearch: SearchRun = async (db, owner, query, opts) => {
  store ??= import('../../store/search-query.js');
  return (await store).searchMessages(db, owner, query, opts);
};

/** Why a search failed, in words. */
function failure(e: unknown): string {
  const why = e instanceof Error && e.message ? e.message : String(e);
  return `Search failed: ${why.slice(0, 200)}`;
}

/** Searches the account's history for its host; see the module comment. */
export class SearchController implements ReactiveController {
  /** The account searched; changing it drops what was found. */
  source: SearchSource | undefined;
  /** The current room, searched when the scope is `room`. */
  room = '';
  /** The messages found for {@link query}, as the index orders them; at most {@link SEARCH_LIMIT}. */
  results: SearchHit[] = [];
  /** More messages match than {@link results} holds. */
  more = false;
  /** A query is waiting or running whose answer is not shown yet. */
  busy = false;
  /** {@link busy} for longer than {@link SLOW_MS}. */
  slow = false;
  /** Why the last search failed, in words; undefined when it did not. */
  error: string | undefined;
  /** The query {@link results} answer ('' when nothing was searched). */
  query = '';
  /** The scope {@link results} answer. */
  scope: SearchScope = 'room';

  private waiting: { query: string; scope: SearchScope } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStart = -Infinity;
  /** The number of the newest query started (or cleared); answers are numbered alike. */
  private asked = 0;
  /** The number of the query whose answer is shown; older answers are dropped. */
  private shown = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly run: SearchRun = lazySearch,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A host taken out of the page stops searching; late answers are dropped. */
  hostDisconnected(): void {
    this.clear();
  }

  /**
   * Looks for `query` in `scope`. Blank, it clears. Calls in quick succession are gathered:
   * only the newest query waiting when its turn comes is started.
   */
  search(query: string, scope: SearchScope): void {
    const q = query.slice(0, QUERY_MAX);
    if (!q.trim()) {
      this.clear();
      return;
    }
    this.waiting = { query: q, scope };
    this.setBusy(true);
    if (this.timer === undefined) {
      const wait = Math.max(0, this.lastStart + SEARCH_GAP_MS - performance.now());
      this.timer = setTimeout(() => void this.start(), wait);
    }
    this.host.requestUpdate();
  }

  /** Forgets the query and its results; answers still on their way are dropped. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
    this.asked++;
    this.shown = this.asked;
    this.results = [];
    this.more = false;
    this.error = undefined;
    this.query = '';
    this.setBusy(false);
    this.host.requestUpdate();
  }

  private async start(): Promise<void> {
    this.timer = undefined;
    const want = this.waiting;
    this.waiting = undefined;
    if (!want) return;
    const seq = ++this.asked;
    this.lastStart = performance.now();
    const source = this.source;
    const room = want.scope === 'room' ? this.room : undefined;
    try {
      if (!source) throw new Error('nobody is logged in');
      if (want.scope === 'room' && !room) throw new Error('no room is open');
      const db = await source.db;
      const { hits, more } = await this.run(db, source.owner, want.query, {
        ...(room !== undefined ? { room } : {}),
        limit: SEARCH_LIMIT,
      });
      this.answer(seq, want, hits.slice(0, SEARCH_LIMIT), more || hits.length > SEARCH_LIMIT);
    } catch (e) {
      this.answer(seq, want, [], false, failure(e));
    }
  }

  private answer(
    seq: number,
    want: { query: string; scope: SearchScope },
    hits: SearchHit[],
    more: boolean,
    error?: string,
  ): void {
    if (seq <= this.shown) return;
    this.shown = seq;
    this.results = hits;
    this.more = more;
    this.error = error;
    this.query = want.query;
    this.scope = want.scope;
    this.setBusy(this.waiting !== undefined || this.shown < this.asked);
    this.host.requestUpdate();
  }

  private setBusy(busy: boolean): void {
    if (busy && !this.busy) {
      this.slowTimer = setTimeout(() => {
        this.slow = true;
        this.host.requestUpdate();
      }, SLOW_MS);
    }
    if (!busy) {
      clearTimeout(this.slowTimer);
      this.slow = false;
    }
    this.busy = busy;
  }
}
