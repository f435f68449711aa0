/**
 * Rooms at a glance (issue 15): the room list with unread counts that clear on reading, typed
 * room names made room names with the typed form as title, a draft per room that never goes to
 * another room, axe on the list, and the list reached and used with the keyboard only.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkAxe,
  connectedOn,
  focusedOn,
  openUser,
  say,
  shownTexts,
  signUp,
  type User,
  useAppAndBrowser,
} from './harness.js';

/** Joins the public room typed as `typed` through the header's room form. */
async function join(page: Page, typed: string) {
  await page.getByRole('textbox', { name: 'Room' }).fill(typed);
  await page.getByRole('checkbox', { name: 'Public room' }).check();
  await page.getByRole('button', { name: 'Join' }).click();
  await connectedOn(page);
}

const list = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
/** The button of the room titled `title` in the list. */
const roomButton = (page: Page, title: string) =>
  list(page).locator('button.open', { has: page.locator('.title', { hasText: title }) });
/** The unread count the list shows for `title` ('' when none). */
async function unreadOf(page: Page, title: string): Promise<string> {
  const badge = roomButton(page, title).locator('.unread');
  return (await badge.count()) ? ((await badge.textContent()) ?? '').trim() : '';
}
/** Waits until the list shows `want` unread for `title`. */
async function waitUnread(page: Page, title: string, want: string) {
  const end = Date.now() + 15_000;
  for (;;) {
    const got = await unreadOf(page, title);
    if (got === want) return;
    if (Date.now() > end) assert.fail(`${title}: "${got}" unread, wanted "${want}"`);
    await page.waitForTimeout(50);
  }
}

describe('rooms at a glance', { timeout: 180_000 }, () => {
  const app = useAppAndBrowser();
  let ann: User;
  let bob: User;

  before(async () => {
    ann = await openUser(app.browser, `${app.server.url}/#room=lobby`);
    bob = await openUser(app.browser, `${app.server.url}/#room=lobby`);
    await signUp(ann.page, 'Ann');
    await signUp(bob.page, 'Bob');
  });

  it('makes typed names rooms and keeps the typed form as their title', async () => {
    await join(ann.page, 'Design Team');
    assert.match(ann.page.url(), /#room=design-team$/);
    await ann.page.getByRole('heading', { level: 1, name: /Design Team/ }).waitFor();
    await join(ann.page, '#Ops');
    assert.match(ann.page.url(), /#room=ops$/);
    // Most recent first: by the newest message, or the join for a room without one.
    const titles = list(ann.page).locator('.title');
    for (let i = 0; i < 100 && (await titles.count()) < 3; i++) await ann.page.waitForTimeout(50);
    assert.deepEqual(await titles.allTextContents(), ['Ops', 'Design Team', 'lobby']);
    await join(ann.page, 'lobby');
  });

  it('counts what arrives in the rooms not on screen, and clears a count on reading', async () => {
    await join(bob.page, 'design-team');
    await say(bob.page, 'new logo is up');
    await say(bob.page, 'thoughts?');
    await join(bob.page, 'ops');
    await say(bob.page, 'deploy at 5');
    await waitUnread(ann.page, 'Design Team', '2 unread');
    await waitUnread(ann.page, 'Ops', '1 unread');
    assert.equal(await unreadOf(ann.page, 'lobby'), '');
    const last = list(ann.page).locator('li', { hasText: 'Ops' }).locator('.last');
    assert.equal((await last.textContent())?.trim(), 'Bob: deploy at 5');

    await roomButton(ann.page, 'Design Team').click();
    await ann.page.locator('li.msg', { hasText: 'thoughts?' }).waitFor();
    await roomButton(ann.page, 'lobby').click();
    await connectedOn(ann.page);
    assert.equal(await unreadOf(ann.page, 'Design Team'), '', 'read: no count');
    assert.equal(await unreadOf(ann.page, 'Ops'), '1 unread', 'Ops not read yet');
    await checkAxe(ann.page, 'the room list with unread counts');
    await ann.page.setViewportSize({ width: 1280, height: 760 });
    await ann.page.screenshot({ path: 'docs/rooms.png' });
    // On a phone the list is a drawer behind "Rooms".
    await ann.page.setViewportSize({ width: 390, height: 844 });
    await ann.page.getByRole('button', { name: 'Rooms' }).click();
    await list(ann.page).waitFor();
    await checkAxe(ann.page, 'the room drawer on a phone');
    await ann.page.screenshot({ path: 'docs/rooms-phone.png' });
    await ann.page.keyboard.press('Escape');
    await list(ann.page).waitFor({ state: 'hidden' });
    await ann.page.setViewportSize({ width: 960, height: 640 });
  });

  it('keeps a draft per room, never sending it to another room', async () => {
    await roomButton(ann.page, 'lobby').click();
    await connectedOn(ann.page);
    const box = ann.page.getByRole('textbox', { name: 'Message' });
    await box.fill('half a thought for the lobby');
    await roomButton(ann.page, 'Ops').click();
    await connectedOn(ann.page);
    assert.equal(await box.inputValue(), '', 'the draft stays in the lobby');
    await say(ann.page, 'on it');
    await bob.page.locator('li.msg', { hasText: 'on it' }).waitFor();
    await roomButton(ann.page, 'lobby').click();
    await connectedOn(ann.page);
    assert.equal(await box.inputValue(), 'half a thought for the lobby');
    assert.ok(!(await shownTexts(bob.page)).includes('half a thought for the lobby'));
    await ann.page.reload();
    await connectedOn(ann.page);
    await ann.page.waitForFunction(
      () =>
        document
          .querySelector('parley-chat')
          ?.shadowRoot?.querySelector('parley-composer')
          ?.shadowRoot?.querySelector('textarea')?.value === 'half a thought for the lobby',
    );
  });

  it('reaches the list and switches rooms with the keyboard only', async () => {
    const page = ann.page;
    await page.getByRole('textbox', { name: 'Message' }).focus();
    let onRoom = false;
    for (let i = 0; i < 40 && !onRoom; i++) {
      await page.keyboard.press('Shift+Tab');
      const el = await focusedOn(page);
      onRoom = el?.classes.includes('open') === true && el.text.includes('Design Team');
    }
    assert.ok(onRoom, 'Shift+Tab reaches "Design Team" in the room list');
    await page.keyboard.press('Enter');
    await connectedOn(page);
    assert.match(page.url(), /#room=design-team$/);
  });

  it('leaves a room, asking about its messages', async () => {
    await roomButton(ann.page, 'Ops').click();
    await connectedOn(ann.page);
    await list(ann.page).getByRole('button', { name: 'Leave room' }).click();
    await list(ann.page)
      .getByRole('radio', { name: /Delete its messages/ })
      .check();
    await list(ann.page).getByRole('button', { name: 'Leave room' }).last().click();
    await list(ann.page).locator('.title', { hasText: 'Ops' }).waitFor({ state: 'detached' });
    assert.doesNotMatch(ann.page.url(), /#room=ops$/, 'moved to another room');
    await connectedOn(ann.page);
    assert.deepEqual(ann.problems, []);
    assert.deepEqual(bob.problems, []);
  });
});
