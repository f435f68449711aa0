import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openUser, shownTexts, useAppAndBrowser } from './harness.js';

/** The focused element, looked up through shadow roots, as "tag:accessible label". */
function focused(page: Page): Promise<{ label: string; ring: string }> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return { label: '', ring: 'none' };
    const aria = el.getAttribute('aria-label');
    const labels = (el as HTMLInputElement).labels;
    const label = labels?.length ? labels[0]!.textContent : null;
    const text = aria ?? label ?? el.textContent ?? '';
    const style = getComputedStyle(el);
    // A visible focus indicator: an outline (or a box shadow standing in for one).
    const ring =
      style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1
        ? `outline ${style.outlineWidth}`
        : style.boxShadow !== 'none'
          ? 'shadow'
          : 'none';
    return { label: `${el.localName}:${text.trim().replace(/\s+/g, ' ')}`, ring };
  });
}

/** Presses Tab (or Shift+Tab) until the focused control's label matches; fails after 40. */
async function tabTo(page: Page, want: RegExp, back = false) {
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    const now = await focused(page);
    if (want.test(now.label)) {
      assert.notEqual(now.ring, 'none', `${now.label} shows where the focus is`);
      return;
    }
    seen.push(now.label);
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`never reached ${want} by keyboard; passed ${seen.join(' → ')}`);
}

describe('keyboard only', { timeout: 120_000 }, () => {
  const app = useAppAndBrowser();

  it('signs up, changes room, sends, switches transport in Settings and logs out without a mouse', async () => {
    const { page, problems } = await openUser(app.browser, `${app.server.url}/#room=keys`);
    await page.getByRole('dialog').waitFor();
    // The popup takes the focus, and Tab stays inside it.
    await tabTo(page, /^input:Username/);
    await page.keyboard.type('Kim');
    await tabTo(page, /^input:Password/);
    await page.keyboard.type('correct horse');
    const inside: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      inside.push((await focused(page)).label);
    }
    // Past the popup's last control the focus may visit the browser's own UI (`body`), never
    // the page behind the popup.
    assert.ok(
      inside.every((l) => /^(input|button):|^body:$/.test(l)),
      `focus stays in the popup: ${inside.join(' → ')}`,
    );
    await tabTo(page, /^button:Create account/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });

    await tabTo(page, /^input:Room/);
    await page.keyboard.type('keyboard-room');
    // A public room (a private one is the default), ticked and joined from the keyboard.
    await tabTo(page, /^input:Public room/);
    await page.keyboard.press('Space');
    await tabTo(page, /^button:Join/);
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'keyboard-room' }).waitFor();

    await tabTo(page, /^textarea:Message/);
    await page.keyboard.type('typed, never clicked');
    await page.keyboard.press('Enter');
    await page.locator('li.msg', { hasText: 'typed, never clicked' }).waitFor();
    assert.deepEqual(await shownTexts(page), ['typed, never clicked']);

    await tabTo(page, /^button:Settings/, true);
    await page.keyboard.press('Enter');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    await tabTo(page, /^input:Socket\.IO relay/);
    await page.keyboard.press('ArrowDown'); // radios move with the arrow keys
    assert.match((await focused(page)).label, /^input:WebRTC/);
    await tabTo(page, /^button:Save/);
    await page.keyboard.press('Enter');
    await settings.waitFor({ state: 'hidden' });
    // Closing the panel puts the focus back where it was opened from.
    assert.match((await focused(page)).label, /^button:Settings/);
    await page
      .locator('.conn', { hasText: 'Connected' })
      .filter({ hasNotText: 'switching' })
      .waitFor();

    await page.keyboard.press('Enter');
    await settings.waitFor();
    await page.keyboard.press('Escape');
    await settings.waitFor({ state: 'hidden' });

    await tabTo(page, /^button:Log out/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.match((await focused(page)).label, /^input:Username/, 'the popup takes the focus again');
    assert.deepEqual(problems, []);
  });
});
