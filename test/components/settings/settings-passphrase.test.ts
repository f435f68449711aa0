/**
 * The room's passphrase in Settings, in a whole `<parley-chat>` over the memory transport with
 * real IndexedDB: nothing is used before Save — Cancel leaves the room as it was, with no key
 * stored, even after the panel is saved again later — Save uses it, and while it is typed the
 * panel says how many of the room's stored encrypted messages it opens.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import type { RoomController } from '../../../src/controllers/room/room-controller.js';
import { readBody } from '../../../src/protocol/message-body.js';
import { openParleyDb } from '../../../src/store/db.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import {
  chatDbs,
  connected,
  mountChat,
  register,
  shadow,
  typeAndEnter,
} from '../chat/chat-helpers.js';

const PASSPHRASE = 'Tangerine-42 at noon';
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

const settingsOf = (chat: ParleyChat) => shadow(chat).querySelector('parley-settings')!;
const lockOf = (chat: ParleyChat) => shadow(chat).querySelector('parley-room-lock')!;
const dialogOpen = (chat: ParleyChat) =>
  !!settingsOf(chat)?.shadowRoot?.querySelector('dialog')?.open;
/** The chat's room controller (to wait for what arrived; the test acts through the panel). */
/** The chat's room controller (in its core, see chat-core.ts; a test reaches in to check state). */
const roomOf = (chat: ParleyChat) =>
  (chat as unknown as { core: { chat: RoomController } }).core.chat;

async function openSettings(chat: ParleyChat) {
  shadow(chat).querySelector<HTMLButtonElement>('[part~="settings-button"]')!.click();
  await waitUntil(() => dialogOpen(chat) && lockOf(chat)?.shadowRoot, 'Settings did not open', {
    timeout: 5000,
  });
}

/** Presses the panel's Save or Cancel and waits until it has closed. */
async function press(chat: ParleyChat, name: 'Save' | 'Cancel') {
  const buttons = [...shadow(settingsOf(chat)).querySelectorAll<HTMLButtonElement>('button')];
  buttons.find((b) => squash(b.textContent) === name)!.click();
  await waitUntil(() => !dialogOpen(chat), `${name} did not close Settings`, { timeout: 10_000 });
}

const field = (chat: ParleyChat) =>
  shadow(lockOf(chat)).querySelector<HTMLInputElement>('[part~=passphrase]')!;

/** Types a passphrase the way the browser reports it: the new value, then an input event. */
async function typePassphrase(chat: ParleyChat, passphrase: string) {
  const input = field(chat);
  input.value = passphrase;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await chat.updateComplete;
}

const stateLine = (chat: ParleyChat) =>
  squash(shadow(lockOf(chat)).querySelector('[part~=room-lock-state]')?.textContent);
const preview = (chat: ParleyChat) =>
  squash(shadow(lockOf(chat)).querySelector('[part~=preview]')?.textContent);

/** The sealed messages stored in the chat's database (the preview reads those). */
async function storedSealed(dbName: string): Promise<number> {
  const db = await openParleyDb(dbName);
  try {
    const all = await db.getAll('messages');
    return all.filter((m) => readBody(m.body)?.kind === 'sealed').length;
  } finally {
    db.close();
  }
}

/** Every room key stored in the chat's database, whoever holds it. */
async function storedKeys(dbName: string): Promise<number> {
  const db = await openParleyDb(dbName);
  try {
    return (await db.getAll('roomKeys')).reduce((n, r) => n + r.keys.length, 0);
  } finally {
    db.close();
  }
}

