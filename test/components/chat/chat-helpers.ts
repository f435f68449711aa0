/** Drives `<parley-chat>` in component tests the way a person would: through its controls. */
import { fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { deleteParleyDb } from '../../../src/store/db.js';
import { uniqueDbName } from '../../support/db.js';
import '../../../src/define.js';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import type { ParleyLogin } from '../../../src/components/login/parley-login.js';
import type { MemoryHub } from '../../../src/transport/memory.js';
import type { TransportFactory } from '../../../src/transport/index.js';

/** A transport factory that makes memory transports on `hub`, with the options it is given. */
export const memoryFactory = (hub: MemoryHub): TransportFactory =>
  (async (_kind, options) => hub.transport(options)) as TransportFactory;

/** Mounts a chat with its own database, in a fixed room, over `hub`. */
export async function mountChat(
  hub: MemoryHub,
  dbName: string,
  room = 'test-room',
): Promise<ParleyChat> {
  // A chat is tested as a returning visitor sees it, with its list defined and drawn: by the
  // chat's core, which comes once the login box is here (see load-order.ts) and brings the
  // message list's element — for a visitor not logged in, once they turn to the chat (a press
  // in the login box, see chat-intent.ts).
  const chat = await fixture<ParleyChat>(
    html`<parley-chat
      style="height: 400px"
      room=${room}
      db-name=${dbName}
      transport="memory"
      .transportFactory=${memoryFactory(hub)}
    ></parley-chat>`,
  );
  const drawn = () => chat.shadowRoot?.querySelector('parley-messages');
  await waitUntil(() => drawn() || loginOf(chat)?.open, 'the chat or its login box drawn', {
    timeout: 10_000,
  });
  if (!drawn()) turnTo(loginOf(chat));
  await waitUntil(drawn, 'the chat drawn', { timeout: 10_000 });
  await customElements.whenDefined('parley-messages');
  return chat;
}

/** A visitor's press on `el`, as a finger or a mouse gives it (it crosses shadow roots). */
export function turnTo(el: Element): void {
  el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
}

/** The element's shadow root, or a failed test. */
export const shadow = (el: Element): ShadowRoot => {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
};

/** The login popup inside a chat. */
export const loginOf = (chat: ParleyChat) =>
  shadow(chat).querySelector('parley-login') as ParleyLogin;

/** Fills the popup and presses "Log in" or "Create account". */
export async function submitLogin(
  chat: ParleyChat,
  name: string,
  password: string,
  action: 'login' | 'register',
) {
  const login = loginOf(chat);
  await waitUntil(() => login.open, 'login popup did not open');
  const root = shadow(login);
  (root.querySelector('input[name=name]') as HTMLInputElement).value = name;
  (root.querySelector('input[name=password]') as HTMLInputElement).value = password;
  (root.querySelector(`button[value=${action}]`) as HTMLButtonElement).click();
}

/** Creates an account through the popup and waits until the popup has closed. */
export async function register(chat: ParleyChat, name: string, password = 'password123') {
  await submitLogin(chat, name, password, 'register');
  await waitUntil(() => !loginOf(chat).open, `registering ${name} did not close the popup`, {
    timeout: 5000,
  });
}

/** Types into the composer and presses Enter. */
export async function typeAndEnter(chat: ParleyChat, text: string, shiftKey = false) {
  const composer = shadow(chat).querySelector('parley-composer')!;
  const field = shadow(composer).querySelector('textarea')!;
  field.value = text;
  field.dispatchEvent(new Event('input'));
  field.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Enter', shiftKey, bubbles: true, cancelable: true }),
  );
  return field;
}

/** The rendered messages: author and text as shown. */
export function shownMessages(chat: ParleyChat) {
  const list = shadow(chat).querySelector('parley-messages')!;
  // The list's element comes in a chunk of its own: until it is defined, nothing is shown.
  if (!customElements.get('parley-messages')) return [];
  return [...shadow(list).querySelectorAll('li.msg')].map((li) => ({
    author: li.querySelector('.author')!.textContent!.trim(),
    text: li.querySelector('.text')!.textContent!,
    own: li.classList.contains('own'),
    status: li.querySelector('.status')?.textContent?.trim() ?? '',
    html: li.querySelector('.text')!.innerHTML,
  }));
}

/** Waits until the chat's link is open. */
export const connected = (chat: ParleyChat) =>
  waitUntil(
    () => shadow(chat).querySelector('.conn')?.textContent?.includes('Connected'),
    'not connected',
    {
      timeout: 5000,
    },
  );

/**
 * Database names for chats mounted in a `describe` block: each call gives a new one, and after
 * every test the chats are removed (closing their transports) and those databases deleted.
 */
export function chatDbs(): () => string {
  const dbs: string[] = [];
  afterEach(async () => {
    fixtureCleanup();
    await Promise.all(dbs.splice(0).map((n) => deleteParleyDb(n)));
  });
  return () => {
    const name = uniqueDbName();
    dbs.push(name);
    return name;
  };
}
