/**
 * Interop: a client written only from docs/PROTOCOL.md (test/interop/doc-client.ts: plain
 * socket.io-client and WebCrypto) and a person in the built app, over the real server. The
 * client joins with its own identity, sends a signed message the person sees under the
 * client's name, reads the person's reply and acknowledges it; then the same in a room
 * encrypted with a passphrase the person sets in Settings.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DocClient } from '../interop/doc-client.js';
import {
  allDelivered,
  openUser,
  rosterShows,
  say,
  signUp,
  useAppAndBrowser,
  type User,
  enterPassphrase,
} from './harness.js';

const PASSPHRASE = 'correct horse battery staple';

/** Waits for the message saying `text` on `page`; the name it is shown under. */
async function authorOf(page: Page, text: string): Promise<string | null> {
  const row = page.locator('li.msg', { hasText: text });
  await row.waitFor({ timeout: 15_000 });
  return row.locator('.author').textContent();
}

describe(
  'a client written from docs/PROTOCOL.md, with a person in the app',
  { timeout: 180_000 },
  () => {
    const app = useAppAndBrowser();
    const users: User[] = [];
    const bots: DocClient[] = [];
    after(async () => {
      bots.forEach((b) => b.close());
      await Promise.all(users.map((u) => u.context.close()));
    });

    it('sends a signed message the person sees under its name, and reads the reply', async () => {
      const uma = await openUser(app.browser, `${app.server.url}/#room=interop`);
      users.push(uma);
      await signUp(uma.page, 'Uma');
      const bot = await DocClient.start(
        { url: app.server.url, room: 'interop', name: 'Doc Bot' },
        '1.4',
      );
      bots.push(bot);
      await rosterShows(uma.page, 'Doc Bot', 'relay');
      const mine = await bot.say('Hello from a client written from the document');
      assert.equal(
        await authorOf(uma.page, 'Hello from a client written from the document'),
        'Doc Bot',
      );
      // The app stored it and said so: its receipt, in the person's identity's name.
      const umaHello = await bot.member('Uma');
      await bot.until(() => bot.acked.get(mine.id)?.has(umaHello.userId), "the app's receipt");
      await say(uma.page, 'Hi bot, the browser here');
      const reply = await bot.message('Hi bot, the browser here');
      assert.equal(reply.env.from.name, 'Uma');
      assert.equal(reply.env.from.id, umaHello.userId);
      assert.equal(reply.sealed, false);
      // The bot's receipt, signed (1.4), marks the person's message delivered.
      await allDelivered(uma.page);
      assert.deepEqual(bot.errors, []);
      assert.deepEqual(uma.problems, []);
    });

    it('does the same in a room encrypted with a passphrase', async () => {
      const vera = await openUser(app.browser, `${app.server.url}/#room=interop-vault`);
      users.push(vera);
      await signUp(vera.page, 'Vera');
      await enterPassphrase(vera.page, PASSPHRASE);
      const bot = await DocClient.start(
        { url: app.server.url, room: 'interop-vault', name: 'Vault Bot', passphrase: PASSPHRASE },
        '1.4',
      );
      bots.push(bot);
      await rosterShows(vera.page, 'Vault Bot', 'relay');
      const mine = await bot.say('the launch code is 0451');
      assert.equal(mine.body.enc, 'aes-256-gcm/1');
      assert.equal(await authorOf(vera.page, 'the launch code is 0451'), 'Vault Bot');
      await say(vera.page, 'noted, shredding this');
      const reply = await bot.message('noted, shredding this');
      assert.equal(reply.sealed, true, 'the app sealed its reply');
      assert.equal(reply.env.body.enc, 'aes-256-gcm/1');
      assert.equal(reply.env.from.name, 'Vera');
      await allDelivered(vera.page);
      assert.deepEqual(bot.errors, []);
      assert.deepEqual(vera.problems, []);
    });
  },
);
