/**
 * `<parley-search>` over a real index in IndexedDB: results while typing, the status line,
 * marks built as text (hostile text stays text), long texts cut, the scope, the keyboard path
 * (field → results → field, Enter jumps, Escape clears then closes), and axe in both themes.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/search/search-define.js';
import type { ParleySearch } from '../../../src/components/search/parley-search.js';
import { SEARCH_PARTS } from '../../../src/components/search/parley-search.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { freshDb } from '../../support/db.js';
import { seed, T0 } from './search-seed.js';

const OWNER = 'owner-1';
const HOSTILE =
  '<img src=x onerror="window.__searchPwned=1"> alpha <b>bold</b> <script>x()</script>';
const TITLES: Record<string, string> = { lobby: 'Lobby', garden: 'Garden' };

const root = (el: ParleySearch) => el.shadowRoot!;
const fieldOf = (el: ParleySearch) =>
  root(el).querySelector('input[type=search]') as HTMLInputElement;
const statusOf = (el: ParleySearch) => root(el).querySelector('[role=status]')!.textContent!.trim();
const hits = (el: ParleySearch) => [...root(el).querySelectorAll<HTMLButtonElement>('.hit')];
const active = (el: ParleySearch) => root(el).activeElement;
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<parley-search>', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    ({ db, drop } = await freshDb());
    await seed(db, OWNER, [
      { id: 'm1', room: 'lobby', text: 'Alpha bravo' },
      { id: 'm2', room: 'lobby', text: 'bravo charlie', from: { id: 'bob-id', name: 'Bob' } },
      { id: 'm3', room: 'garden', text: 'alpha in the garden' },
      { id: 'm4', room: 'lobby', text: HOSTILE },
      {
        id: 'm5',
        room: 'lobby',
        text: `${'long words before the match '.repeat(12)}zulu${' and after it'.repeat(30)}`,
      },
    ]);
  });
  afterEach(() => drop());

  async function mount(rooms = true): Promise<ParleySearch> {
    const el = await fixture<ParleySearch>(
      html`<parley-search
        style="height: 480px"
        .source=${{ db: Promise.resolve(db), owner: OWNER }}
        room="lobby"
        room-title="Lobby"
        ?rooms=${rooms}
        .titleOf=${(r: string) => TITLES[r] ?? r}
      ></parley-search>`,
    );
    el.focus();
    await waitUntil(() => active(el) === fieldOf(el), 'the field has no focus');
    return el;
  }

  async function typeIn(el: ParleySearch, words: string, status: string) {
    await sendKeys({ type: words });
    await waitUntil(() => statusOf(el) === status, `status never "${status}"`, { timeout: 5000 });
  }

  it('is a field named "Search" that takes the focus, with the parts it lists', async () => {
    const el = await mount();
    const field = fieldOf(el);
    expect(field.getAttribute('aria-label')).to.equal('Search');
    expect(field.placeholder).to.equal('Search #Lobby');
    expect(statusOf(el)).to.equal('');
    expect(text(root(el).querySelector('[part~="search-hint"]'))).to.match(/any case/);
    const close = root(el).querySelector('button.close')!;
    expect(close.getAttribute('aria-label')).to.equal('Close search');
    const parts = SEARCH_PARTS.split(', ');
    for (const p of ['search-field', 'search-close', 'search-status', 'search-scope'])
      expect(root(el).querySelector(`[part~="${p}"]`), p).to.exist;
    expect(parts).to.include.members(['search-result', 'search-mark', 'search-excerpt']);
  });

  it('shows results while typing: newest first, author, time and the words marked', async () => {
    const el = await mount();
    await typeIn(el, 'bra', '2 results');
    expect(root(el).querySelector('[part~="search-hint"]'), 'no hint once typing').to.equal(null);
    expect(hits(el).map((b) => text(b.querySelector('.text')))).to.deep.equal([
      'bravo charlie',
      'Alpha bravo',
    ]);
    const [first] = hits(el);
    expect(text(first!.querySelector('[part~="search-author"]'))).to.equal('Bob');
    expect(first!.querySelector('[part~="search-room"]'), 'no room in one room').to.equal(null);
    expect(first!.querySelector('time')!.getAttribute('datetime')).to.equal(
      new Date(T0 + 60_000).toISOString(),
    );
    expect([...first!.querySelectorAll('mark')].map((m) => m.textContent)).to.deep.equal(['bravo']);
    await typeIn(el, 'vo c', '1 result');
    expect(text(hits(el)[0]!.querySelector('.text'))).to.equal('bravo charlie');
    expect([...hits(el)[0]!.querySelectorAll('mark')].map((m) => m.textContent)).to.deep.equal([
      'bravo',
      'charlie',
    ]);
    await typeIn(el, 'xyz', 'No messages match “bravo cxyz”');
    expect(hits(el)).to.have.length(0);
  });

  it('says "Searching…" while a search is slow, and "50+ results" when more match', async () => {
    await seed(
      db,
      OWNER,
      Array.from({ length: 55 }, (_, i) => ({ id: `d${i}`, room: 'lobby', text: `delta ${i}` })),
    );
    const el = await mount();
    // The database answers late (a busy disk): the status says so after a moment.
    el.source = { db: new Promise((r) => setTimeout(() => r(db), 1500)), owner: OWNER };
    await sendKeys({ type: 'delta' });
    await waitUntil(() => statusOf(el) === 'Searching…', 'never "Searching…"', { timeout: 1400 });
    await waitUntil(() => statusOf(el) === '50+ results', 'no results', { timeout: 5000 });
    expect(hits(el)).to.have.length(50);
    expect(text(root(el).querySelector('[part~="search-more"]'))).to.equal(
      'More messages match: add a word to narrow it.',
    );
  });

  it('searches again when it is put back in the page', async () => {
    const el = await mount();
    await typeIn(el, 'bravo', '2 results');
    const parent = el.parentNode!;
    el.remove();
    await el.updateComplete;
    expect(hits(el), 'forgotten when taken out').to.have.length(0);
    parent.append(el);
    await waitUntil(() => statusOf(el) === '2 results' && hits(el).length === 2, 'not searched');
  });

  it('shows hostile text as text: no element comes from a message', async () => {
    const el = await mount();
    await typeIn(el, 'onerror', '1 result');
    const excerpt = hits(el)[0]!.querySelector('.text')!;
    expect(excerpt.textContent).to.equal(HOSTILE);
    expect([...excerpt.children].map((c) => c.localName)).to.deep.equal(['mark']);
    expect(excerpt.querySelector('mark')!.textContent).to.equal('onerror');
    expect(root(el).querySelector('img, b, script')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect((window as { __searchPwned?: number }).__searchPwned).to.equal(undefined);
  });

  it('cuts a long text around the match with "…"', async () => {
    const el = await mount();
    await typeIn(el, 'zulu', '1 result');
    const shown = hits(el)[0]!.querySelector('.text')!.textContent!;
    expect(shown.startsWith('…')).to.equal(true);
    expect(shown.endsWith('…')).to.equal(true);
    expect(shown.length).to.be.below(180);
    expect(hits(el)[0]!.querySelector('mark')!.textContent).to.equal('zulu');
  });

  it('searches all rooms when asked, naming each result’s room', async () => {
    const el = await mount();
    await typeIn(el, 'alpha', '2 results');
    const all = root(el).querySelector<HTMLInputElement>('input[type=radio][value=all]')!;
    expect(text(all.closest('label'))).to.equal('All rooms');
    all.click();
    await waitUntil(() => statusOf(el) === '3 results', 'all rooms not searched');
    expect(fieldOf(el).placeholder).to.equal('Search all rooms');
    expect(hits(el).map((b) => text(b.querySelector('[part~="search-room"]')))).to.deep.equal([
      'in #Lobby',
      'in #Garden',
      'in #Lobby',
    ]);
    root(el).querySelector<HTMLInputElement>('input[type=radio][value=room]')!.click();
    await waitUntil(() => statusOf(el) === '2 results', 'back to one room');
  });

  it('offers no scope with one room, and searches the new room when the room changes', async () => {
    const el = await mount(false);
    expect(root(el).querySelector('[role=radiogroup]')).to.equal(null);
    await typeIn(el, 'alpha bra', '1 result');
    expect(text(hits(el)[0]!.querySelector('.text'))).to.equal('Alpha bravo');
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await waitUntil(() => statusOf(el) === '2 results', 'alpha in the lobby');
    el.room = 'garden';
    el.roomTitle = 'Garden';
    await waitUntil(() => statusOf(el) === '1 result', 'the new room was not searched');
    expect(text(hits(el)[0]!.querySelector('.text'))).to.equal('alpha in the garden');
    expect(fieldOf(el).placeholder).to.equal('Search #Garden');
  });

  it('walks from the field into the results and back with the arrows; Enter jumps', async () => {
    const el = await mount();
    const jumps: Array<{ id: string; room: string }> = [];
    el.addEventListener('parley-jump', (e) => jumps.push((e as CustomEvent).detail));
    await typeIn(el, 'bravo', '2 results');
    const [a, b] = hits(el);
    expect([a!.tabIndex, b!.tabIndex], 'one result in the tab order').to.deep.equal([0, -1]);
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => active(el) === a, 'ArrowDown did not reach the first result');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => active(el) === b, 'ArrowDown did not reach the second result');
    expect(b!.tabIndex).to.equal(0);
    await sendKeys({ press: 'ArrowDown' });
    expect(active(el), 'the last one stays').to.equal(b);
    await sendKeys({ press: 'Enter' });
    expect(jumps).to.deep.equal([{ id: 'm1', room: 'lobby' }]);
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => active(el) === a);
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => active(el) === fieldOf(el), 'ArrowUp did not go back to the field');
    a!.click();
    expect(jumps.at(-1)).to.deep.equal({ id: 'm2', room: 'lobby' });
  });

  it('Escape empties the field, then closes; "Close search" closes, "Clear search" empties', async () => {
    const el = await mount();
    let closes = 0;
    el.addEventListener('parley-search-close', () => closes++);
    await typeIn(el, 'bravo', '2 results');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => hits(el).length === 0, 'results stayed');
    expect([fieldOf(el).value, statusOf(el), closes]).to.deep.equal(['', '', 0]);
    await sendKeys({ press: 'Escape' });
    expect(closes).to.equal(1);
    root(el).querySelector<HTMLButtonElement>('button.close')!.click();
    expect(closes).to.equal(2);
    // The field's own "Clear search" empties it and keeps the keyboard there.
    expect(root(el).querySelector('[aria-label="Clear search"]'), 'only with text').to.equal(null);
    await typeIn(el, 'bravo', '2 results');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => active(el) === hits(el)[0]);
    root(el).querySelector<HTMLButtonElement>('[aria-label="Clear search"]')!.click();
    await waitUntil(() => hits(el).length === 0, 'results stayed');
    expect([fieldOf(el).value, statusOf(el), closes]).to.deep.equal(['', '', 2]);
    expect(active(el)).to.equal(fieldOf(el));
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe with results, in the ${theme} theme`, async () => {
      document.documentElement.style.colorScheme = theme;
      try {
        const el = await mount();
        await typeIn(el, 'alpha', '2 results');
        root(el).querySelector<HTMLInputElement>('input[type=radio][value=all]')!.click();
        await waitUntil(() => statusOf(el) === '3 results');
        await expect(el).to.be.accessible();
        const mark = root(el).querySelector('mark')!;
        expect(getComputedStyle(mark).color).to.equal(getComputedStyle(mark.parentElement!).color);
      } finally {
        document.documentElement.style.colorScheme = '';
      }
    });
  }
});
