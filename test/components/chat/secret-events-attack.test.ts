/**
 * Attack: a script of the embedding page listens on `window` and `document`, in the capture
 * and the bubbling phase, for every event Parley's views fire, while a visitor creates an
 * account, logs out and in again, and types a room passphrase in Settings. No event it sees
 * may carry the password or the passphrase (in `detail`, enumerable or not), and the secrets
 * must still reach their owner (the account opens, the passphrase encrypts the room).
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import type { RoomController } from '../../../src/controllers/room/room-controller.js';
import { VIEW_EVENTS } from '../../../src/components/shared/events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { chatDbs, connected, loginOf, mountChat, shadow, submitLogin } from './chat-helpers.js';

const PASSWORD = 'hunter2-correct-horse';
const PASSPHRASE = 'Tangerine-42 at noon';
const SECRET_FIELDS = ['password', 'passphrase', 'secret', 'value'];
const PAGE_EVENTS = ['parley-message', 'parley-status', 'parley-error', 'parley-login'];
const OTHER_EVENTS = ['input', 'change', 'submit', 'click', 'keydown', 'formdata'];

/** Everything a listener on `window` and `document` could read of the events it was given. */
function eavesdrop(): { heard: string[]; types: Set<string>; stop: () => void } {
  const heard: string[] = [];
  const types = new Set<string>();
  const listen = (e: Event) => {
    types.add(e.type);
    const detail = (e as CustomEvent).detail as Record<string, unknown> | undefined;
    heard.push(JSON.stringify(detail ?? null));
    if (detail && typeof detail === 'object')
      for (const field of [...SECRET_FIELDS, ...Object.getOwnPropertyNames(detail)])
        heard.push(String(detail[field]));
  };
  const targets: EventTarget[] = [window, document];
  const names = [...VIEW_EVENTS, ...PAGE_EVENTS, ...OTHER_EVENTS];
  for (const t of targets)
    for (const name of names)
      for (const capture of [true, false]) t.addEventListener(name, listen, capture);
  const stop = () => {
    for (const t of targets)
      for (const name of names)
        for (const capture of [true, false]) t.removeEventListener(name, listen, capture);
  };
  return { heard, types, stop };
}

const roomOf = (chat: ParleyChat) =>
  (chat as unknown as { core: { chat: RoomController } }).core.chat;
const lockOf = (chat: ParleyChat) => shadow(chat).querySelector('parley-room-lock')!;
const settingsOf = (chat: ParleyChat) => shadow(chat).querySelector('parley-settings')!;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('Attack: a listener of the host page reads no secret from Parley events', function () {
  this.timeout(40_000);
  const newDb = chatDbs();

  it('registration, login and a room passphrase never show their secret to window or document', async () => {
    const spy = eavesdrop();
    try {
      const chat = await mountChat(new MemoryHub(), newDb());
      await submitLogin(chat, 'Alice', PASSWORD, 'register');
      await waitUntil(() => !loginOf(chat).open, 'registered', { timeout: 10_000 });
      await connected(chat);
      // Log out, then in again with the same password.
      shadow(chat).querySelector<HTMLButtonElement>('[part~="logout-button"]')!.click();
      await waitUntil(() => loginOf(chat)?.open, 'logged out', { timeout: 10_000 });
      await submitLogin(chat, 'Alice', PASSWORD, 'login');
      await waitUntil(() => !loginOf(chat).open, 'logged in again', { timeout: 10_000 });
      await connected(chat);
      // A room passphrase typed in Settings, then saved.
      shadow(chat).querySelector<HTMLButtonElement>('[part~="settings-button"]')!.click();
      await waitUntil(() => lockOf(chat)?.shadowRoot, 'Settings open', { timeout: 5000 });
      const field = shadow(lockOf(chat)).querySelector<HTMLInputElement>('[part~=passphrase]')!;
      field.value = PASSPHRASE;
      field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await chat.updateComplete;
      const buttons = [...shadow(settingsOf(chat)).querySelectorAll<HTMLButtonElement>('button')];
      buttons.find((b) => squash(b.textContent) === 'Save')!.click();
      await waitUntil(() => roomOf(chat).encrypted, 'the passphrase reached its owner', {
        timeout: 15_000,
      });
      // The listener did hear Parley at work (so it would have heard a secret).
      expect([...spy.types]).to.include.members(['parley-login', 'input', 'click']);
      const leaks = spy.heard.filter((h) => h.includes(PASSWORD) || h.includes(PASSPHRASE));
      expect(leaks, 'secrets seen by a listener of the page').to.deep.equal([]);
    } finally {
      spy.stop();
    }
  });
});
