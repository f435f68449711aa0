/**
 * The search door in a host like `<parley-chat>`: the panel's chunk loads on the first open,
 * the keyboard goes to the "Search" field and comes back to the button on close, a chosen
 * result reaches the host, and a closed panel keeps its query.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { SearchDoor } from '../../../src/components/search/search-door.js';
import type { JumpDetail } from '../../../src/components/search/parley-search.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { freshDb } from '../../support/db.js';
import { seed } from './search-seed.js';

const OWNER = 'owner-1';

/** A stand-in for the chat: a header button and the panel the door renders. */
class DoorHost extends LitElement {
  readonly door = new SearchDoor(this);
  db: ParleyDb | undefined;
  jumps: JumpDetail[] = [];

  override render() {
    return html`<button @click=${() => this.door.toggle()}>Search</button> ${this.door.render({
        source: this.db && { db: Promise.resolve(this.db), owner: OWNER },
        room: 'lobby',
        roomTitle: 'Lobby',
        rooms: true,
        titleOf: (r) => r.toUpperCase(),
        onJump: (j) => this.jumps.push(j),
      })}`;
  }
}
customElements.define('search-door-host', DoorHost);

const deepActive = () => {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
};

describe('SearchDoor', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ db, drop } = await freshDb());
    await seed(db, OWNER, [{ id: 'm1', room: 'lobby', text: 'the minutes of Monday' }]);
  });
  afterEach(() => drop());

  it('opens the panel with the keyboard in "Search", jumps, and closes back to the button', async () => {
    const host = await fixture<DoorHost>(html`<search-door-host .db=${db}></search-door-host>`);
    const button = host.shadowRoot!.querySelector('button')!;
    expect(host.shadowRoot!.querySelector('parley-search'), 'nothing before it opens').to.equal(
      null,
    );
    button.focus();
    button.click();
    await waitUntil(
      () => deepActive()?.getAttribute('aria-label') === 'Search',
      'the field did not take the keyboard',
    );
    const panel = host.shadowRoot!.querySelector('parley-search')!;
    expect(panel.hidden).to.equal(false);
    expect(getComputedStyle(panel).display).to.equal('flex');
    expect(panel.getAttribute('exportparts')).to.contain('search-field');

    await sendKeys({ type: 'minu' });
    const hit = () => panel.shadowRoot!.querySelector<HTMLButtonElement>('.hit');
    await waitUntil(() => hit(), 'no result');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    expect(host.jumps).to.deep.equal([{ id: 'm1', room: 'lobby' }]);

    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => panel.hidden, 'the panel stayed open');
    expect(getComputedStyle(panel).display).to.equal('none');
    expect(deepActive()).to.equal(button);

    // Opened again, it is the same panel, empty (Escape emptied it) and focused.
    button.click();
    await waitUntil(() => !panel.hidden && deepActive()?.getAttribute('aria-label') === 'Search');
    expect(host.shadowRoot!.querySelectorAll('parley-search')).to.have.length(1);
    button.click();
    await waitUntil(() => panel.hidden);
  });
});
