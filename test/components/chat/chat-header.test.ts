/**
 * The chat's top bar and login box as a site and a phone see them: the site's own greeting, an
 * encrypted room's lock and words, and a room's title never cut on a phone (390 × 844).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { chatDbs, loginOf, memoryFactory, register, shadow } from './chat-helpers.js';

/** A chat that picks its room from the address, with its room list, as a page of its own. */
async function pageChat(db: string, style: string, greeting?: string) {
  location.hash = '#room=lobby';
  return fixture<ParleyChat>(
    html`<parley-chat
      style=${style}
      db-name=${db}
      transport="memory"
      greeting=${greeting ?? ''}
      .transportFactory=${memoryFactory(new MemoryHub())}
    ></parley-chat>`,
  );
}

/** Makes a private room titled `title` through the top bar's form (opening the menu if narrow). */
async function createRoom(chat: ParleyChat, title: string) {
  await customElements.whenDefined('parley-new-room');
  const menu = shadow(chat).querySelector<HTMLButtonElement>('[part~="menu-button"]')!;
  if (getComputedStyle(menu).display !== 'none') menu.click();
  await chat.updateComplete;
  const form = shadow(chat).querySelector('parley-new-room')!;
  await form.updateComplete;
  const input = shadow(form).querySelector<HTMLInputElement>('input[name=room]')!;
  input.value = title;
  input.form!.requestSubmit();
  await waitUntil(
    () => shadow(chat).querySelector('h1')!.textContent!.includes(title),
    `${title} on screen`,
    { timeout: 5000 },
  );
  await waitUntil(() => shadow(chat).querySelector('[part~="encrypted"]'), 'the lock', {
    timeout: 5000,
  });
}

/** Whether every character of the element's text is drawn inside its box (nothing cut). */
function wholeText(el: Element): boolean {
  const range = document.createRange();
  range.selectNodeContents(el);
  const box = el.getBoundingClientRect();
  const text = range.getBoundingClientRect();
  return (
    el.scrollWidth <= el.clientWidth &&
    text.left >= box.left - 1 &&
    text.right <= box.right + 1 &&
    text.bottom <= box.bottom + 1
  );
}

describe('<parley-chat> top bar and greeting', function () {
  this.timeout(20000);
  const newDb = chatDbs();
  afterEach(() => history.replaceState(null, '', location.pathname));

  it("greets with the site's words, or 'Welcome to Parley'", async () => {
    const chat = await pageChat(newDb(), 'height: 500px; width: 700px', 'Talk to Acme support');
    await customElements.whenDefined('parley-login');
    const login = loginOf(chat);
    await login.updateComplete;
    expect(shadow(login).querySelector('h2')!.textContent!.trim()).to.equal('Talk to Acme support');
    const plain = await pageChat(newDb(), 'height: 500px; width: 700px');
    await loginOf(plain).updateComplete;
    expect(shadow(loginOf(plain)).querySelector('h2')!.textContent!.trim()).to.equal(
      'Welcome to Parley',
    );
  });

  it('shows a lock and "End-to-end encrypted" by an encrypted room\'s title', async () => {
    const chat = await pageChat(newDb(), 'height: 600px; width: 1100px');
    await register(chat, 'Ann');
    expect(shadow(chat).querySelector('[part~="encrypted"]'), 'lobby is public').to.equal(null);
    await createRoom(chat, 'Design Team');
    const lock = shadow(chat).querySelector<HTMLElement>('[part~="encrypted"]')!;
    expect(lock.getAttribute('role')).to.equal('img');
    expect(lock.getAttribute('aria-label')).to.equal('End-to-end encrypted');
    expect(lock.textContent).to.contain('End-to-end encrypted');
    expect(lock.querySelector('.e2e-words')!.getBoundingClientRect().width).to.be.above(0);
  });

  it("keeps a room's whole title on a phone (390 × 844), with the lock beside it", async () => {
    const size = { width: window.innerWidth, height: window.innerHeight };
    await setViewport({ width: 390, height: 844 });
    try {
      const chat = await pageChat(newDb(), 'height: 844px; width: 390px');
      await register(chat, 'Ann');
      await createRoom(chat, 'Design Team');
      const h1 = shadow(chat).querySelector('h1')!;
      expect(h1.textContent!.replace(/\s+/g, '')).to.equal('#DesignTeam');
      expect(wholeText(h1), `"${h1.textContent}" is cut`).to.equal(true);
      // The lock alone, still named for screen readers; the bar stays inside the phone's width.
      const lock = shadow(chat).querySelector<HTMLElement>('[part~="encrypted"]')!;
      expect(lock.getAttribute('aria-label')).to.equal('End-to-end encrypted');
      expect(lock.getBoundingClientRect().width).to.be.above(0);
      expect(getComputedStyle(lock.querySelector('.e2e-words')!).display).to.equal('none');
      const header = shadow(chat).querySelector('header')!;
      expect(header.scrollWidth).to.be.at.most(header.clientWidth);
      // A longer title wraps rather than being cut.
      await createRoom(chat, 'Design Team Quarterly Planning');
      expect(wholeText(shadow(chat).querySelector('h1')!)).to.equal(true);
    } finally {
      await setViewport(size);
    }
  });
});
