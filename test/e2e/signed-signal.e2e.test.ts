/**
 * A signaling server that changes an SDP answer on the way cannot get a direct link: the
 * browser that receives it finds the signature wrong, stays on the relay for that member and
 * says so on the page. The meddling is this test's own (a packet middleware on the real server
 * started in this process), never something the production server can be told to do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseTransport,
  openUser,
  rosterShows,
  say,
  signUp,
  useAppAndBrowser,
  waitForCount,
  type User,
} from './harness.js';

describe('signed WebRTC offers and answers', { timeout: 180_000 }, () => {
  const suite = useAppAndBrowser();
  /** Whether the server changes the answers passing through it now. */
  let meddling = false;

  /**
   * Changes every SDP answer a browser sends while `meddling`, before the server forwards it.
   * The change is harmless to WebRTC (a new session name): only the signature can catch it,
   * so a link that opens anyway would show the check missing, not a broken connection.
   */
  function meddle(): void {
    suite.server.io.on('connection', (socket) => {
      socket.use((packet, next) => {
        const [event, , data] = packet as [string, unknown, { type?: string; sdp?: string }];
        if (meddling && event === 'signal:to' && data?.type === 'answer' && data.sdp)
          data.sdp = data.sdp.replace(/^s=.*$/m, 's=meddled');
        next();
      });
    });
  }

  async function user(room: string, name: string): Promise<User> {
    const u = await openUser(suite.browser, `${suite.server.url}/#room=${room}`);
    await signUp(u.page, name);
    await chooseTransport(u.page, 'WebRTC (peer-to-peer)');
    return u;
  }

  it('an answer changed by the server: no direct link, a visible warning, messages through the relay', async () => {
    meddle();
    // Untouched, two browsers here link directly: the setting up works.
    const cat = await user('trusted', 'Cat');
    const dan = await user('trusted', 'Dan');
    await rosterShows(cat.page, 'Dan', 'direct');
    await rosterShows(dan.page, 'Cat', 'direct');

    meddling = true;
    const ann = await user('meddled', 'Ann');
    const ben = await user('meddled', 'Ben');
    // The dialer (whichever has the smaller connection id) receives the changed answer.
    const warning =
      /Could not verify (Ann|Ben)'s direct-connection offer — messages to them go through the server\./;
    // Shown as a notice under the top bar (the closed Settings panel holds it too, unseen).
    const bannerOf = (u: User) =>
      u.page.locator('[part~="banner"][role="status"]', { hasText: warning });
    const warned = await Promise.any(
      [ann, ben].map(async (u) => {
        await bannerOf(u).waitFor({ timeout: 20_000 });
        return u;
      }),
    );
    const other = warned === ann ? 'Ben' : 'Ann';
    const banner = bannerOf(warned);
    assert.equal(await banner.count(), 1, 'shown once, as a notice under the top bar');
    assert.equal(await banner.isVisible(), true);
    assert.match((await banner.textContent()) ?? '', new RegExp(`verify ${other}'s`));

    await rosterShows(ann.page, 'Ben', 'relay');
    await rosterShows(ben.page, 'Ann', 'relay');
    await new Promise((r) => setTimeout(r, 2000)); // time enough for a link to open, if it would
    await rosterShows(ann.page, 'Ben', 'relay', 1000);
    await rosterShows(ben.page, 'Ann', 'relay', 1000);

    await say(ann.page, 'from-ann through the relay');
    await say(ben.page, 'from-ben through the relay');
    await waitForCount(ben, 'from-ann', 1);
    await waitForCount(ann, 'from-ben', 1);
    for (const u of [ann, ben, cat, dan]) assert.deepEqual(u.problems, []);
    await Promise.all([ann, ben, cat, dan].map((u) => u.context.close()));
  });
});
