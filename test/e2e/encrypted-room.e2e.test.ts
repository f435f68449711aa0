/**
 * End-to-end encrypted rooms, in the built app over the real relay: two people who share a
 * room passphrase chat while a third connection records every frame the relay sends it — no
 * plaintext in any of them; a member without the key sees a notice instead of garbage, then
 * the text once she enters the passphrase; an invite link with a key in its fragment works in
 * a fresh browser.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { provenJoin, testSigner } from '../support/identity.js';
import {
  openUser,
  say,
  shownTexts,
  signUp,
  useAppAndBrowser,
  type User,
  enterPassphrase,
  newRoom,
  shows,
} from './harness.js';

const PASSPHRASE = 'correct horse battery staple';

describe('an end-to-end encrypted room', { timeout: 180_000 }, () => {
  const app = useAppAndBrowser();
  const users: User[] = [];
  const frames: string[] = [];
  let recorder: Socket | undefined;
  after(async () => {
    recorder?.disconnect();
    await Promise.all(users.map((u) => u.context.close()));
  });

  const open = async (hash: string) => {
    const user = await openUser(app.browser, `${app.server.url}/${hash}`);
    users.push(user);
    return user;
  };

  before(async () => {
    // A third connection in the room, as any member or the relay's own logs would see it.
    recorder = io(app.server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const socket = recorder;
    socket.onAny((event: string, ...args: unknown[]) =>
      frames.push(JSON.stringify([event, ...args])),
    );
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    const join = await provenJoin(socket, 'vault', 'Recorder', await testSigner());
    const reply = await new Promise<JoinReply>((r) => socket.emit('relay:join', join, r));
    assert.equal(reply.ok, true);
  });

  it('carries only ciphertext through the relay between two people with the passphrase', async () => {
    const [alice, bob] = [await open('#room=vault'), await open('#room=vault')];
    await signUp(alice.page, 'Alice');
    await signUp(bob.page, 'Bob');
    await enterPassphrase(alice.page, PASSPHRASE);
    await enterPassphrase(bob.page, PASSPHRASE);
    await say(alice.page, 'the launch code is 0451');
    await shows(bob.page, 'the launch code is 0451');
    await say(bob.page, 'noted, shredding this');
    await shows(alice.page, 'noted, shredding this');
    const messages = frames.filter((f) => f.includes('"chat:message"'));
    assert.ok(messages.length >= 2, `the recorder heard the messages (${messages.length})`);
    // Words, not digits alone: "0451" also turns up in times and ids (a frame dated
    // 1796618804517 failed this check once).
    for (const f of frames) {
      assert.ok(!f.includes('launch code') && !f.includes('shredding') && !f.includes('"text"'), f);
    }
    assert.ok(
      messages.every((f) => f.includes('"enc":"aes-256-gcm/1"')),
      'sealed bodies',
    );
    assert.deepEqual([...alice.problems, ...bob.problems], []);
  });

  it('shows a member without the key a notice, then the text once she enters the passphrase', async () => {
    const carol = await open('#room=vault');
    await signUp(carol.page, 'Carol');
    // She catches up on the two sealed messages, and can read neither.
    const notice = carol.page.getByText(
      "2 messages are encrypted with a key you don't have — enter the room passphrase in Settings.",
    );
    await notice.first().waitFor({ timeout: 15_000 });
    // Each in its place, as one line that says so: never its ciphertext.
    assert.deepEqual(await shownTexts(carol.page), ['', '']);
    assert.equal(
      await carol.page.getByText("Can't read this message yet — you need the room's key").count(),
      2,
    );
    // The notice's own way to the Settings.
    const banner = carol.page.getByRole('status').filter({ hasText: 'encrypted with a key' });
    await enterPassphrase(carol.page, PASSPHRASE, banner.getByRole('button', { name: 'Settings' }));
    await shows(carol.page, 'noted, shredding this');
    assert.deepEqual(await shownTexts(carol.page), [
      'the launch code is 0451',
      'noted, shredding this',
    ]);
    await notice.first().waitFor({ state: 'hidden' });
    assert.deepEqual(carol.problems, []);
  });

  it('opens a private room from its invite link, its key in the fragment, in a fresh browser', async () => {
    const erin = await open('#room=lobby');
    await signUp(erin.page, 'Erin');
    await newRoom(erin.page, 'Plans');
    await erin.page.getByRole('button', { name: 'Settings' }).click();
    const dialog = erin.page.getByRole('dialog', { name: 'Settings' });
    // The one in Settings (the room list's copies the same link).
    await erin.page
      .locator('parley-room-lock')
      .getByRole('button', { name: 'Copy invite link' })
      .click();
    const field = erin.page.getByRole('textbox', { name: 'Invite link' });
    await field.waitFor();
    const link = await field.inputValue();
    assert.match(link, /#room=p\.[a-z2-7]{26}&key=[A-Za-z0-9_-]{43}&title=Plans$/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await say(erin.page, 'the plan is in the blue folder');
    const frank = await open(link.slice(link.indexOf('#')));
    await signUp(frank.page, 'Frank');
    await shows(frank.page, 'the plan is in the blue folder');
    assert.doesNotMatch(frank.page.url(), /key=/, 'the key left the address once taken');
    await frank.page.getByRole('heading', { name: 'Plans' }).waitFor();
    await say(frank.page, 'found it');
    await shows(erin.page, 'found it');
    for (const f of frames) assert.ok(!f.includes('blue folder') && !f.includes('found it'), f);
    assert.deepEqual([...erin.problems, ...frank.problems], []);
  });
});
