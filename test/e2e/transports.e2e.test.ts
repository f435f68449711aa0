import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseTransport,
  connectedOn,
  openUser,
  rosterLines,
  rosterShows,
  say,
  shownTexts,
  signUp,
  startAppServer,
  type User,
  useAppAndBrowser,
  numbered,
  waitForCount,
} from './harness.js';

describe('WebRTC, switching and tabs', { timeout: 240_000 }, () => {
  const app = useAppAndBrowser();
  const users: User[] = [];
  const open = async (room: string) => {
    const u = await openUser(app.browser, `${app.server.url}/#room=${room}`);
    users.push(u);
    return u;
  };

  it('two users chat over WebRTC data channels', async () => {
    const [ann, ben] = [await open('rtc-two'), await open('rtc-two')];
    await signUp(ann.page, 'Ann');
    await signUp(ben.page, 'Ben');
    await chooseTransport(ann.page, 'WebRTC (peer-to-peer)');
    await chooseTransport(ben.page, 'WebRTC (peer-to-peer)');
    await rosterShows(ann.page, 'Ben', 'direct');
    await rosterShows(ben.page, 'Ann', 'direct');
    await say(ann.page, 'hello over a data channel');
    await ben.page.locator('li.msg', { hasText: 'hello over a data channel' }).waitFor();
    await say(ben.page, 'and back');
    await ann.page.locator('li.msg', { hasText: 'and back' }).waitFor();
    // The choice is remembered: after a reload the link is direct again.
    await ben.page.reload();
    await connectedOn(ben.page);
    await rosterShows(ben.page, 'Ann', 'direct');
    // No ghosts: one line per person once the switch overlap is over.
    await ann.page.waitForTimeout(2000);
    assert.deepEqual(await rosterLines(ann.page), ['Ann (you)', 'Ben · directly']);
    assert.deepEqual(await rosterLines(ben.page), ['Ben (you)', 'Ann · directly']);
    await ann.page.screenshot({ path: 'docs/screenshot-webrtc.png' });
  });

  it('three users in one mesh each see every message exactly once', async () => {
    const trio = [await open('rtc-three'), await open('rtc-three'), await open('rtc-three')];
    const names = ['Cat', 'Dan', 'Eve'];
    for (const [i, u] of trio.entries()) {
      await signUp(u.page, names[i]!);
      await chooseTransport(u.page, 'WebRTC (peer-to-peer)');
    }
    for (const [i, u] of trio.entries()) {
      for (const [j, name] of names.entries())
        if (i !== j) await rosterShows(u.page, name, 'direct');
    }
    for (const [i, u] of trio.entries()) {
      for (let k = 0; k < 5; k++) await say(u.page, `m${i}-${k}`);
    }
    const expected = trio
      .flatMap((_, i) => Array.from({ length: 5 }, (_, k) => `m${i}-${k}`))
      .sort();
    for (const u of trio) {
      await waitForCount(u, 'm', 15);
      await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up, if any
      assert.deepEqual((await numbered(u, 'm')).sort(), expected);
    }
  });

  it('a user switches Socket.IO → WebRTC → Socket.IO while the other sends 100 messages: nothing lost, nothing twice', async () => {
    const [fay, gus] = [await open('switching'), await open('switching')];
    await signUp(fay.page, 'Fay');
    await signUp(gus.page, 'Gus');
    const want = Array.from({ length: 100 }, (_, i) => `n${String(i + 1).padStart(3, '0')}`);
    const sending = (async () => {
      for (const text of want) {
        await say(gus.page, text);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await fay.page.locator('li.msg', { hasText: 'n010' }).waitFor();
    await chooseTransport(fay.page, 'WebRTC (peer-to-peer)');
    await connectedOn(fay.page);
    await say(fay.page, 'fay on webrtc');
    await fay.page.locator('li.msg', { hasText: 'n050' }).waitFor({ timeout: 30_000 });
    await chooseTransport(fay.page, 'Socket.IO relay');
    await connectedOn(fay.page);
    await say(fay.page, 'fay back on the relay');
    await sending;
    for (const u of [fay, gus]) {
      await u.page.locator('li.msg', { hasText: 'n100' }).waitFor({ timeout: 30_000 });
      await u.page
        .locator('li.msg', { hasText: 'fay back on the relay' })
        .waitFor({ timeout: 30_000 });
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await numbered(fay, 'n'), want);
    assert.deepEqual(await numbered(gus, 'n'), want);
    for (const u of [fay, gus]) {
      const fays = (await shownTexts(u.page)).filter((t) => t.startsWith('fay'));
      assert.deepEqual(fays, ['fay on webrtc', 'fay back on the relay']);
    }
  });

  it('two tabs of one browser chat over BroadcastChannel with no server running', async () => {
    const tab1 = await open('tabs');
    await signUp(tab1.page, 'Hal');
    await chooseTransport(tab1.page, "This browser's tabs");
    await tab1.page.locator('.conn', { hasText: 'Tabs only · 1 here' }).waitFor();
    // A second tab of the same browser: same account, same settings.
    const tab2page = await tab1.context.newPage();
    await tab2page.goto(`${app.server.url}/#room=tabs`);
    // Our own other tab is us, not a second person: still one here.
    await tab2page.locator('.conn', { hasText: 'Tabs only · 1 here' }).waitFor();
    await app.server.close();
    await say(tab1.page, 'tab one speaking');
    await tab2page.locator('li.msg', { hasText: 'tab one speaking' }).waitFor();
    await tab2page.getByRole('textbox', { name: 'Message' }).fill('tab two answering');
    await tab2page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await tab1.page.locator('li.msg', { hasText: 'tab two answering' }).waitFor();
    assert.deepEqual(await shownTexts(tab1.page), ['tab one speaking', 'tab two answering']);
    // One person in two tabs: one line, ours.
    const lines = await rosterLines(tab1.page);
    assert.deepEqual(
      lines.map((l) => l.split(' · ')[0]),
      ['Hal (you)'],
    );
    app.server = await startAppServer(); // for after()
  });
});

describe('a full WebRTC mesh', { timeout: 120_000 }, () => {
  const app = useAppAndBrowser({ meshCap: 2 });

  it('tells a newcomer clearly and carries them over the relay', async () => {
    const people = [];
    for (const name of ['Ida', 'Jon', 'Kim']) {
      const u = await openUser(app.browser, `${app.server.url}/#room=full`);
      await signUp(u.page, name);
      await chooseTransport(u.page, 'WebRTC (peer-to-peer)');
      await connectedOn(u.page);
      people.push(u);
    }
    const [ida, jon, kim] = people as [User, User, User];
    await kim.page
      .getByRole('status')
      .filter({ hasText: "This room's peer-to-peer mesh is full (2 members)" })
      .waitFor();
    await rosterShows(ida.page, 'Jon', 'direct');
    await rosterShows(ida.page, 'Kim', 'relay');
    await say(kim.page, 'hello from the relay');
    await ida.page.locator('li.msg', { hasText: 'hello from the relay' }).waitFor();
    await jon.page.locator('li.msg', { hasText: 'hello from the relay' }).waitFor();
    await say(ida.page, 'hello from the mesh');
    await kim.page.locator('li.msg', { hasText: 'hello from the mesh' }).waitFor();
  });
});
