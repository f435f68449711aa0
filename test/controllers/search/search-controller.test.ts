/**
 * The search controller over a real index in IndexedDB: the newest query wins however late an
 * older answer comes, typing starts at most one query per gap, blanks and failures, scopes.
 */
import { expect, waitUntil } from '@open-wc/testing';
import {
  SEARCH_GAP_MS,
  SEARCH_LIMIT,
  SLOW_MS,
  SearchController,
  type SearchRun,
} from '../../../src/controllers/search/search-controller.js';
import { searchMessages } from '../../../src/store/search-query.js';
import { freshDb } from '../../support/db.js';
import { BareHost } from '../../support/bare-host.js';
import { seed } from '../../components/search/search-seed.js';
import type { ParleyDb } from '../../../src/store/db.js';

const OWNER = 'owner-1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SearchController', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  /** Every query the index was asked, in order. */
  let asked: Array<{ query: string; room: string | undefined }>;
  /** How long each query waits before asking the index (by query text). */
  let delays: Map<string, number>;
  let run: SearchRun;

  beforeEach(async () => {
    ({ db, drop } = await freshDb());
    await seed(db, OWNER, [
      { id: 'm1', room: 'lobby', text: 'alpha bravo' },
      { id: 'm2', room: 'lobby', text: 'bravo charlie' },
      { id: 'm3', room: 'garden', text: 'alpha in the garden' },
    ]);
    asked = [];
    delays = new Map();
    run = async (d, owner, query, opts) => {
      asked.push({ query, room: opts.room });
      await sleep(delays.get(query) ?? 0);
      return searchMessages(d, owner, query, opts);
    };
  });
  afterEach(() => drop());

  function controller(): SearchController {
    const c = new SearchController(new BareHost(), run);
    c.source = { db: Promise.resolve(db), owner: OWNER };
    c.room = 'lobby';
    return c;
  }
  const ids = (c: SearchController) => c.results.map((h) => h.id);

  it('finds in the current room, or in all rooms, with marks on the words found', async () => {
    const c = controller();
    c.search('alp', 'room');
    await waitUntil(() => c.query === 'alp', 'no answer');
    expect(ids(c)).to.deep.equal(['m1']);
    expect(c.results[0]!.marks).to.deep.equal([[0, 5]]);
    expect(asked).to.deep.equal([{ query: 'alp', room: 'lobby' }]);
    expect(c.busy).to.equal(false);

    c.search('alp', 'all');
    await waitUntil(() => c.scope === 'all', 'no answer');
    expect(ids(c)).to.deep.equal(['m3', 'm1']);
    expect(asked[1]).to.deep.equal({ query: 'alp', room: undefined });
  });

  it('keeps the newest answer when an older, slow query answers after it', async () => {
    const c = controller();
    delays.set('alpha', 400);
    c.search('alpha', 'all');
    await waitUntil(() => asked.length === 1, 'first query not started');
    c.search('bravo', 'all');
    await waitUntil(() => c.query === 'bravo', 'second answer not shown');
    expect(ids(c)).to.deep.equal(['m2', 'm1']);
    expect(c.busy, 'nothing newer is waiting').to.equal(false);
    // The slow answer to "alpha" arrives now and changes nothing.
    await sleep(500);
    expect(c.query).to.equal('bravo');
    expect(ids(c)).to.deep.equal(['m2', 'm1']);
  });

  it('shows an older answer while the newer one runs, then replaces it', async () => {
    const c = controller();
    delays.set('bravo', 300);
    c.search('alpha', 'all');
    await waitUntil(() => asked.length === 1);
    c.search('bravo', 'all');
    await waitUntil(() => c.query === 'alpha', 'first answer not shown');
    expect(c.busy, 'bravo still runs').to.equal(true);
    await waitUntil(() => c.query === 'bravo', 'second answer not shown');
    expect(ids(c)).to.deep.equal(['m2', 'm1']);
    expect(c.busy).to.equal(false);
  });

  it('starts one query for keystrokes in one task, and at most one per gap while typing', async () => {
    const c = controller();
    for (const q of ['b', 'br', 'bra', 'brav']) c.search(q, 'room');
    await waitUntil(() => c.query !== '', 'no answer');
    expect(asked.map((a) => a.query)).to.deep.equal(['brav']);

    asked.length = 0;
    const word = 'charlie bravo alpha';
    const started = performance.now();
    for (let i = 1; i <= word.length; i++) {
      c.search(word.slice(0, i), 'all');
      await sleep(5);
    }
    const typing = performance.now() - started;
    await waitUntil(() => c.query === word && !c.busy, 'last query not answered');
    // Timers are late, never early: no more than one start per gap, plus the first.
    expect(asked.length).to.be.at.most(Math.floor(typing / SEARCH_GAP_MS) + 2);
    expect(asked.length).to.be.below(word.length);
    expect(asked.at(-1)!.query, 'the last thing typed always runs').to.equal(word);
    expect(ids(c)).to.deep.equal([]);
  });

  it('clears on a blank query and drops the answers still on their way', async () => {
    const c = controller();
    c.search('bravo', 'room');
    await waitUntil(() => c.results.length === 2);
    delays.set('alpha', 200);
    c.search('alpha', 'room');
    await waitUntil(() => asked.length === 2);
    c.search('   ', 'room');
    expect(c.results).to.deep.equal([]);
    expect([c.query, c.busy, c.more]).to.deep.equal(['', false, false]);
    await sleep(300);
    expect(c.results, 'the late answer to "alpha" is dropped').to.deep.equal([]);
    expect(c.query).to.equal('');
  });

  it('says more match when there are more than it shows', async () => {
    const many = Array.from({ length: SEARCH_LIMIT + 5 }, (_, i) => ({
      id: `x${i}`,
      room: 'lobby',
      text: `delta number ${i}`,
    }));
    await seed(db, OWNER, many);
    const c = controller();
    c.search('delta', 'room');
    await waitUntil(() => c.query === 'delta');
    expect(c.results.length).to.equal(SEARCH_LIMIT);
    expect(c.more).to.equal(true);
    // Newest first.
    expect(c.results[0]!.id).to.equal(`x${SEARCH_LIMIT + 4}`);
  });

  it('says in words why a search failed, and that nobody is logged in', async () => {
    const c = new SearchController(new BareHost(), async () => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });
    c.room = 'lobby';
    c.search('alpha', 'room');
    await waitUntil(() => c.error !== undefined);
    expect(c.error).to.equal('Search failed: nobody is logged in');
    c.source = { db: Promise.resolve(db), owner: OWNER };
    c.search('alpha', 'room');
    await waitUntil(() => c.error?.includes('closing'), 'no failure');
    expect(c.error).to.equal('Search failed: The database connection is closing.');
    expect([c.busy, c.results.length]).to.deep.equal([false, 0]);
  });

  it(`turns slow after ${SLOW_MS} ms without an answer`, async () => {
    const c = controller();
    delays.set('alpha', SLOW_MS + 300);
    c.search('alpha', 'room');
    await sleep(SLOW_MS / 2);
    expect([c.busy, c.slow]).to.deep.equal([true, false]);
    await waitUntil(() => c.slow, 'never slow', { timeout: SLOW_MS * 3 });
    await waitUntil(() => c.query === 'alpha', 'no answer');
    expect([c.busy, c.slow]).to.deep.equal([false, false]);
  });

  it('starts the query module only when asked (the default run loads it lazily)', async () => {
    const c = new SearchController(new BareHost());
    c.source = { db: Promise.resolve(db), owner: OWNER };
    c.room = 'garden';
    c.search('garden', 'room');
    await waitUntil(() => c.query === 'garden', 'no answer');
    expect(ids(c)).to.deep.equal(['m3']);
    expect(c.results[0]!.text.slice(...c.results[0]!.marks[0]!)).to.equal('garden');
  });
});
