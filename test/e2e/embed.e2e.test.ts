import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ParleyServer } from '../../signaling/server.js';
import {
  launchChromium,
  openUser,
  rosterShows,
  say,
  signUp,
  startAppServer,
  waitForCount,
} from './harness.js';

/** Serves `examples/embed.html` on its own origin, pointed at the Parley server `parley`. */
async function serveEmbedPage(parley: string): Promise<{ url: string; server: Server }> {
  const page = (await readFile('examples/embed.html', 'utf8')).replaceAll(
    'http://localhost:8080',
    parley,
  );
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/embed.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Texts shown by one embedded chat. */
const textsIn = (chat: Locator) => chat.locator('li.msg .text').allTextContents();

async function sayIn(chat: Locator, text: string) {
  const box = chat.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

describe('embedding <parley-chat> in another site', { timeout: 120_000 }, () => {
  let parley: ParleyServer;
  let site: { url: string; server: Server };
  let browser: Browser;
  before(async () => {
    parley = await startAppServer();
    site = await serveEmbedPage(parley.url);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await parley?.close();
  });

  it('chats with the full app, keeps its two rooms apart, follows attribute changes', async () => {
    const visitor = await openUser(browser, site.url);
    const page: Page = visitor.page;
    const support = page.locator('#support');
    const sales = page.locator('#sales');
    // One login for both chats: they share a database, so the second follows the first.
    const dialog = page.getByRole('dialog').last();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('Visitor');
    await dialog.getByLabel('Password').fill('correct horse');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    for (const chat of [support, sales]) {
      await chat.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    }

    const agent = await openUser(browser, `${parley.url}/#room=support`);
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
      await chat.locator('[part~=user]', { hasText: 'Ann Acme' }).waitFor();
      assert.equal(await chat.getByRole('button', { name: 'Log out' }).count(), 0);
    }
    assert.equal(await page.getByRole('dialog').count(), 0, 'no login popup');
    await agent.page.goto(`${parley.url}/#room=billing`);
    await rosterShows(agent.page, 'Ann Acme', 'relay');
    await sayIn(support, 'signed in by the site');
    await waitForCount(agent, 'signed in by the site', 1);
    assert.match((await log.textContent()) ?? '', /support: parley-login .*"name":"Ann Acme"/);
    assert.deepEqual(visitor.problems, []);
    assert.deepEqual(agent.problems, []);
  });
});
