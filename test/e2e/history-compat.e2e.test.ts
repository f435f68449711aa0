/**
 * Members of an older version beside edits, deletions, replies and reactions (protocol 1.3):
 * a 1.0 client written from docs/PROTOCOL.md alone keeps every message it understands — a
 * reply reads as the text it is — and keeps the events as messages of a kind it does not know,
 * live and through catch-up, while the 1.3 member's screen shows the events folded in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocClient } from '../interop/doc-client.js';
import { rosterShows, say, suiteUsers, useAppAndBrowser } from './harness.js';
import { allShow, deleteIt, editTo, idOf, reactWith, replyTo } from './message-events-harness.js';

describe('a member one version older', { timeout: 300_000 }, () => {
  const app = useAppAndBrowser();
  const open = suiteUsers(app);

  it('keeps every message it understands beside edits, deletions, replies and reactions', async () => {
    const room = 'events-old';
    const rae = await open(`#room=${room}`, 'Rae');
    const old = await DocClient.start({ url: app.server.url, room, name: 'Old Bot' });
    try {
      await rosterShows(rae.page, 'Old Bot', 'relay');
      await say(rae.page, 'first words');
      const first = await idOf(rae.page, 'first words');
      await replyTo(rae.page, first, 'You', 'an answer');
      const answer = await idOf(rae.page, 'an answer');
      await reactWith(rae.page, first, 'thumbs up');
      await editTo(rae.page, answer, 'an answer, edited');
      await deleteIt(rae.page, first);
      await allShow(
        [rae.page],
        ['Rae: [message deleted]', 'Rae: an answer, edited (edited) ↩ Rae: [message deleted]'],
      );
      // Five messages reach the old member: the two texts (the reply as plain text) and
      // three events, kept as a kind it does not know — none refused.
      await old.until(() => old.received.length === 5 || undefined, 'five messages kept');
      assert.deepEqual(
        old.received.map((r) => r.text),
        ['first words', 'an answer', undefined, undefined, undefined],
      );
      assert.deepEqual(old.errors, []);
      // An old member who comes later gets all five through catch-up.
      const late = await DocClient.start({ url: app.server.url, room, name: 'Late Bot' });
      try {
        const raeHello = await late.member('Rae');
        late.askHistory(raeHello.id);
        await late.until(() => late.received.length === 5 || undefined, 'catch-up of five');
        assert.deepEqual(late.received.map((r) => r.text ?? '(kept, not shown)').sort(), [
          '(kept, not shown)',
          '(kept, not shown)',
          '(kept, not shown)',
          'an answer',
          'first words',
        ]);
      } finally {
        late.close();
      }
    } finally {
      old.close();
    }
  });
});
