/**
 * `<parley-chat launcher>`: the floating button, its unread badge, the panel it opens and
 * closes, where the focus goes, and the inline chat left as it was without the attribute.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { deepActive } from '../../../src/components/shared/focus.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import {
  chatDbs,
  connected,
  loginOf,
  memoryFactory,
  mountChat,
  register,
  shadow,
  typeAndEnter,
} from './chat-helpers.js';

/** Mounts a chat in launcher mode over `hub` and waits for its button. */
async function mountLauncher(
  hub: MemoryHub,
  dbName: string,
  { label, position }: { label?: string; position?: string } = {},
): Promise<ParleyChat> {
  const chat = await fixture<ParleyChat>(
    html`<parley-chat
      launcher
      launcher-label=${label ?? 'Chat'}
      launcher-position=${position ?? 'bottom-right'}
      room="desk"
      db-name=${dbName}
      transport="memory"
      .transportFactory=${memoryFactory(hub)}
    ></parley-chat>`,
  );
  await waitUntil(() => launcherOf(chat), 'the launcher never showed');
  return chat;
}

const launcherOf = (chat: ParleyChat) =>
  shadow(chat).querySelector<HTMLButtonElement>('[part~=launcher]');
const panelOf = (chat: ParleyChat) => shadow(chat).querySelector<HTMLElement>('[part~=panel]')!;
const closeOf = (chat: ParleyChat) =>
  shadow(chat).querySelector<HTMLButtonElement>('[part~=close-button]')!;
const badgeOf = (chat: ParleyChat) =>
  shadow(chat).querySelector('[part~=launcher-badge]')?.textContent?.trim();
/** Whether the panel is on show (its box takes room on the screen). */
const panelShown = (chat: ParleyChat) => panelOf(chat).getClientRects().length > 0;

describe('<parley-chat launcher>', function () {
  this.timeout(20000);
  const newDb = chatDbs();

  it('is a labelled button; it opens a named panel, and "Close chat" closes it', async () => {
    const chat = await mountLauncher(new MemoryHub(), newDb());
    const button = launcherOf(chat)!;
    expect(button.getAttribute('aria-label')).to.equal('Chat');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(panelShown(chat)).to.equal(false);
    expect(chat.launcherOpen).to.equal(false);

    await waitUntil(() => loginOf(chat).open, 'no login waiting');
    const opened = oneEvent(chat, 'parley-launcher-toggle');
    button.click();
    expect((await opened).detail).to.deep.equal({ open: true });
    expect(chat.hasAttribute('launcher-open')).to.equal(true);
    expect(panelShown(chat)).to.equal(true);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const panel = panelOf(chat);
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(
      shadow(chat).getElementById(panel.getAttribute('aria-labelledby')!)!.textContent,
    ).to.equal('Chat');
    // Logged out: the focus is in the login's first field.
    await waitUntil(() => deepActive()?.getAttribute('name') === 'name', 'focus not in the login');

    expect(closeOf(chat).getAttribute('aria-label')).to.equal('Close chat');
    const closed = oneEvent(chat, 'parley-launcher-toggle');
    closeOf(chat).click();
    expect((await closed).detail).to.deep.equal({ open: false });
    expect(chat.hasAttribute('launcher-open')).to.equal(false);
    expect(panelShown(chat)).to.equal(false);
    expect(deepActive()).to.equal(button, 'the focus went back to the launcher');
  });

  it('opens from the keyboard into the message box; Escape closes it back to the button', async () => {
    const chat = await mountLauncher(new MemoryHub(), newDb());
    chat.launcherOpen = true;
    await register(chat, 'Ann');
    chat.launcherOpen = false;
    await waitUntil(() => !panelShown(chat));
    launcherOf(chat)!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => panelShown(chat), 'Enter did not open the panel');
    const composer = shadow(chat).querySelector('parley-composer')!;
    await waitUntil(
      () => deepActive() === shadow(composer).querySelector('textarea'),
      'the focus is not in the message box',
    );
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !panelShown(chat), 'Escape did not close the panel');
    expect(chat.launcherOpen).to.equal(false);
    expect(deepActive()).to.equal(launcherOf(chat), 'the focus went back to the launcher');
  });

  it('counts what arrives while it is closed on a badge, and clears it when opened', async () => {
    const hub = new MemoryHub();
    const other = await mountChat(hub, newDb(), 'desk');
    const chat = await mountLauncher(hub, newDb());
    await register(other, 'Ben');
    chat.launcherOpen = true;
    await register(chat, 'Ann');
    await connected(chat);
    await typeAndEnter(other, 'seen while open');
    await waitUntil(() => shadow(chat).querySelector('parley-messages')!.messages.length === 1);
    expect(badgeOf(chat)).to.equal(undefined, 'nothing unread while the panel is open');

    chat.launcherOpen = false;
    await waitUntil(() => !panelShown(chat));
    await typeAndEnter(other, 'one');
    await typeAndEnter(other, 'two');
    await waitUntil(() => badgeOf(chat) === '2', 'no badge counting 2');
    expect(launcherOf(chat)!.getAttribute('aria-label')).to.equal('Chat, 2 unread');
    await expect(chat).to.be.accessible();

    launcherOf(chat)!.click();
    await waitUntil(() => badgeOf(chat) === undefined, 'the badge stayed after opening');
    expect(launcherOf(chat)!.getAttribute('aria-label')).to.equal('Chat');
    await expect(chat).to.be.accessible();
  });

  it('takes its label and corner from attributes', async () => {
    const hub = new MemoryHub();
    const right = await mountLauncher(hub, newDb());
    const left = await mountLauncher(hub, newDb(), { label: 'Help', position: 'bottom-left' });
    expect(launcherOf(left)!.getAttribute('aria-label')).to.equal('Help');
    expect(launcherOf(left)!.textContent!.trim()).to.equal('Help');
    const box = (chat: ParleyChat) => launcherOf(chat)!.getBoundingClientRect();
    expect(box(left).left).to.equal(20);
    expect(window.innerWidth - box(right).right).to.equal(20);
    // The panel opens in the same corner, above the button.
    left.launcherOpen = true;
    await waitUntil(() => panelShown(left));
    expect(panelOf(left).getBoundingClientRect().left).to.equal(20);
    expect(panelOf(left).getBoundingClientRect().bottom).to.be.at.most(box(left).top);
  });

  it('takes no room in the page, and is accessible closed and open', async () => {
    const chat = await mountLauncher(new MemoryHub(), newDb());
    expect(getComputedStyle(chat).display).to.equal('contents');
    await expect(chat).to.be.accessible();
    chat.launcherOpen = true;
    await waitUntil(() => loginOf(chat).open && panelShown(chat));
    await expect(chat).to.be.accessible();
  });

  it('leaves the chat inline, as before, without the attribute', async () => {
    const chat = await mountChat(new MemoryHub(), newDb());
    await chat.updateComplete;
    const root = shadow(chat);
    expect(root.querySelector('[part~=launcher], [part~=panel]')).to.equal(null);
    // Laid out in the element's own frame, not in a panel.
    const frame = root.querySelector('.frame');
    expect(frame?.parentNode).to.equal(root);
    expect(frame?.querySelector(':scope > header')).to.not.equal(null);
    expect(getComputedStyle(chat).display).to.equal('flex');
    expect(chat.getBoundingClientRect().height).to.equal(400);
    await waitUntil(() => loginOf(chat).open);
    // Opening is a launcher's business: the property does nothing inline.
    chat.launcherOpen = true;
    await chat.updateComplete;
    expect(root.querySelector('[part~=panel]')).to.equal(null);
  });
});
