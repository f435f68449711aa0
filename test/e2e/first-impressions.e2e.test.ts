import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import {
  checkAxe,
  chooseTransport,
  connectedOn,
  focusedOn,
  openUser,
  rosterShows,
  say,
  signUp,
  useAppAndBrowser,
  waitForCount,
} from './harness.js';

/** The focused element's accessible name, looked up through shadow roots. */
async function focusedName(page: Page): Promise<string> {
  const el = await focusedOn(page);
  return el?.ariaLabel ?? el?.text.trim() ?? '';
}

describe('first impressions', { timeout: 180_000 }, () => {
  const app = useAppAndBrowser();

  it('puts the focus in the message box after logging in and after joining a room', async () => {
    const { page, problems } = await openUser(app.browser, `${app.server.url}/#room=focus`);
    await signUp(page, 'Fiona');
    assert.equal(await focusedName(page), 'Message', 'after logging in');
    await page.getByRole('textbox', { name: 'Room' }).fill('elsewhere');
    await page.getByRole('checkbox', { name: 'Public room' }).check();
    await page.getByRole('button', { name: 'Join' }).click();
    await page.locator('h1', { hasText: 'elsewhere' }).waitFor();
    assert.equal(await focusedName(page), 'Message', 'after joining a room');
    assert.deepEqual(problems, []);
  });

  it('says what "This browser\'s tabs" means before it is chosen, and shows tabs only after', async () => {
    const { page } = await openUser(app.browser, `${app.server.url}/#room=tabs-only`);
    await signUp(page, 'Tess');
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('radio', { name: "This browser's tabs" }).waitFor();
    const hint = settings.getByText('Only other tabs of this browser will see your messages');
    assert.equal(await hint.isVisible(), true, 'said before it is chosen');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await chooseTransport(page, "This browser's tabs");
    const state = page.locator('.conn', { hasText: 'Tabs only · 1 here' });
    await state.waitFor();
    assert.equal(await page.locator('.conn.connected').count(), 0, 'not the connected green');
    await checkAxe(page, 'tabs only');
  });

  it('checks a server before saving it: an unreachable one gets an inline error and the working one can be kept', async () => {
    // A server that takes connections and never answers them: the check must wait, then say so.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const address = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const { page, problems } = await openUser(app.browser, `${app.server.url}/#room=servers`);
    await signUp(page, 'Sam');
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const field = settings.getByRole('textbox', { name: 'Server URLs' });
    await field.fill(address);
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Checking…').waitFor();
    const error = settings.getByRole('alert').filter({ hasText: 'Could not reach' });
    await error.waitFor({ timeout: 10_000 });
    assert.equal(
      await error.textContent().then((t) => t?.trim()),
      `Could not reach ${address}: no answer within 4 s.`,
    );
    sockets.forEach((s) => s.destroy());
    silent.close();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await settings.isVisible(), true, 'nothing was saved');
    await checkAxe(page, 'an unreachable server in the settings');
    await settings.getByRole('button', { name: 'Keep the current server' }).click();
    assert.equal(await field.inputValue(), '');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'hidden' });
    await connectedOn(page);
    assert.equal(await page.locator('.conn', { hasText: 'Connected' }).count(), 1);
    assert.deepEqual(problems, []);
  });

  it('on a phone (390 × 844): one header row, 44 px targets, no key hint, the member list a tap away', async () => {
    const room = `${app.server.url}/#room=phone`;
    const friend = await openUser(app.browser, room);
    await signUp(friend.page, 'Pat');
    const context = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(room);
    await signUp(page, 'Quinn');
    const header = page.locator('header');
    const box = (await header.boundingBox())!;
    assert.ok(box.height <= 64, `one row: the header is ${box.height}px tall`);
    for (const name of [/^Members \(2\)$/, /^Menu$/]) {
      const b = (await page.getByRole('button', { name }).boundingBox())!;
      assert.ok(
        b.height >= 44 && b.width >= 44,
        `${name} is a 44px target (${b.width}×${b.height})`,
      );
    }
    const send = (await page.getByRole('button', { name: 'Send' }).boundingBox())!;
    assert.ok(send.height >= 44, `Send is ${send.height}px tall`);
    assert.equal(await page.getByText('Shift+Enter').isVisible(), false, 'no keyboard hint');
    await say(friend.page, 'Are you on your phone?');
    await say(page, 'Yes, and the header still fits in one row.');
    await page.locator('li.msg', { hasText: 'Are you on your phone?' }).waitFor();
    await page.locator('li.msg .status', { hasText: 'delivered' }).waitFor();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.screenshot({ path: 'docs/screenshot-phone.png' });
    await page.getByRole('button', { name: 'Members (2)' }).click();
    await rosterShows(page, 'Pat', 'relay');
    assert.equal(
      await page.getByRole('button', { name: 'Members (2)' }).getAttribute('aria-expanded'),
      'true',
    );
    await checkAxe(page, 'member list open on a phone');
    await page.keyboard.press('Escape');
    await page.locator('parley-roster').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Settings' }).waitFor();
    await checkAxe(page, 'menu open on a phone');
    await context.close();
    await friend.context.close();
  });

  it('a chat squeezed to 240 px still shows its messages and a usable composer', async () => {
    const context = await app.browser.newContext({ viewport: { width: 240, height: 560 } });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/#room=narrow`);
    await signUp(page, 'Nia');
    await say(page, 'fits in a narrow box');
    const message = page.locator('li.msg', { hasText: 'fits in a narrow box' });
    await message.waitFor();
    for (const target of [message, page.getByRole('textbox', { name: 'Message' })]) {
      const b = (await target.boundingBox())!;
      assert.ok(b.x >= 0 && b.x + b.width <= 240, `inside the 240px box: ${JSON.stringify(b)}`);
    }
    const send = page.getByRole('button', { name: 'Send' });
    await page.getByRole('textbox', { name: 'Message' }).fill('sent with the button');
    await send.click();
    await waitForCount({ context, page, problems: [] }, 'sent with the button', 1);
    await connectedOn(page);
    await context.close();
  });
});
