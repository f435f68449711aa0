/**
 * Connection details on the built app, three users in one room: Ann and Ben on WebRTC (linked
 * directly), Cal on Socket.IO only. Each panel says how every member is reached and shows a
 * measured round trip in ms; "Test STUN/TURN" inside the test network (no internet) ends with
 * its verdict in words, not a spinner.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkAxe,
  chooseTransport,
  openUser,
  rosterShows,
  signUp,
  useAppAndBrowser,
} from './harness.js';

/** A STUN server on the namespace's veth pair, which leads nowhere: it never answers. */
const SILENT_STUN = 'stun:10.77.0.9:3478';

/** Opens Connection details from the header; returns the dialog. */
async function openDetails(page: Page) {
  await page.getByRole('button', { name: 'Connection details' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connection details' });
  await dialog.waitFor();
  return dialog;
}

/** Waits until the panel shows `name` reached `how` with a round trip in ms; returns it. */
async function memberShows(page: Page, name: string, how: string): Promise<number> {
  const member = page.locator('parley-connection .member', { hasText: name });
  await member.locator('.how', { hasText: how }).waitFor({ timeout: 15_000 });
  const rtt = member.locator('.rtt', { hasText: / ms$/ });
  await rtt.waitFor({ timeout: 15_000 });
  return Number.parseInt((await rtt.textContent())!, 10);
}

describe('Connection details', { timeout: 120_000 }, () => {
  const app = useAppAndBrowser();

  it('shows directly / through the server per member with round trips, and a STUN/TURN verdict in words', async () => {
    const url = `${app.server.url}/#room=details`;
    const [ann, ben, cal] = [
      await openUser(app.browser, url),
      await openUser(app.browser, url),
      await openUser(app.browser, url),
    ];
    await signUp(ann.page, 'Ann');
    await signUp(ben.page, 'Ben');
    await signUp(cal.page, 'Cal'); // Socket.IO only
    // Cal's STUN server is an address inside the test network that nobody answers at.
    await cal.page.getByRole('button', { name: 'Settings' }).click();
    const settings = cal.page.getByRole('dialog', { name: 'Settings' });
    await settings.locator('summary', { hasText: 'Advanced' }).click();
    await settings.getByRole('button', { name: 'Use none' }).click();
    await settings.getByRole('button', { name: 'Add server' }).click();
    await settings.getByRole('textbox', { name: 'ICE server 1' }).fill(SILENT_STUN);
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'hidden' });
    await chooseTransport(ann.page, 'WebRTC (peer-to-peer)');
    await chooseTransport(ben.page, 'WebRTC (peer-to-peer)');
    await rosterShows(ann.page, 'Ben', 'direct');
    await rosterShows(ann.page, 'Cal', 'relay');

    const panel = await openDetails(ann.page);
    const toBen = await memberShows(ann.page, 'Ben', 'directly');
    const toCal = await memberShows(ann.page, 'Cal', 'through the server');
    assert.ok(toBen >= 1 && toCal >= 1, `round trips ${toBen} ms, ${toCal} ms`);
    // One entry per person, even after Ben's switch to WebRTC left his old connection behind.
    assert.equal(await ann.page.locator('parley-connection .member').count(), 2);
    // The direct link's path inside one machine: both sides on their device's own address.
    const ben$ = ann.page.locator('parley-connection .member', { hasText: 'Ben' });
    await ben$.getByText('same network (device address)').first().waitFor();
    await panel.locator('.server-rtt', { hasText: / ms$/ }).waitFor();
    await checkAxe(ann.page, 'Connection details open');
    await ann.page.screenshot({ path: 'docs/connection-details.png' });

    // Cal reaches both through the server.
    const calPanel = await openDetails(cal.page);
    await memberShows(cal.page, 'Ann', 'through the server');
    await memberShows(cal.page, 'Ben', 'through the server');
    await calPanel.getByRole('button', { name: 'Test STUN/TURN' }).click();
    const result = calPanel.locator('[part=result]');
    await result.filter({ hasText: 'Testing' }).waitFor();
    await result.filter({ hasNotText: 'Testing' }).filter({ hasText: 'direct links' }).waitFor({
      timeout: 10_000,
    });
    const words = (await result.textContent())!.trim();
    assert.equal(
      words,
      'No STUN or TURN server answered within 5 s: direct links will work only between ' +
        'devices on the same network; messages still go through the server.',
    );
    for (const u of [ann, ben, cal]) {
      assert.deepEqual(u.problems, []);
      await u.context.close();
    }
  });
});
