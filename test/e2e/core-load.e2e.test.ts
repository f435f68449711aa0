/**
 * The chat's core comes in a chunk of its own, fetched once the login box is drawn (see
 * src/internal/load-order.ts) and, for a visitor who is not logged in, only once they turn to
 * the chat (src/components/chat/chat-intent.ts). When the server goes away between the first
 * file and that one, an embedded chat says so in words — on screen and to the page — instead
 * of leaving a login box that can never log in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useAppOnSite } from './harness.js';

const shopPage = (parley: string) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Shop</title>
    <script type="module" src="${parley}/lib/parley.js"></script></head>
  <body>
    <parley-chat room="support" server="${parley}" style="height:480px;width:380px"></parley-chat>
    <script>
      window.errors = [];
      document.querySelector('parley-chat').addEventListener('parley-error', (e) =>
        window.errors.push(e.detail));
    </script>
  </body>
</html>`;

/** Resolves once the page has been idle twice in a row (a core asked for at load would be). */
const idleTwice = () =>
  new Promise<void>((done) =>
    requestIdleCallback(() => requestIdleCallback(() => setTimeout(done, 200))),
  );

describe("the chat's core cannot be fetched", { timeout: 60_000 }, () => {
  const app = useAppOnSite((url) => ({ '/': shopPage(url) }));

  it('says the chat could not be loaded, on screen and to the page', async () => {
    const context = await app.browser.newContext();
    try {
      const page = await context.newPage();
      let refused = 0;
      // The room's chunk (the chat's core) is refused, as by a server that went away.
      await page.route(/\/lib\/room-[^/]*\.js$/, (route) => {
        refused++;
        return route.abort('connectionrefused');
      });
      await page.goto(app.site.url);
      // A visitor who has not turned to the chat yet: its core is not fetched.
      const name = page.getByRole('textbox', { name: 'Username' });
      await name.waitFor();
      await page.evaluate(idleTwice);
      assert.equal(refused, 0, 'the core waits for the visitor');
      await name.click();
      const banner = page.getByRole('alert');
      await banner.filter({ hasText: "couldn't load the rest of the chat" }).waitFor();
      assert.ok(refused > 0, 'the core was asked for');
      assert.match(await banner.first().innerText(), /Reload the page to try again/);
      const errors = (await page.evaluate('window.errors')) as Array<{ code: string }>;
      assert.deepEqual(
        errors.map((e) => e.code),
        ['load-failed'],
      );
    } finally {
      await context.close();
    }
  });
});
