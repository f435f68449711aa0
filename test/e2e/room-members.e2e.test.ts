/**
 * Removing someone from a private room (issue 22), in the built app over the real relay: Alice
 * makes a room, Bob and Carol follow its link, Alice removes Carol in Settings — Bob reads
 * everything written after, Carol reads nothing of it. A raw `socket.io-client` member who holds
 * the room's key (it had the link) signs a grant making itself admin: nobody takes it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { uuidv7 } from '../../src/protocol/message-id.js';
import { seal, textRoomKey } from '../../src/protocol/room-key.js';
import { messageIdOf, sealingHeader, signEnvelope } from '../../src/protocol/signed-envelope.js';
import { provenJoin, testSigner } from '../support/identity.js';
import {
  newRoom,
  settingsLink,
  say,
  shownTexts,
  shows,
  suiteUsers,
  useAppAndBrowser,
} from './harness.js';

/** The quiet lines (notes) a page's conversation shows, from the list's model. */
function notes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const list = document
      .querySelector('parley-chat')
      ?.shadowRoot?.querySelector('parley-messages') as
      (Element & { messages: Array<{ note?: string }> }) | null;
    return (list?.messages ?? []).flatMap((m) => (m.note ? [m.note] : []));
  });
}

/** Opens Settings on its "This room" part and returns the dialog. */
async function roomSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await dialog
    .getByRole('navigation', { name: 'Parts of Settings' })
    .getByRole('button', { name: 'This room' })
    .click();
  return dialog;
}

describe('members of a private room', { timeout: 240_000 }, () => {
  const app = useAppAndBrowser();
  const open = suiteUsers(app);
  let raw: Socket | undefined;
  after(() => {
    raw?.disconnect();
  });

  it('removes a member: the others read on, the removed one reads nothing written after', async () => {
    const alice = await open('#room=lobby', 'Alice');
    await newRoom(alice.page, 'Board');
    const link = await settingsLink(alice.page);
    const hash = new URL(link).hash;
    const bob = await open(hash, 'Bob');
    const carol = await open(hash, 'Carol');
    await say(alice.page, 'agenda is up');
    await shows(carol.page, 'agenda is up');
    await shows(bob.page, 'agenda is up');
    // Everyone announced their key-agreement key (the lines say they joined).
    for (const who of ['Bob', 'Carol'])
      await alice.page.getByText(`${who} joined the room`).first().waitFor({ timeout: 20_000 });

    const dialog = await roomSettings(alice.page);
    // The room's part of Settings is slotted into the dialog: looked up from the page.
    await alice.page
      .locator('li.member', { hasText: 'Carol' })
      .getByRole('button', { name: 'Remove from room' })
      .click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await bob.page.getByText("Alice changed the room's key — Carol was removed").waitFor();
    await carol.page.getByText("Alice changed the room's key — you were removed").waitFor();

    await say(alice.page, 'the budget, without Carol');
    await say(bob.page, 'agreed');
    await shows(bob.page, 'the budget, without Carol');
    await shows(alice.page, 'agreed');
    // Carol holds both, and reads neither.
    await carol.page
      .getByText("Can't read this message yet — you need the room's key")
      .nth(1)
      .waitFor();
    const carolSees = await shownTexts(carol.page);
    assert.ok(!carolSees.includes('the budget, without Carol'));
    assert.ok(!carolSees.includes('agreed'));
    assert.ok(carolSees.includes('agenda is up'), 'what she read stays read');
    assert.deepEqual([...alice.problems, ...bob.problems, ...carol.problems], []);

    // A raw client holding the room's first key (the link) signs itself admin: nobody takes it.
    const room = new URLSearchParams(hash.slice(1)).get('room')!;
    const { key, kid } = (await textRoomKey(new URLSearchParams(hash.slice(1)).get('key')!))!;
    raw = io(app.server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const socket = raw;
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    const mallory = await testSigner();
    const join = await provenJoin(socket, room, 'Mallory', mallory);
    const reply = await new Promise<JoinReply>((r) => socket.emit('relay:join', join, r));
    assert.equal(reply.ok, true);
    let seq = 0;
    const post = async (body: object) => {
      const header = {
        id: messageIdOf(mallory.id, uuidv7()),
        room,
        from: { id: mallory.id, name: 'Mallory', key: mallory.publicKey },
        ts: Date.now(),
        seq: seq++,
      };
      const sealed = await seal(key, sealingHeader(header), body, kid);
      socket.emit('relay:emit', 'chat:message', [
        await signEnvelope(mallory, { ...header, body: sealed }),
      ]);
    };
    await post({ kind: 'admin', member: mallory.id });
    await post({ text: 'made myself admin' });
    // Sent after the grant on one connection: once it shows, the grant was taken in or refused.
    await shows(alice.page, 'made myself admin');
    await shows(bob.page, 'made myself admin');
    for (const page of [alice.page, bob.page]) {
      assert.ok(
        !(await notes(page)).some((n) => n.includes('an admin')),
        (await notes(page)).join(),
      );
    }
  });
});
