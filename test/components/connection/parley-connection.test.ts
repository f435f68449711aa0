/**
 * Connection details in `<parley-chat>` over the memory transport: opened from the header and
 * from Settings, it lists each member with how they are reached and a measured round trip,
 * "Test STUN/TURN" ends in words (not a spinner), "Copy report" holds no message, the focus
 * comes and goes like the Settings panel's, axe finds nothing, and it fits a phone.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import {
  chatDbs,
  connected,
  mountChat,
  register,
  shadow,
  shownMessages,
  typeAndEnter,
} from '../chat/chat-helpers.js';

/** The element that has the keyboard focus, inside shadow roots too. */
function deepActive(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

const panelOf = (chat: ParleyChat) => shadow(chat).querySelector('parley-connection')!;
const inPanel = (chat: ParleyChat, selector: string) =>
  shadow(panelOf(chat)).querySelector<HTMLElement>(selector)!;
/** A button by its accessible name (its label, else its text). */
const button = (root: ShadowRoot, name: string) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
  )!;
const isOpen = (chat: ParleyChat) =>
  !!panelOf(chat) && inPanel(chat, 'dialog')?.hasAttribute('open');
/** Each member as the panel shows them: name, how reached, round trip. */
const members = (chat: ParleyChat) =>
  [...shadow(panelOf(chat)).querySelectorAll('.member')].map((li) => ({
    name: li.querySelector('.name')!.textContent!.trim(),
    how: li.querySelector('.how')!.textContent!.trim(),
    rtt: li.querySelector('.rtt')!.textContent!.trim(),
  }));

describe('Connection details', function () {
  this.timeout(30000);
  const newDb = chatDbs();

  /** Alice's and Bob's chats in one room, both logged in. */
  async function twoChats(theme = 'light') {
    const hub = new MemoryHub();
    const alice = await mountChat(hub, newDb());
    alice.setAttribute('theme', theme);
    await register(alice, 'Alice');
    const bob = await mountChat(hub, newDb());
    await register(bob, 'Bob');
    await connected(alice);
    await connected(bob);
    await waitUntil(() => shadow(alice).textContent?.includes('2 here'), 'Bob listed');
    return { alice, bob };
  }

  it('opens from the header, shows Bob with a measured round trip, and gives the focus back', async () => {
    const { alice } = await twoChats();
    const opener = button(shadow(alice), 'Connection details');
    opener.focus();
    opener.click();
    await waitUntil(() => isOpen(alice), 'the panel did not open');
    expect(deepActive()?.textContent).to.equal('Connection details');
    await waitUntil(() => /^\d+ ms$/.test(members(alice)[0]?.rtt ?? ''), 'no round trip', {
      timeout: 10000,
    });
    expect(members(alice)).to.have.length(1);
    expect(members(alice)[0]!.name).to.equal('Bob');
    expect(members(alice)[0]!.how).to.equal('in this page');
    await expect(alice).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !isOpen(alice), 'Escape did not close it');
    expect(deepActive()).to.equal(opener);
  });

  it('passes axe in the dark theme', async () => {
    const { alice } = await twoChats('dark');
    button(shadow(alice), 'Connection details').click();
    await waitUntil(() => isOpen(alice));
    await waitUntil(() => /^\d+ ms$/.test(members(alice)[0]?.rtt ?? ''), 'no round trip');
    await expect(alice).to.be.accessible();
  });

  it('opens from Settings and closes back to it', async () => {
    const { alice } = await twoChats();
    button(shadow(alice), 'Settings').click();
    const settings = shadow(alice).querySelector('parley-settings')!;
    await waitUntil(() => shadow(settings).querySelector('dialog')?.hasAttribute('open'));
    const opener = button(shadow(settings), 'Connection details');
    opener.focus();
    opener.click();
    await waitUntil(() => isOpen(alice), 'the panel did not open from Settings');
    button(shadow(panelOf(alice)), 'Close').click();
    await waitUntil(() => !isOpen(alice), 'Close did not close it');
    expect(deepActive()).to.equal(opener);
  });

  it('"Test STUN/TURN" ends with its result in words', async () => {
    const { alice } = await twoChats();
    button(shadow(alice), 'Connection details').click();
    await waitUntil(() => isOpen(alice));
    button(shadow(panelOf(alice)), 'Test STUN/TURN').click();
    const result = () => inPanel(alice, '[part=result]').textContent!.trim();
    await waitUntil(() => result().startsWith('Testing'), 'no progress shown');
    await waitUntil(() => result() !== '' && !result().startsWith('Testing'), 'no result', {
      timeout: 10000,
    });
    expect(result()).to.match(/direct links/);
    expect(result()).to.match(/server/);
  });

  it('"Copy report" copies who is reached how, and no message', async () => {
    const { alice } = await twoChats();
    await typeAndEnter(alice, 'the secret plan');
    await waitUntil(() => shownMessages(alice).length === 1);
    const copied: string[] = [];
    const clipboard = navigator.clipboard;
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void copied.push(text) },
    });
    try {
      button(shadow(alice), 'Connection details').click();
      await waitUntil(() => isOpen(alice));
      button(shadow(panelOf(alice)), 'Copy report').click();
      await waitUntil(() => copied.length === 1, 'nothing copied');
    } finally {
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: clipboard });
    }
    expect(copied[0]).to.match(/- Bob: in this page, round trip/);
    expect(copied[0]).to.match(/Refused messages: malformed 0/);
    expect(copied[0]).not.to.include('secret plan');
    await waitUntil(() => shadow(panelOf(alice)).textContent?.includes('Copied.'));
  });

  it('fits a phone (390 × 844)', async () => {
    await setViewport({ width: 390, height: 844 });
    try {
      const { alice } = await twoChats();
      alice.style.width = '390px';
      alice.style.height = '844px';
      button(shadow(alice), 'Connection details').click();
      await waitUntil(() => isOpen(alice));
      const dialog = inPanel(alice, 'dialog');
      const body = inPanel(alice, '.body');
      const box = alice.getBoundingClientRect();
      expect(dialog.getBoundingClientRect().left).to.be.at.least(box.left);
      expect(dialog.getBoundingClientRect().right).to.be.at.most(box.right);
      expect(body.scrollWidth).to.be.at.most(body.clientWidth);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

describe('<parley-connection> as a modal dialog', () => {
  it('stays closed after Escape when it updates before the close event', async () => {
    const { ParleyConnection } =
      await import('../../../src/components/connection/parley-connection.js');
    if (!customElements.get('parley-connection'))
      customElements.define('parley-connection', ParleyConnection);
    const panel = await fixture<InstanceType<typeof ParleyConnection>>(
      html`<parley-connection open></parley-connection>`,
    );
    const dialog = panel.shadowRoot!.querySelector('dialog')!;
    await waitUntil(() => dialog.open, 'the panel did not open');
    // Escape closes the dialog at once and fires `close` a task later; a change in between
    // (a round trip measured, a report made) updates the panel.
    const watch = new MutationObserver(() => (panel.copyText = 'report'));
    watch.observe(dialog, { attributeFilter: ['open'] });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !panel.open, 'Escape did not close it');
    await panel.updateComplete;
    watch.disconnect();
    expect(dialog.open).to.equal(false);
  });
});
