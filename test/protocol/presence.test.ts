/**
 * `relay:presence` frames as a client reads them: every byte from the server is hostile too —
 * a malformed change is skipped (not the frame), a frame longer than the server ever sends is
 * nothing, and only well-formed joins and leaves come through, in order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESENCE_MAX_CHANGES, parsePresence } from '../../src/protocol/relay-frames.js';

const hello = (id: string) => ({ id, userId: `user-${id}`, name: `Name ${id}`, since: 1 });

describe('presence frames', () => {
  it('keeps well-formed joins and leaves in order and skips the rest', () => {
    const changes = parsePresence([
      { join: hello('a') },
      { join: { ...hello('b'), name: '' } },
      { leave: 'a', since: 1 },
      { leave: 'c' },
      { leave: 'd', since: 'yesterday' },
      { join: hello('e'), leave: 'e', since: 1 },
      'x'.repeat(10),
      null,
      { join: hello('f') },
    ]);
    assert.deepEqual(changes, [
      { join: hello('a') },
      { leave: 'a', since: 1 },
      { join: hello('f') },
    ]);
  });

  it('drops unknown fields of a hello', () => {
    const [change] = parsePresence([{ join: { ...hello('a'), admin: true } }]);
    assert.deepEqual(change, { join: hello('a') });
  });

  it('takes nothing from a frame that is not a list or longer than the server sends', () => {
    assert.deepEqual(parsePresence({ join: hello('a') }), []);
    assert.deepEqual(parsePresence('join'), []);
    const long = Array.from({ length: PRESENCE_MAX_CHANGES + 1 }, (_, i) => ({
      join: hello(`p${i}`),
    }));
    assert.deepEqual(parsePresence(long), []);
    assert.equal(parsePresence(long.slice(1)).length, PRESENCE_MAX_CHANGES);
  });
});
