/**
 * Links and formatting end to end (issue 24, item 1), in the built app: a message's
 * `https://` address reaches the other side as a link that opens a new tab with
 * `rel="noopener noreferrer nofollow"` — and that tab has no `window.opener` — while
 * `javascript:alert(1)` stays text; `**strong**`, `` `code` `` and a fenced block (with its
 * "Copy code" button, which copies exactly the code) render in the real list.
 *
 * Nothing leaves the machine: the link's address is answered inside the browser context
 * (`context.route`), never looked up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { say, suiteUsers, useAppAndBrowser } from './harness.js';

const LINK = 'https://example.test/path';
/** What the routed address answers with: a page that can tell whether it has an opener. */
const LANDING = '<!doctype html><title>example landing</title><p>landed</p>';

describe('links and formatting in the app', { timeout: 120_000 }, () => {
  const app = useAppAndBrowser();
  const open = suiteUsers(app);

  it('a link opens a new tab without an opener; javascript: is only text', async () => {
    const [alice, bob] = [await open('#room=links', 'Alice'), await open('#room=links', 'Bob')];
    const asked: string[] = [];
    await bob.context.route('https://example.test/**', (route) => {
      asked.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: LANDING });
    });
    await say(alice.page, `read ${LINK} but never javascript:alert(1) please`);
    const row = bob.page.locator('li.msg', { hasText: 'never javascript:alert(1)' });
    await row.waitFor({ timeout: 20_000 });

    // One link in the row, and it is the https one, as the issue asks. (The row shows the text
    // as typed until the formatter's chunk arrives, then formats it: wait for that.)
    const links = row.locator('a');
    await links.first().waitFor();
    assert.equal(await links.count(), 1);
    const link = links.first();
    assert.equal(await link.getAttribute('href'), LINK);
    assert.equal(await link.getAttribute('target'), '_blank');
    const rel = ((await link.getAttribute('rel')) ?? '').split(/\s+/);
    for (const word of ['noopener', 'noreferrer', 'nofollow']) assert.ok(rel.includes(word), word);
    assert.equal((await link.textContent())?.trim(), LINK);
    // javascript: is in the text, as text: no element carries it anywhere in the row.
    assert.equal(await row.locator('[href^="javascript" i], [src], [onclick]').count(), 0);
    assert.match((await row.locator('.text').textContent()) ?? '', /javascript:alert\(1\)/);

    const tab = bob.context.waitForEvent('page', { timeout: 15_000 });
    await link.click();
    const opened = await tab;
    await opened.waitForLoadState('domcontentloaded');
    assert.equal(opened.url(), LINK);
    assert.equal(await opened.evaluate(() => window.opener === null), true, 'window.opener');
    assert.equal(await opened.title(), 'example landing');
    // No referrer went with it either.
    assert.equal(await opened.evaluate(() => document.referrer), '');
    assert.deepEqual(asked, [LINK]);
    // The app's own tab stayed where it was.
    assert.match(bob.page.url(), /#room=links$/);
    await opened.close();
    assert.deepEqual([...alice.problems, ...bob.problems], []);
  });

  it('**strong**, `code` and a fenced block with its copy button render', async () => {
    const [ann, ben] = [await open('#room=fmt', 'Ann'), await open('#room=fmt', 'Ben')];
    await say(ann.page, 'this is **very important** and `npm test` runs it');
    const code = 'const answer = 42;\nconsole.log(answer);';
    await say(ann.page, `see:\n\`\`\`ts\n${code}\n\`\`\``);

    const inline = ben.page.locator('li.msg', { hasText: 'runs it' });
    await inline.waitFor({ timeout: 20_000 });
    assert.equal(await inline.locator('strong').textContent(), 'very important');
    assert.equal(await inline.locator('code').textContent(), 'npm test');
    // The markers themselves are not shown.
    assert.doesNotMatch((await inline.locator('.text').textContent()) ?? '', /\*\*|`/);

    const fenced = ben.page.locator('li.msg', { hasText: 'console.log' });
    await fenced.waitFor({ timeout: 20_000 });
    const pre = fenced.locator('pre');
    await pre.first().waitFor();
    assert.equal(await pre.count(), 1);
    assert.equal(await pre.textContent(), code);
    const look = await pre.evaluate((el) => {
      const s = getComputedStyle(el);
      return { font: s.fontFamily, overflowX: s.overflowX, wrap: s.whiteSpace };
    });
    assert.match(look.font, /mono/i, 'monospace');
    assert.match(look.overflowX, /auto|scroll/, 'scrolls sideways');
    const copy = fenced.getByRole('button', { name: 'Copy code' });
    await ben.page.bringToFront();
    await copy.click();
    await fenced.getByRole('button', { name: 'Copied' }).waitFor({ timeout: 5_000 });
    assert.equal(await ben.page.evaluate(() => navigator.clipboard.readText()), code);
    // It reads as before after a moment.
    await copy.waitFor({ timeout: 5_000 });
    assert.deepEqual([...ann.problems, ...ben.problems], []);
  });
});
