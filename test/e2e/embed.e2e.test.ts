import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  checkAxe,
  focusedOn,
  openUser,
  rosterShows,
  say,
  signUp,
  useAppOnSite,
  waitForCount,
} from './harness.js';

/**
 * A shop on another origin: a "Buy now" button and a field of its own, and two chats with
 * databases of their own (so each has its own login).
 */
const SHOP_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Shop</title>
    <script type="module" src="http://localhost:8080/lib/parley.js"></script>
  </head>
  <body>
    <main>
      <h1>Shop</h1>
      <label>Quantity <input id="qty" value="1" /></label>
      <button id="buy" type="button">Buy now</button>
      <p id="cart">0 in the cart</p>
      <section aria-label="Support chat">
        <parley-chat id="a" room="support" server="http://localhost:8080" db-name="shop-a"
          style="height:420px;width:360px"></parley-chat>
      </section>
      <section aria-label="Sales chat">
        <parley-chat id="b" room="sales" server="http://localhost:8080" db-name="shop-b"
          style="height:420px;width:360px"></parley-chat>
      </section>
    </main>
    <script>
      let n = 0;
      document.getElementById('buy').addEventListener('click', () => {
        n += 1;
        document.getElementById('cart').textContent = n + ' in the cart';
      });
    </script>
  </body>
