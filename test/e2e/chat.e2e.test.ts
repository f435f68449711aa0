import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  loginAs,
  openUser,
  say,
  shownTexts,
  startAppServer,
  type User,
  useAppAndBrowser,
} from './harness.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('two people chat over Socket.IO', { timeout: 120_000 }, () => {
  const app = useAppAndBrowser();
  let alice: User;
  let bob: User;
  const room = 'product-team'; // each run has its own server, so a fixed name is safe (and reads well in the screenshot)

  before(async () => {
    alice = await openUser(app.browser, `${app.server.url}/#room=${room}`);
    bob = await openUser(app.browser, `${app.server.url}/#room=${room}`);
  });

  it('creates two accounts in the popup and joins the room from the address', async () => {
    for (const [user, name] of [
      [alice, 'Alice'],
      [bob, 'Bob'],
    ] as const) {
      await user.page.getByRole('dialog').waitFor();
      await loginAs(user.page, name, 'correct horse', 'Create account');
      await user.page.getByRole('dialog').waitFor({ state: 'hidden' });
      await user.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
      assert.equal(await user.page.getByRole('heading', { level: 1 }).textContent(), `#${room}`);
    }
    await alice.page.getByText('2 here').waitFor();
  });

  it('exchanges messages in both directions, with author, time and own messages marked', async () => {
    await say(alice.page, 'Hi Bob!');
    await bob.page.locator('li.msg', { hasText: 'Hi Bob!' }).waitFor();
    await say(bob.page, 'Hello Alice,\nhow are you?');
    await alice.page.locator('li.msg', { hasText: 'how are you?' }).waitFor();

    const atAlice = alice.page.locator('li.msg');
    assert.deepEqual(await shownTexts(alice.page), ['Hi Bob!', 'Hello Alice,\nhow are you?']);
    assert.equal(await atAlice.nth(0).locator('.author').textContent(), 'You');
    assert.match((await atAlice.nth(0).getAttribute('class')) ?? '', /\bown\b/);
    assert.equal(await atAlice.nth(1).locator('.author').textContent(), 'Bob');
    assert.doesNotMatch((await atAlice.nth(1).getAttribute('class')) ?? '', /\bown\b/);
    assert.match(
      (await atAlice.nth(1).locator('time').getAttribute('datetime')) ?? '',
      /^\d{4}-\d\d-\d\dT/,
    );
    await alice.page.locator('li.msg.own .status', { hasText: 'delivered' }).waitFor();
  });

  it('shows markup in a message as text, and no script runs', async () => {
    await say(alice.page, XSS);
    const atBob = bob.page.locator('li.msg', { hasText: XSS });
    await atBob.waitFor();
    assert.equal(await atBob.locator('.text').textContent(), XSS);
    assert.equal(await bob.page.locator('parley-messages img').count(), 0);
    assert.deepEqual(alice.problems, []);
    assert.deepEqual(bob.problems, []);
  });

  it('keeps the conversation and the login across a reload', async () => {
    await bob.page.reload();
    await bob.page.locator('li.msg', { hasText: XSS }).waitFor();
    assert.deepEqual(await shownTexts(bob.page), ['Hi Bob!', 'Hello Alice,\nhow are you?', XSS]);
    assert.equal(await bob.page.getByRole('dialog').count(), 0, 'still logged in');
    await bob.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await say(bob.page, 'back again');
    await alice.page.locator('li.msg', { hasText: 'back again' }).waitFor();
    mkdirSync('docs', { recursive: true });
    await alice.page.screenshot({ path: 'docs/screenshot.png' });
  });

  it('moves to another room from the Room field, and rooms stay apart', async () => {
    await alice.page.getByRole('textbox', { name: 'Room' }).fill(`${room}-side`);
    await alice.page.getByRole('checkbox', { name: 'Public room' }).check();
    await alice.page.getByRole('button', { name: 'Join' }).click();
    await alice.page.getByRole('heading', { name: `#${room}-side` }).waitFor();
    assert.equal(new URL(alice.page.url()).hash, `#room=${room}-side`);
    await alice.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await say(alice.page, 'only for the side room');
    await say(bob.page, 'only for the main room');
    await alice.page.locator('parley-messages').getByText('only for the side room').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await shownTexts(alice.page), ['only for the side room']);
    assert.ok(!(await shownTexts(bob.page)).includes('only for the side room'));
  });

  it('shows a clear error for a wrong password and an unknown user, then logs in', async () => {
    await alice.page.getByRole('button', { name: 'Log out' }).click();
    await alice.page.getByRole('dialog').waitFor();
    await loginAs(alice.page, 'Alice', 'wrong horse', 'Log in');
    await alice.page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
    assert.equal(await alice.page.getByRole('dialog').isVisible(), true);
    await loginAs(alice.page, 'Mallory', 'whatever1', 'Log in');
    await alice.page
      .getByRole('alert')
      .filter({ hasText: 'No account called "Mallory"' })
      .waitFor();
    await loginAs(alice.page, 'Alice', 'correct horse', 'Log in');
    await alice.page.getByRole('dialog').waitFor({ state: 'hidden' });
    await alice.page.locator('parley-messages').getByText('only for the side room').waitFor();
  });

  it('tells the truth about the connection when the server goes away and comes back', async () => {
    const port = app.server.port;
    await app.server.close();
    await alice.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    // Reconnecting is not an error: a calm status naming the server, with a way to Settings.
    await alice.page
      .getByRole('status')
      .filter({ hasText: 'Messages you send are kept' })
      .waitFor();
    await alice.page.getByRole('button', { name: 'Settings' }).first().waitFor();
    await say(alice.page, 'written while the server was down');
    await alice.page.locator('li.msg.own .status', { hasText: 'queued' }).waitFor();
    app.server = await startAppServer(port);
    await alice.page
      .getByRole('status')
      .filter({ hasText: 'Connected' })
      .waitFor({ timeout: 20_000 });
    await alice.page
      .locator('li.msg.own', { hasText: 'written while the server was down' })
      .locator('.status', { hasText: /^(sent|delivered)/ })
      .waitFor();
  });
});
