import { expect, waitUntil } from '@open-wc/testing';
import { deepActive } from '../../../src/components/shared/focus.js';
import { openParleyDb } from '../../../src/store/db.js';
import { addMessage } from '../../../src/store/history.js';
import { MemoryHub, MemoryTransport } from '../../../src/transport/memory.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import type { EventsMap } from '../../../src/transport/types.js';
import { author, signedBy } from '../../support/envelopes.js';
import { stranger, typingOf } from '../../controllers/room-harness.js';
import { createIdentity } from '../../../src/protocol/identity.js';
import {
  connected,
  loginOf,
  mountChat,
  register,
  shadow,
  shownMessages,
  submitLogin,
  typeAndEnter,
  chatDbs,
} from './chat-helpers.js';

describe('<parley-chat> with the memory transport', function () {
  this.timeout(20000);
  const newDb = chatDbs();

  it('shows the login popup first, with named controls', async () => {
    const chat = await mountChat(new MemoryHub(), newDb());
    const login = loginOf(chat);
    await waitUntil(() => login.open);
    const root = shadow(login);
    expect(root.querySelector('dialog')!.open).to.equal(true);
    const labels = [...root.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels).to.deep.equal(['Username', 'Password']);
    const buttons = [...root.querySelectorAll('button')].map((b) => b.textContent!.trim());
    expect(buttons).to.have.members(['Log in', 'Create account']);
    // Escape must not dismiss it while nobody is logged in.
    root.querySelector('dialog')!.dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(root.querySelector('dialog')!.open).to.equal(true);
  });

  it('shows a clear message for a wrong password and for an unknown user', async () => {
    const db = newDb();
    const chat = await mountChat(new MemoryHub(), db);
    await register(chat, 'Alice');
    [...shadow(chat).querySelectorAll<HTMLButtonElement>('header button')]
      .find((b) => b.textContent?.trim() === 'Log out')!
      .click();
    await waitUntil(() => loginOf(chat).open, 'log out did not show the popup');
    await submitLogin(chat, 'Alice', 'not the password', 'login');
    const error = () => shadow(loginOf(chat)).querySelector('[role=alert]')?.textContent ?? '';
    await waitUntil(() => error() !== '', 'no error shown', { timeout: 5000 });
    expect(error()).to.contain('Wrong password');
    expect(loginOf(chat).open).to.equal(true);
    await submitLogin(chat, 'Zed', 'whatever123', 'login');
    await waitUntil(() => error().includes('No account'), 'unknown user not reported', {
      timeout: 5000,
    });
  });

  it('carries messages both ways, marks our own, and shows markup as text', async () => {
    const hub = new MemoryHub();
    const [a, b] = [await mountChat(hub, newDb()), await mountChat(hub, newDb())];
    await register(a, 'Alice');
    await register(b, 'Bob');
    await Promise.all([connected(a), connected(b)]);
    const xss = '<img src=x onerror="window.__pwned = true">';
    await typeAndEnter(a, xss);
    await waitUntil(() => shownMessages(b).length === 1, 'Bob did not get the message');
    const [atB] = shownMessages(b);
    expect(atB).to.include({ author: 'Alice', text: xss, own: false });
    expect(atB!.html).not.to.contain('<img');
    expect(shadow(b).querySelector('parley-messages')!.shadowRoot!.querySelector('img')).to.equal(
      null,
    );
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    await waitUntil(() => shownMessages(a)[0]?.status === 'sent', 'own message not marked sent');
    expect(shownMessages(a)[0]).to.include({ author: 'You', own: true });

    await typeAndEnter(b, 'hi Alice');
    await waitUntil(() => shownMessages(a).length === 2, 'Alice did not get the reply');
    expect(shownMessages(a)[1]).to.include({ author: 'Bob', text: 'hi Alice', own: false });
  });

  it('sends on Enter but not on Shift+Enter, and refuses blank messages', async () => {
    const chat = await mountChat(new MemoryHub(), newDb());
    await register(chat, 'Alice');
    await connected(chat);
    const field = await typeAndEnter(chat, 'line one', true);
    expect(field.value).to.equal('line one'); // Shift+Enter: not sent
    await typeAndEnter(chat, '   ');
    await typeAndEnter(chat, 'line one\nline two');
    await waitUntil(() => shownMessages(chat).length === 1);
    expect(shownMessages(chat)[0]!.text).to.equal('line one\nline two');
    expect(field.value).to.equal('');
  });

  it('keeps history and the session across a reload', async () => {
    const hub = new MemoryHub();
    const db = newDb();
    let chat = await mountChat(hub, db);
    await register(chat, 'Alice');
    await connected(chat);
    await typeAndEnter(chat, 'remember me');
    await waitUntil(() => shownMessages(chat)[0]?.status === 'sent');
    chat.remove();
    chat = await mountChat(hub, db);
    await waitUntil(() => shownMessages(chat).length === 1, 'history lost after reload', {
      timeout: 5000,
    });
    expect(loginOf(chat).open).to.equal(false);
    expect(shownMessages(chat)[0]).to.include({ text: 'remember me', own: true });
  });

  it('keeps messages written while offline and sends them when the link opens', async () => {
    const hub = new MemoryHub();
    const db = newDb();
    const chat = await mountChat(hub, db);
    // A transport that never opens stands for a dead server.
    chat.transportFactory = (async () => ({
      ...hub.transport(),
      kind: 'memory',
      state: 'offline',
      selfId: '',
      peers: new Map(),
      connect: () => new Promise<void>(() => {}),
      close: () => {},
      emit: () => {},
      emitTo: () => {},
      on: () => () => {},
    })) as never;
    await register(chat, 'Alice');
    await typeAndEnter(chat, 'written offline');
    await waitUntil(() => shownMessages(chat)[0]?.status === 'queued', 'not shown as queued');
    const peer = await mountChat(hub, newDb());
    await register(peer, 'Bob');
    await connected(peer);
    // The link comes back: a working transport, same room.
    chat.remove();
    chat.transportFactory = undefined;
    const again = await mountChat(hub, db);
    await waitUntil(() => shownMessages(peer).length === 1, 'queued message never arrived', {
      timeout: 5000,
    });
    expect(shownMessages(peer)[0]!.text).to.equal('written offline');
    await waitUntil(() => shownMessages(again)[0]?.status === 'sent');
  });

  it('opens on the newest 50 messages and loads older pages on request', async () => {
    const hub = new MemoryHub();
    const dbName = newDb();
    let chat = await mountChat(hub, dbName, 'paging');
    await register(chat, 'Alice');
    chat.remove();
    const db = await openParleyDb(dbName);
    const owner = (await db.get('accounts', 'alice'))!.id;
    const bob = await author('Bob');
    for (let i = 0; i < 120; i++) {
      const env = await signedBy(bob, {
        room: 'paging',
        ts: 1_700_000_000_000 + i,
        seq: i,
        text: `#${i}`,
      });
      await addMessage(db, owner, env, 'received');
    }
    db.close();
    chat = await mountChat(hub, dbName, 'paging');
    await waitUntil(() => shownMessages(chat).length === 50, 'newest page not shown', {
      timeout: 5000,
    });
    expect(shownMessages(chat)[0]!.text).to.equal('#70');
    expect(shownMessages(chat).at(-1)!.text).to.equal('#119');
    const list = shadow(chat).querySelector('parley-messages')!;
    const older = () => shadow(list).querySelector<HTMLButtonElement>('.older button');
    older()!.click();
    await waitUntil(() => shownMessages(chat).length === 100);
    older()!.click();
    await waitUntil(() => shownMessages(chat).length === 120);
    expect(shownMessages(chat).map((m) => m.text)).to.deep.equal(
      Array.from({ length: 120 }, (_, i) => `#${i}`),
    );
    await waitUntil(() => older() === null, 'the button stays after the last page');
  });

  it('drops a stale "… is typing" line as soon as the link goes down', async () => {
    /** A memory transport whose link can drop, like a relay that went away. */
    class Droppable<L extends EventsMap> extends MemoryTransport<L> {
      drop() {
        this.setState('offline');
      }
    }
    const hub = new MemoryHub();
    let mine: Droppable<EventsMap> | undefined;
    const chat = await mountChat(hub, newDb(), 'typing-room');
    chat.transportFactory = (async () =>
      (mine = new Droppable(hub))) as unknown as TransportFactory;
    await register(chat, 'Alice');
    await connected(chat);
    const bobId = await createIdentity();
    const bob = await stranger(hub, 'typing-room', bobId, 'Bob');
    const typing = () => shadow(chat).querySelector('.typing')?.textContent?.trim() ?? '';
    // Bob's signed hello taken: the header counts him (a notice counts only from who is here).
    await waitUntil(() => shadow(chat).textContent?.includes('2 here'), 'Bob here');
    bob.emit('chat:typing', await typingOf(bobId, 'typing-room', 'Bob', true));
    await waitUntil(() => typing() === 'Bob is typing…', 'the typing line');
    mine!.drop();
    await waitUntil(() => typing() === '', 'no stale typing line while offline');
    bob.close();
  });

  it('returns the focus to "Settings" when the panel closes, unless the visitor already moved on', async () => {
    const chat = await mountChat(new MemoryHub(), newDb());
    await register(chat, 'Alice');
    await connected(chat);
    const button = (text: string) =>
      [...shadow(chat).querySelectorAll<HTMLButtonElement>('header button')].find(
        (b) => b.textContent?.trim() === text,
      )!;
    const settings = shadow(chat).querySelector('parley-settings')!;
    const cancel = () =>
      [...shadow(settings).querySelectorAll<HTMLButtonElement>('button')].find(
        (b) => b.textContent?.trim() === 'Cancel',
      )!;
    const focused = () => {
      const el = deepActive();
      return `${el?.localName}:${el?.textContent?.trim() ?? ''}`;
    };
    const settle = async () => {
      await chat.updateComplete;
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    };
    // As a person's click does: the button takes the focus, then opens the panel.
    button('Settings').focus();
    button('Settings').click();
    await waitUntil(() => shadow(settings).querySelector('dialog')!.open, 'settings open');
    cancel().focus();
    cancel().click();
    await settle();
    expect(focused(), 'back to where the panel was opened from').to.equal('button:Settings');
    button('Settings').focus();
    button('Settings').click();
    await waitUntil(() => shadow(settings).querySelector('dialog')!.open, 'open again');
    cancel().focus();
    cancel().click();
    button('Log out').focus(); // the visitor moves on at once
    await settle();
    expect(focused(), 'a late move must not undo the visitor').to.equal('button:Log out');
  });
});