</html>`;

/**
 * Serves `examples/embed.html` (and the shop page at `/shop.html`) on its own origin, pointed
 * at the Parley server `parley`.
 */
/** Texts shown by one embedded chat. */
const textsIn = (chat: Locator) => chat.locator('li.msg .text').allTextContents();

async function sayIn(chat: Locator, text: string) {
  const box = chat.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

describe('embedding <parley-chat> in another site', { timeout: 120_000 }, () => {
  const app = useAppOnSite(async (url) => {
    // The example writes in no server address: it takes `?server=` (else its own origin).
    const page = await readFile('examples/embed.html', 'utf8');
    const shop = SHOP_PAGE.replaceAll('http://localhost:8080', url);
    return { [`/?server=${encodeURIComponent(url)}`]: page, '/shop.html': shop };
  });

  it('chats with the full app, keeps its two rooms apart, follows attribute changes', async () => {
    const visitor = await openUser(
      app.browser,
      `${app.site.url}?server=${encodeURIComponent(app.parley.url)}`,
    );
    const page: Page = visitor.page;
    const support = page.locator('#support');
    const sales = page.locator('#sales');
    // The site's own greeting (the `greeting` attribute) on the support chat's login box.
    await support.getByRole('dialog', { name: 'Questions? Acme support is here' }).waitFor();
    // One login for both chats: they share a database, so the second follows the first.
    const dialog = page.getByRole('dialog').last();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('Visitor');
    await dialog.getByLabel('Password').fill('correct horse');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    for (const chat of [support, sales]) {
      await chat.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    }

    const agent = await openUser(app.browser, `${app.parley.url}/#room=support`);
    await signUp(agent.page, 'Agent');
    await rosterShows(agent.page, 'Visitor', 'relay');
    await sayIn(support, 'hello from the site');
    await waitForCount(agent, 'hello from the site', 1);
    await say(agent.page, 'hello from the app');
    await support.locator('li.msg', { hasText: 'hello from the app' }).waitFor();
    assert.deepEqual(await textsIn(sales), [], 'the sales room hears nothing of support');

    const log = page.locator('#log');
    assert.match((await log.textContent()) ?? '', /support: parley-message .*hello from the app/);
    assert.match((await log.textContent()) ?? '', /support: parley-status .*"state":"open"/);

    // The agent's receipt reaches the embedded chat too.
    await support.locator('li.msg.own .status', { hasText: 'delivered' }).waitFor();
    // Screenshots show settled colours, not a theme change's 0.12 s transition half done.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.screenshot({ path: 'docs/screenshot-embed-light.png' });
    await page.getByRole('button', { name: /Move the support chat/ }).click();
    await support.locator('h1', { hasText: 'billing' }).waitFor();
    await support.locator('.conn', { hasText: 'Connected' }).waitFor();
    await page.getByRole('button', { name: /dark theme/ }).click();
    assert.equal(await support.getAttribute('theme'), 'dark');
    await page.screenshot({ path: 'docs/screenshot-embed-dark.png' });

    // The site signs its visitor in: both chats take the site's name, with no popup and no
    // "Log out", and the agent sees the new name in the room.
    await page.getByRole('button', { name: /Sign in to Acme/ }).click();
    for (const chat of [support, sales]) {
      // Narrow chats keep the name and the buttons in their menu: present, if not on show.
      await chat.locator('[part~=user]', { hasText: 'Ann Acme' }).waitFor({ state: 'attached' });
      const logout = chat.getByRole('button', { name: 'Log out', includeHidden: true });
      assert.equal(await logout.count(), 0);
    }
    assert.equal(await page.getByRole('dialog').count(), 0, 'no login popup');
    await agent.page.goto(`${app.parley.url}/#room=billing`);
    await rosterShows(agent.page, 'Ann Acme', 'relay');
    await sayIn(support, 'signed in by the site');
    await waitForCount(agent, 'signed in by the site', 1);
    assert.match((await log.textContent()) ?? '', /support: parley-login .*"name":"Ann Acme"/);
    assert.deepEqual(visitor.problems, []);
    assert.deepEqual(agent.problems, []);
  });

  it('never blocks its host page: the shop works before login, each chat logs in on its own, axe finds nothing', async () => {
    const visitor = await openUser(app.browser, `${app.site.url}shop.html`);
    const page = visitor.page;
    const [a, b] = [page.locator('#a'), page.locator('#b')];
    const loginIn = (chat: Locator) => chat.getByRole('dialog', { name: 'Welcome to Parley' });
    await loginIn(a).waitFor();
    await loginIn(b).waitFor();
    // Nothing was taken from the page: not the focus, not the clicks, not the keyboard.
    assert.equal(await page.evaluate(() => document.activeElement?.localName), 'body');
    await page.getByRole('button', { name: 'Buy now' }).click({ timeout: 2000 });
    await page.getByRole('button', { name: 'Buy now' }).click({ timeout: 2000 });
    assert.equal(await page.locator('#cart').textContent(), '2 in the cart');
    await page.getByRole('textbox', { name: 'Quantity' }).fill('3', { timeout: 2000 });
    assert.equal(await page.getByRole('textbox', { name: 'Quantity' }).inputValue(), '3');
    assert.equal(
      await page.evaluate(() => document.querySelectorAll(':modal').length),
      0,
      'no modal dialog on the page',
    );
    await checkAxe(page, 'two chats waiting for a login');

    // Each chat has its own login (own databases): logging into one leaves the other alone.
    await loginIn(a).getByRole('textbox', { name: 'Username' }).fill('Shopper');
    await loginIn(a).getByLabel('Password').fill('correct horse');
    await loginIn(a).getByRole('button', { name: 'Create account' }).click();
    await a.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    const inA = (await focusedOn(page))?.ariaLabel;
    assert.equal(inA, 'Message', 'after logging in, the focus is in the message box');
    assert.equal(await loginIn(b).isVisible(), true, 'the other chat still asks');
    await loginIn(b).getByRole('textbox', { name: 'Username' }).fill('Nobody');
    await loginIn(b).getByLabel('Password').fill('correct horse');
    await loginIn(b).getByRole('button', { name: 'Log in' }).click();
    await b.getByRole('alert').filter({ hasText: 'No account called "Nobody"' }).waitFor();
    await checkAxe(page, 'one chat in, one showing a login error');
    await b.getByRole('button', { name: 'Create an account called "Nobody"' }).click();
    await b.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Buy now' }).click({ timeout: 2000 });
    assert.equal(await page.locator('#cart').textContent(), '3 in the cart');

    // Settings open inside the chat too: the page stays usable.
    await b.getByRole('button', { name: 'Menu' }).click();
    await b.getByRole('button', { name: 'Settings' }).click();
    await b.getByRole('dialog', { name: 'Settings' }).waitFor();
    assert.equal(await page.evaluate(() => document.querySelectorAll(':modal').length), 0);
    await page.getByRole('button', { name: 'Buy now' }).click({ timeout: 2000 });
    assert.equal(await page.locator('#cart').textContent(), '4 in the cart');
    await checkAxe(page, 'settings open in an embedded chat');
    assert.deepEqual(visitor.problems, []);
    await visitor.context.close();
  });
});