describe('Settings: the room passphrase waits for Save', function () {
  this.timeout(30_000);
  const newDb = chatDbs();

  it('Cancel after entering a passphrase leaves the room as it was, and a later Save too', async () => {
    const db = newDb();
    const chat = await mountChat(new MemoryHub(), db);
    await register(chat, 'Alice');
    await connected(chat);
    await openSettings(chat);
    await typePassphrase(chat, PASSPHRASE);
    await press(chat, 'Cancel');
    expect(roomOf(chat).encrypted, 'not encrypted after Cancel').to.equal(false);
    expect(await storedKeys(db), 'no key stored after Cancel').to.equal(0);
    // Opened again: the field is empty, and saving the panel uses nothing typed before.
    await openSettings(chat);
    expect(field(chat).value).to.equal('');
    expect(stateLine(chat)).to.match(/^Not encrypted/);
    await press(chat, 'Save');
    expect(roomOf(chat).encrypted, 'not encrypted after a later Save').to.equal(false);
    expect(await storedKeys(db), 'no key stored after a later Save').to.equal(0);
  });

  it('Save uses the passphrase typed', async () => {
    const db = newDb();
    const chat = await mountChat(new MemoryHub(), db);
    await register(chat, 'Alice');
    await connected(chat);
    await openSettings(chat);
    await typePassphrase(chat, PASSPHRASE);
    expect(roomOf(chat).encrypted, 'nothing used while typing').to.equal(false);
    await press(chat, 'Save');
    expect(roomOf(chat).encrypted, 'encrypted once saved').to.equal(true);
    expect(await storedKeys(db), 'its key stored').to.equal(1);
    await openSettings(chat);
    expect(stateLine(chat)).to.match(/^What you send here is end-to-end encrypted/);
  });

  it('Enter in the passphrase field saves the panel, as Enter in its other fields does', async () => {
    const db = newDb();
    const chat = await mountChat(new MemoryHub(), db);
    await register(chat, 'Alice');
    await connected(chat);
    await openSettings(chat);
    await typePassphrase(chat, PASSPHRASE);
    field(chat).form!.requestSubmit(); // what Enter in the field does
    await waitUntil(() => !dialogOpen(chat), 'Enter did not save', { timeout: 10_000 });
    expect(roomOf(chat).encrypted).to.equal(true);
    expect(await storedKeys(db)).to.equal(1);
  });

  it('refuses a passphrase too short to use, says why, and saves nothing', async () => {
    const db = newDb();
    const chat = await mountChat(new MemoryHub(), db);
    await register(chat, 'Alice');
    await connected(chat);
    await openSettings(chat);
    await typePassphrase(chat, 'short');
    const buttons = [...shadow(settingsOf(chat)).querySelectorAll<HTMLButtonElement>('button')];
    buttons.find((b) => squash(b.textContent) === 'Save')!.click();
    const alert = () => shadow(lockOf(chat)).querySelector('[role=alert]');
    await waitUntil(() => alert(), 'no alert');
    expect(squash(alert()!.textContent)).to.equal('A passphrase takes at least 8 characters.');
    expect(dialogOpen(chat), 'the panel stays open').to.equal(true);
    expect(await storedKeys(db)).to.equal(0);
  });

  it('says how many of the stored encrypted messages a passphrase opens, before it is used', async () => {
    const hub = new MemoryHub();
    const bob = await mountChat(hub, newDb());
    await register(bob, 'Bob');
    await connected(bob);
    const aliceDb = newDb();
    const alice = await mountChat(hub, aliceDb);
    await register(alice, 'Alice');
    await connected(alice);
    await openSettings(bob);
    await typePassphrase(bob, PASSPHRASE);
    await press(bob, 'Save');
    for (const text of ['one', 'two', 'three']) {
      await typeAndEnter(bob, text);
      await bob.updateComplete;
    }
    await waitUntil(() => roomOf(alice).locked === 3, 'three sealed messages held at Alice', {
      timeout: 10_000,
    });
    // Held on screen as they arrive, stored a moment later: the preview counts what is stored.
    await waitUntil(async () => (await storedSealed(aliceDb)) === 3, 'not stored at Alice', {
      timeout: 10_000,
    });
    await openSettings(alice);
    await typePassphrase(alice, 'tangerine-42 at noon');
    await waitUntil(() => preview(alice).startsWith('This passphrase opens'), 'no preview', {
      timeout: 10_000,
    });
    expect(preview(alice)).to.equal(
      'This passphrase opens none of the 3 encrypted messages stored here — check it with the others',
    );
    await typePassphrase(alice, PASSPHRASE);
    await waitUntil(() => preview(alice).includes('all 3'), 'no new preview', { timeout: 10_000 });
    expect(preview(alice)).to.equal('This passphrase opens all 3 encrypted messages stored here');
    // Only a preview: nothing was used.
    await press(alice, 'Cancel');
    expect(roomOf(alice).locked).to.equal(3);
    expect(await storedKeys(aliceDb)).to.equal(0);
  });

  it("says in This room when a member's messages are sealed with another passphrase's key", async () => {
    const hub = new MemoryHub();
    const bob = await mountChat(hub, newDb());
    await register(bob, 'Bob');
    await connected(bob);
    const alice = await mountChat(hub, newDb());
    await register(alice, 'Alice');
    await connected(alice);
    for (const [chat, passphrase] of [
      [bob, PASSPHRASE],
      [alice, 'tangerine-42 at noon'], // one letter's case apart
    ] as const) {
      await openSettings(chat);
      await typePassphrase(chat, passphrase);
      await press(chat, 'Save');
    }
    await typeAndEnter(bob, 'can you read this?');
    await waitUntil(() => roomOf(alice).keyMismatch, 'no mismatch at Alice', { timeout: 10_000 });
    await openSettings(alice);
    const warning = shadow(lockOf(alice)).querySelector('[part~=mismatch]');
    expect(warning?.getAttribute('role')).to.equal('alert');
    expect(squash(warning?.textContent)).to.equal(
      "This passphrase doesn't open Bob's messages — check it with the others",
    );
  });
});
