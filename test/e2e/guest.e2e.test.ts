import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAxe, openUser, signUp, useAppOnSite } from './harness.js';

/**
 * A shop on another origin with two guest chats (one asks for an email for a reply): they share
 * the page's database, so the visitor's account is one. Each login the page hears is logged.
 */
const SHOP_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Bakery</title>
    <script type="module" src="http://localhost:8080/lib/parley.js"></script>
  </head>
  <body style="margin:0">
    <main>
      <h1>Bakery</h1>
      <section aria-label="Ask the bakery">
        <parley-chat id="help" guest ask-email room="help" server="http://localhost:8080"
          greeting="Questions? Ask the bakery" style="height:560px;max-width:420px"></parley-chat>
      </section>
      <section aria-label="Orders">
        <parley-chat id="orders" guest room="orders" server="http://localhost:8080"
          style="height:420px;max-width:420px"></parley-chat>
      </section>
    </main>
    <script>
      window.logins = [];
      for (const chat of document.querySelectorAll('parley-chat'))
        chat.addEventListener('parley-login', (e) => window.logins.push(chat.id + ' ' + e.detail.userId + ' ' + e.detail.name));
    </script>
  </body>
</html>`;

/** The logins the shop page heard. */
const logins = (page: Page) =>
  page.evaluate(() => (window as unknown as { logins: string[] }).logins);

describe('a guest visitor on a shop page of another origin', { timeout: 120_000 }, () => {
  const app = useAppOnSite((url) => ({
    '/shop.html': SHOP_PAGE.replaceAll('http://localhost:8080', url),
  }));

  it('asks with no account, and finds her conversation and identity after a reload', async () => {
    const agent = await openUser(app.browser, `${app.parley.url}/#room=help`);
    await signUp(agent.page, 'Agent');

    // A fresh browser profile, on a phone's width.
    const visitor = await openUser(app.browser, 'about:blank');
    await visitor.page.setViewportSize({ width: 390, height: 844 });
    const page = visitor.page;
    await page.goto(`${app.site.url}shop.html`);
    const help = page.locator('#help');
    const question = help.getByRole('textbox', { name: 'Your question' });
    await question.waitFor();
    assert.equal(
      await page.locator('input[type=password]:visible').count(),
      0,
      'no password field',
    );
    assert.equal(await help.getByRole('dialog').count(), 0, 'no login box');
    const who = (await help.locator('[part~=who]').textContent())!.replace(/\s+/g, ' ').trim();
    const name = /^You appear as (Visitor \d{4}) — give a name$/.exec(who)?.[1];
    assert.ok(name, `"${who}"`);
    await help.getByRole('textbox', { name: /Email for a reply/ }).waitFor();
    await checkAxe(page, 'a guest before her first message');

    await question.fill('Hi, do you have gluten-free bread?');
    await question.press('Enter');
    await help.locator('li.msg.own', { hasText: 'gluten-free bread' }).waitFor();
    const row = agent.page.locator('li.msg', { hasText: 'gluten-free bread' });
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.locator('[part~=author]').textContent(), name);
    const fingerprint = await row.locator('[part~=author]').getAttribute('data-fp');
    // Under the message box, who she appears as; the other chat of the page is her too.
    await help.locator('[part~=who]', { hasText: `You appear as ${name} — give a name` }).waitFor();
    await page.locator('#orders').getByRole('textbox', { name: 'Message' }).waitFor();
    const first = await logins(page);
    const id = first[0]!.split(' ')[1];
    assert.deepEqual(first.sort(), [`help ${id} ${name}`, `orders ${id} ${name}`]);
    await help.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    await checkAxe(page, 'a guest in the room');

    await page.reload();
    await help.locator('li.msg.own', { hasText: 'gluten-free bread' }).waitFor();
    assert.equal(await help.getByRole('textbox', { name: 'Your question' }).count(), 0);
    assert.deepEqual((await logins(page)).sort(), [`help ${id} ${name}`, `orders ${id} ${name}`]);
    await help.getByRole('textbox', { name: 'Message' }).fill('And rye?');
    await help.getByRole('textbox', { name: 'Message' }).press('Enter');
    const second = agent.page.locator('li.msg', { hasText: 'And rye?' });
    await second.waitFor({ timeout: 20_000 });
    // The same identity: every name the agent sees for her has the same fingerprint, and
    // nothing warns of a new key under an old name.
    const prints = await agent.page
      .locator('[part~=author]', { hasText: name })
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-fp')));
    assert.ok(fingerprint && prints.length > 0);
    assert.deepEqual(new Set(prints), new Set([fingerprint]));
    assert.equal(await agent.page.locator('[part~=warning]').count(), 0);
    assert.deepEqual(visitor.problems, []);
    assert.deepEqual(agent.problems, []);
    await visitor.context.close();
    await agent.context.close();
  });
});
