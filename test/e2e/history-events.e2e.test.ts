/**
 * Edits, deletions, replies and reactions (issue 24) in the built app, between real browsers
 * on the real server: what one member does through the rows' toolbar, the composer and the
 * reaction chips reaches the others over the relay and over WebRTC; a member who was away gets
 * it through catch-up; and members who get the events in different orders — one of them
 * through catch-up only — end with the same list, in a room in the clear and in an encrypted
 * one (where the message an event names is inside its sealed body).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { provenJoin } from '../support/identity.js';
import {
  chooseTransport,
  enterPassphrase,
  focusedOn,
  openUser,
  rosterShows,
  say,
  shows,
  signUp,
  useAppAndBrowser,
  type User,
} from './harness.js';
import {
  actionsOf,
  allShow,
  chip,
  chipShows,
  deleteIt,
  editTo,
  idOf,
  reactWith,
  replyTo,
  rowOf,
  showsEdited,
  summary,
  until,
} from './message-events-harness.js';

const PASSPHRASE = 'five quiet orange lamps';
/** The picker's "red heart": the heart with its emoji presentation selector. */
const HEART = '\u2764\uFE0F';

describe('edits, deletions, replies and reactions between members', { timeout: 600_000 }, () => {
  const app = useAppAndBrowser();
  const users: User[] = [];
  const sockets: Socket[] = [];
  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(users.map((u) => u.context.close()));
  });

  const join = async (room: string, name: string): Promise<User> => {
    const u = await openUser(app.browser, `${app.server.url}/#room=${room}`);
    users.push(u);
    await signUp(u.page, name);
    return u;
  };

  for (const [how, transport] of [
    ['the relay', undefined],
    ['WebRTC', 'WebRTC (peer-to-peer)'],
  ] as const) {
    it(`over ${how}: reply, react, toggle, edit and delete reach the other member`, async () => {
      const room = transport ? 'events-rtc' : 'events-relay';
      const alice = await join(room, 'Alice');
      const bob = await join(room, 'Bob');
      if (transport) {
        await chooseTransport(alice.page, transport);
        await chooseTransport(bob.page, transport);
        await rosterShows(alice.page, 'Bob', 'direct');
        await rosterShows(bob.page, 'Alice', 'direct');
      }
      await say(alice.page, 'the first draft of the plan');
      await say(alice.page, 'a typo to take back');
      const first = await idOf(bob.page, 'the first draft of the plan');
      const typo = await idOf(bob.page, 'a typo to take back');

      // Bob answers the first: the quote names Alice and shows her words, at both ends.
      await replyTo(bob.page, first, 'Alice', 'agreed, ship it');
      const answer = await idOf(alice.page, 'agreed, ship it');
      for (const u of [alice, bob]) {
        const quote = rowOf(u.page, answer).locator('button.quote');
        await quote.waitFor();
        assert.equal(await quote.locator('.quote-name').textContent(), 'Alice');
        assert.equal(
          await quote.locator('.quote-text').textContent(),
          'the first draft of the plan',
        );
      }
      // Its quote shows the original: marked and given the focus.
      await rowOf(bob.page, answer).locator('button.quote').click();
      await bob.page
        .locator(`parley-messages li.msg.lit[data-id=${JSON.stringify(first)}]`)
        .waitFor();
      await until(
        async () => (await focusedOn(bob.page))?.text.includes('the first draft') ?? false,
        async () => `the original focused, not ${JSON.stringify(await focusedOn(bob.page))}`,
      );

      // Bob reacts; Alice sees who; then she adds hers by pressing his chip.
      await reactWith(bob.page, first, 'thumbs up');
      await chipShows(bob.page, first, '👍 1: You', true);
      await chipShows(alice.page, first, '👍 1: Bob', false);
      await chip(alice.page, first, '👍 1: Bob').click();
      await chipShows(alice.page, first, '👍 2: Bob, You', true);
      await chipShows(bob.page, first, '👍 2: You, Alice', true);

      // Alice edits the first and deletes the typo; both see it, the reply's quote follows.
      await editTo(alice.page, first, 'the final plan');
      await deleteIt(alice.page, typo);
      for (const u of [alice, bob]) {
        await shows(u.page, 'the final plan');
        await until(
          () => showsEdited(u.page, first),
          () => 'the "edited" mark',
        );
        await rowOf(u.page, typo).getByText('message deleted', { exact: true }).waitFor();
        await rowOf(u.page, answer)
          .locator('button.quote .quote-text', { hasText: 'the final plan' })
          .waitFor();
        assert.equal(await rowOf(u.page, typo).getByText('a typo to take back').count(), 0);
      }

      // Nobody edits or deletes someone else's message: Bob is offered neither on Alice's.
      assert.deepEqual(await actionsOf(bob.page, first), ['Reply', 'React']);
      assert.deepEqual(await actionsOf(bob.page, answer), ['Reply', 'React', 'Edit', 'Delete']);
      assert.deepEqual(await actionsOf(alice.page, answer), ['Reply', 'React']);

      const want = [
        'Alice: the final plan (edited) [👍 2: Bob, Alice]',
        'Alice: [message deleted]',
        'Bob: agreed, ship it ↩ Alice: the final plan',
      ];
      await allShow([alice.page, bob.page], want);
      if (transport) await rosterShows(alice.page, 'Bob', 'direct'); // it stayed peer-to-peer
      assert.deepEqual([...alice.problems, ...bob.problems], []);
    });
  }

  it('a member who was away sees the edit, the deletion, the reply and the reactions after catch-up', async () => {
    const alice = await join('away', 'Alice');
    const bob = await join('away', 'Bob');
    const carol = await join('away', 'Carol');
    await say(alice.page, 'meet at noon');
    await say(alice.page, 'bring the old keys');
    const noon = await idOf(carol.page, 'meet at noon');
    const keys = await idOf(carol.page, 'bring the old keys');
    await idOf(bob.page, 'bring the old keys');
    // Carol closes the app; what happens next reaches her only through catch-up.
    await carol.page.goto('about:blank');

    await editTo(alice.page, noon, 'meet at one');
    await deleteIt(alice.page, keys);
    await reactWith(bob.page, noon, 'party popper');
    await replyTo(bob.page, noon, 'Alice', 'see you there');
    await reactWith(alice.page, noon, 'thumbs up');
    const want = [
      'Alice: meet at one (edited) [🎉 1: Bob] [👍 1: Alice]',
      'Alice: [message deleted]',
      'Bob: see you there ↩ Alice: meet at one',
    ];
    await allShow([alice.page, bob.page], want);

    await carol.page.goto(`${app.server.url}/#room=away`);
    await allShow([carol.page], want);
    await until(
      () => showsEdited(carol.page, noon),
      () => 'the "edited" mark at Carol',
    );
    await rowOf(carol.page, keys).getByText('message deleted', { exact: true }).waitFor();
    await chipShows(carol.page, noon, '🎉 1: Bob', false);
    await chipShows(carol.page, noon, '👍 1: Alice', false);
    assert.deepEqual([...alice.problems, ...bob.problems, ...carol.problems], []);
  });

  for (const sealed of [false, true]) {
    it(`three members who get the events in different orders, and one through catch-up only, end with the same list (${sealed ? 'encrypted' : 'clear'} room)`, async () => {
      const room = sealed ? 'orders-sealed' : 'orders-clear';
      // What crosses the relay, as any member (or the relay's logs) would see it.
      const frames: string[] = [];
      const recorder = io(app.server.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      sockets.push(recorder);
      recorder.onAny((event: string, ...args: unknown[]) =>
        frames.push(JSON.stringify([event, ...args])),
      );
      await new Promise((resolve) => recorder.once('connect', () => resolve(undefined)));
      const joining = await provenJoin(recorder, room, 'Recorder');
      const reply = await new Promise<JoinReply>((r) => recorder.emit('relay:join', joining, r));
      assert.equal(reply.ok, true);

      const trio = [
        await join(room, 'Alice'),
        await join(room, 'Bob'),
        await join(room, 'Carol'),
      ] as const;
      const [alice, bob, carol] = trio;
      if (sealed) for (const u of trio) await enterPassphrase(u.page, PASSPHRASE);
      await say(alice.page, 'c1 by Alice');
      await say(bob.page, 'c2 by Bob');
      await say(carol.page, 'c3 by Carol');
      await say(alice.page, 'c4 by Alice, soon gone');
      const ids = await Promise.all(
        ['c1 by Alice', 'c2 by Bob', 'c3 by Carol', 'c4 by Alice, soon gone'].map(async (t) => {
          const [a, b, c] = await Promise.all(trio.map((u) => idOf(u.page, t)));
          assert.ok(a === b && b === c, `one id for "${t}"`);
          return a;
        }),
      );
      const [c1, c2, c3, c4] = ids as [string, string, string, string];

      // All at once: each member has their own events first and the others' as they come.
      await Promise.all([
        (async () => {
          await editTo(alice.page, c1, 'c1 by Alice, edited once');
          await reactWith(alice.page, c2, 'thumbs up');
          await deleteIt(alice.page, c4);
          await editTo(alice.page, c1, 'c1 by Alice, edited twice');
        })(),
        (async () => {
          await reactWith(bob.page, c1, 'thumbs up');
          await replyTo(bob.page, c1, 'Alice', 'r1 by Bob');
          await reactWith(bob.page, c1, 'red heart');
          await editTo(bob.page, c2, 'c2 by Bob, edited');
        })(),
        (async () => {
          await reactWith(carol.page, c1, 'thumbs up');
          await reactWith(carol.page, c2, 'thumbs up');
          await replyTo(carol.page, c3, 'You', 'r2 by Carol');
          // Her 👍 on c1 taken back, from its chip, once it shows (with Bob's or without).
          await until(
            async () => (await summary(carol.page))[0]!.includes('👍'),
            () => "Carol's chip",
          );
          await rowOf(carol.page, c1).locator('button.chip[aria-pressed="true"]').click();
        })(),
      ]);

      const everyone = trio.map((u) => u.page);
      // Who reacted to c2 first depends on the timing: the same for everyone, either way.
      let c2Likes = '';
      await until(
        async () => {
          const line = (await summary(alice.page))[1] ?? '';
          c2Likes = /\[👍 2: (Alice, Carol|Carol, Alice)\]/.exec(line)?.[1] ?? '';
          return c2Likes !== '';
        },
        async () => `both 👍 on c2 at Alice: ${JSON.stringify(await summary(alice.page))}`,
      );
      const want = [
        `Alice: c1 by Alice, edited twice (edited) [👍 1: Bob] [${HEART} 1: Bob]`,
        `Bob: c2 by Bob, edited (edited) [👍 2: ${c2Likes}]`,
        'Carol: c3 by Carol',
        'Alice: [message deleted]',
        'Bob: r1 by Bob ↩ Alice: c1 by Alice, edited twice',
        'Carol: r2 by Carol ↩ Carol: c3 by Carol',
      ];
      await allShow(everyone, want);
      // The screens say so too.
      for (const u of trio) {
        for (const id of [c1, c2]) assert.ok(await showsEdited(u.page, id), `${id} "edited"`);
        assert.equal(await showsEdited(u.page, c3), false);
        await rowOf(u.page, c4).getByText('message deleted', { exact: true }).waitFor();
      }
      await chipShows(alice.page, c1, '👍 1: Bob', false);
      await chipShows(bob.page, c1, '👍 1: You', true);
      await chipShows(carol.page, c1, `${HEART} 1: Bob`, false);

      // Dave joins after everything was sent: all of it reaches him through catch-up.
      const dave = await join(room, 'Dave');
      if (sealed) {
        // Sealed, the events name nothing he can read until he holds the key.
        await dave.page
          .getByText("Can't read this message yet", { exact: false })
          .first()
          .waitFor();
        const banner = dave.page.getByRole('status').filter({ hasText: 'encrypted with a key' });
        await enterPassphrase(
          dave.page,
          PASSPHRASE,
          banner.getByRole('button', { name: 'Settings' }),
        );
      }
      await allShow([dave.page], want);
      assert.equal(await showsEdited(dave.page, c1), true);
      await rowOf(dave.page, c4).getByText('message deleted', { exact: true }).waitFor();
      await chipShows(dave.page, c2, `👍 2: ${c2Likes}`, false);

      // What travelled: in the clear, bodies that name their target; sealed, nothing readable.
      const messages = frames.filter((f) => f.includes('"chat:message"'));
      assert.ok(messages.length >= 16, `the recorder heard the events (${messages.length})`);
      const named = frames.filter((f) => f.includes(`"target":"${c1}"`));
      if (!sealed) assert.ok(named.length >= 6, `events naming c1 in the clear (${named.length})`);
      else {
        assert.deepEqual(named, [], 'a target in the clear in an encrypted room');
        for (const f of frames) {
          assert.ok(!/"kind":"(edit|delete|react)"|"reply"|c1 by Alice|"emoji"/.test(f), f);
        }
      }
      assert.deepEqual(
        [alice, bob, carol, dave].flatMap((u) => u.problems),
        [],
      );
      recorder.disconnect();
    });
  }
});
