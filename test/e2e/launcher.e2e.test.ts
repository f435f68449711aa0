/**
 * `<parley-chat launcher>` on a site of another origin, in real Chromium: the floating button
 * opens and closes the chat, counts on its badge what arrives while closed, never blocks the
 * page around it on a desktop, fills a phone's screen, and works from the keyboard alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAxe, focusedOn, openUser, say, signUp, useAppOnSite } from './harness.js';

/** A shop with a button and a field of its own, and a support chat behind a launcher. */
const SHOP_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Shop</title>
    <script type="module" src="PARLEY/lib/parley.js"></script>
    <style>
      body { font-family: system-ui, sans-serif; margin: 2rem; background: #f4f1ea; }
      main { max-width: 40rem; }
    </style>
  </head>
  <body>
    <main>
      <h1>Acme shop</h1>
      <p>Hand-made teapots, shipped in a week.</p>
      <label>Quantity <input id="qty" value="1" /></label>
      <button id="buy" type="button">Buy now</button>
      <p id="cart">0 in the cart</p>
    </main>
    <parley-chat launcher launcher-label="Support" room="support" server="PARLEY"
      db-name="shop"></parley-chat>
    <script>
      let n = 0;
      document.getElementById('buy').addEventListener('click', () => {
        n += 1;
        document.getElementById('cart').textContent = n + ' in the cart';
      });
    </script>
  </body>
</html>`;

/** Serves the shop page on its own origin (another port of 127.0.0.1), pointed at `parley`. */
/** The host page still takes clicks and typing: "Buy now" counts, the field keeps `qty`. */
async function pageUsable(page: Page, qty: string): Promise<void> {
  const before = Number((await page.locator('#cart').textContent())!.split(' ')[0]);
  await page.getByRole('button', { name: 'Buy now' }).click({ timeout: 2000 });
  assert.equal(await page.locator('#cart').textContent(), `${before + 1} in the cart`);
  await page.getByRole('textbox', { name: 'Quantity' }).fill(qty, { timeout: 2000 });
  assert.equal(await page.getByRole('textbox', { name: 'Quantity' }).inputValue(), qty);
}

/** The focused element's label, else its name, else its tag (through shadow roots). */
const focused = async (page: Page) => {
  const el = await focusedOn(page);
  return el?.ariaLabel ?? el?.name ?? el?.tag;
};

describe('a launcher on a site of another origin', { timeout: 120_000 }, () => {
  const app = useAppOnSite((url) => ({ '/': SHOP_PAGE.replaceAll('PARLEY', url) }));

  it('opens and closes from the keyboard, counts unread while closed, leaves the page usable', async () => {
    assert.notEqual(new URL(app.site.url).origin, new URL(app.parley.url).origin);
    const visitor = await openUser(app.browser, app.site.url);
    const page = visitor.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    const launcher = page.getByRole('button', { name: /^Support/ });
    const panel = page.getByRole('dialog', { name: 'Support' });
    await launcher.waitFor();
    assert.equal(await panel.isVisible(), false, 'closed at first');
    await pageUsable(page, '2');
    await checkAxe(page, 'launcher closed');

    // Keyboard only: Tab from the page's field reaches the launcher, Enter opens it.
    await page.getByRole('textbox', { name: 'Quantity' }).focus();
    for (let i = 0; i < 5 && (await focused(page)) !== 'Support'; i += 1) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await focused(page), 'Support', 'Tab did not reach the launcher');
    await page.keyboard.press('Enter');
    await panel.waitFor();
    await panel.getByRole('dialog', { name: 'Welcome to Parley' }).waitFor();
    assert.equal(await focused(page), 'name', 'opening put the focus in the login');
    await page.keyboard.type('Visitor');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse');
    await panel.getByRole('button', { name: 'Create account' }).press('Enter');
    await panel.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    // Open on a desktop: no overlay, no modal, the page still answers.
    assert.equal(await page.evaluate(() => document.querySelectorAll(':modal').length), 0);
    await pageUsable(page, '3');
    await checkAxe(page, 'launcher open');
    await panel.getByRole('textbox', { name: 'Message' }).focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'Support', 'Escape put the focus back on the launcher');

    // Someone else writes while the panel is closed: the badge counts it.
    const agent = await openUser(app.browser, `${app.parley.url}/#room=support`);
    await signUp(agent.page, 'Agent');
    await say(agent.page, 'Hello! How can we help?');
    await say(agent.page, 'The blue teapot is back in stock.');
    await page.getByRole('button', { name: 'Support, 2 unread' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('parley-chat [part~=launcher-badge]').textContent(), '2');
    await pageUsable(page, '4');
    await checkAxe(page, 'launcher closed with unread messages');

    await page.getByRole('button', { name: 'Support, 2 unread' }).click();
    await panel.locator('li.msg', { hasText: 'back in stock' }).waitFor();
    await page.getByRole('button', { name: 'Support', exact: true }).waitFor();
    await say(page, 'Great, one please!');
    await agent.page.locator('li.msg', { hasText: 'Great, one please!' }).waitFor();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.screenshot({ path: 'docs/launcher.png' });
    await panel.getByRole('button', { name: 'Close chat' }).click();
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'Support', '"Close chat" put the focus back');
    assert.deepEqual(visitor.problems, []);
    assert.deepEqual(agent.problems, []);
    await visitor.context.close();
    await agent.context.close();
  });

  it('fills the screen of a phone', async () => {
    const context = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(app.site.url);
    const launcher = page.getByRole('button', { name: /^Support/ });
    await launcher.click();
    const panel = page.getByRole('dialog', { name: 'Support' });
    await panel.getByRole('dialog', { name: 'Welcome to Parley' }).waitFor();
    assert.deepEqual(await panel.boundingBox(), { x: 0, y: 0, width: 390, height: 844 });
    await checkAxe(page, 'launcher open on a phone');
    await panel.getByRole('textbox', { name: 'Username' }).fill('Sam');
    await panel.getByLabel('Password').fill('correct horse');
    await panel.getByRole('button', { name: 'Create account' }).click();
    await panel.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    // Nobody else is in the room now to hand over its history: the visitor writes.
    await say(page, 'Is the blue teapot dishwasher safe?');
    await panel.locator('li.msg.own', { hasText: 'dishwasher' }).waitFor();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.screenshot({ path: 'docs/launcher-phone.png' });
    await panel.getByRole('button', { name: 'Close chat' }).click();
    await panel.waitFor({ state: 'hidden' });
    await pageUsable(page, '5');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
