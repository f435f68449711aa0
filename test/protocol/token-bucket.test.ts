import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../src/protocol/token-bucket.js';

describe('token bucket', () => {
  it('a burst at once, then the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(20, 40, () => now);
    let passed = 0;
    for (let i = 0; i < 100; i++) if (bucket.take()) passed++;
    assert.equal(passed, 40);
    assert.equal(bucket.wait(), 50);
    now += 1000;
    passed = 0;
    for (let i = 0; i < 100; i++) if (bucket.take()) passed++;
    assert.equal(passed, 20);
  });
});
