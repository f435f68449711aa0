/**
 * Our message goes on the wire as soon as it is signed, while it is being stored: a reload
 * right after Enter — before the write committed, or racing it — loses nothing and doubles
 * nothing, on either side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  allDelivered,
  holdMessageStores,
  numbered,
  openUser,
  ownStatuses,
  rosterShows,
  say,
  signUp,
  useAppAndBrowser,
  waitForCount,
  type User,
} from './harness.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers the page's "leave page?" question with Leave (as a person who reloads anyway). */
function leaveWhenAsked(user: User): string[] {
  const asked: string[] = [];
  user.page.removeAllListeners('dialog');
  user.page.on('dialog', (d) => {
    asked.push(d.type());
    void d.accept();
  });
  return asked;
}

/** Waits until `page` shows every one of `texts` exactly once; fails with what it shows. */
async function showsOnce(user: User, prefix: string, texts: string[], timeout = 30_000) {
  await waitForCount(user, prefix, texts.length, timeout);
  await pause(500); // a repeat would show by now
  assert.deepEqual(await numbered(user, prefix), texts);
}

/** Waits until the reloaded chat is back in its room and linked. */
async function chatBack(page: Page) {
  await page.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
}

describe('a reload right after Enter', { timeout: 240_000 }, () => {
  const app = useAppAndBrowser();

  it('before the write committed: the other side has it, and so do we after the reload, once', async () => {
    const url = `${app.server.url}/#room=early-reload`;
    const [ola, pia] = [await openUser(app.browser, url), await openUser(app.browser, url)];
    await signUp(ola.page, 'Ola');
    await signUp(pia.page, 'Pia');
    await rosterShows(ola.page, 'Pia', 'relay');
    await say(ola.page, 'first-stored');
    await allDelivered(ola.page);
    // Storage held: the message goes out, but its write cannot commit before the reload.
    await holdMessageStores(ola.page);
    await say(ola.page, 'first-unstored');
    assert.deepEqual(await ownStatuses(ola.page), ['delivered', 'saving']);
    await waitForCount(pia, 'first-', 2);
    const asked = leaveWhenAsked(ola);
    await ola.page.reload();
    assert.deepEqual(asked, ['beforeunload'], 'the page asked before it went (a write pending)');
    await chatBack(ola.page);
    // Ours came back from Pia's history (catch-up), as it would after a crash.
    await showsOnce(ola, 'first-', ['first-stored', 'first-unstored']);
    await showsOnce(pia, 'first-', ['first-stored', 'first-unstored']);
    await say(ola.page, 'first-after');
    await showsOnce(pia, 'first-', ['first-stored', 'first-unstored', 'first-after']);
    assert.deepEqual(ola.problems, []);
  });

  it('racing the write, five times: every message once on both sides, all delivered', async () => {
    const url = `${app.server.url}/#room=racing-reload`;
    const [ola, pia] = [await openUser(app.browser, url), await openUser(app.browser, url)];
    await signUp(ola.page, 'Ola');
    await signUp(pia.page, 'Pia');
    await rosterShows(ola.page, 'Pia', 'relay');
    leaveWhenAsked(ola);
    const sent: string[] = [];
    for (let k = 1; k <= 5; k++) {
      const text = `race-${k}`;
      await say(ola.page, text);
      sent.push(text);
      await ola.page.reload();
      await chatBack(ola.page);
    }
    await showsOnce(pia, 'race-', sent);
    await showsOnce(ola, 'race-', sent);
    await allDelivered(ola.page);
    assert.deepEqual(ola.problems, []);
  });
});
