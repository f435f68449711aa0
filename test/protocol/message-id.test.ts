/** UUIDv7 message ids: the RFC's layout, and made in order even within one millisecond. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uuidv7 } from '../../src/protocol/message-id.js';

describe('message ids (UUIDv7)', () => {
  it('have the version, the variant and the time where RFC 9562 puts them', () => {
    const before = Date.now();
    const id = uuidv7();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    assert.ok(ms >= before && ms <= Date.now() + 1, `${ms} is now`);
  });

  it('sort in the order they were made, 10,000 in a row', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
