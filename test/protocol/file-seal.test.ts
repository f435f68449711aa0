/**
 * Sealed chunks (src/protocol/file-seal.ts): a chunk opens only with its key, as its own part
 * of its own file, and unchanged; every seal has a fresh IV.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHUNK_IV_BYTES,
  SEAL_OVERHEAD,
  openChunk,
  sealChunk,
} from '../../src/protocol/file-seal.js';
import { roomKeyOfRaw } from '../../src/protocol/room-key.js';

const newKey = async () => (await roomKeyOfRaw(crypto.getRandomValues(new Uint8Array(32)))).key;
const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER_NONCE = 'BBBBBBBBBBBBBBBBBBBBBB';

describe('file chunk sealing', () => {
  it('opens what it sealed, IV first, 28 bytes more than the plaintext', async () => {
    const key = await newKey();
    const plain = crypto.getRandomValues(new Uint8Array(1000));
    const sealed = await sealChunk(key, NONCE, 3, plain);
    assert.equal(sealed.length, plain.length + SEAL_OVERHEAD);
    assert.deepEqual(await openChunk(key, NONCE, 3, sealed), plain);
    const again = await sealChunk(key, NONCE, 3, plain);
    assert.notDeepEqual(again.subarray(0, CHUNK_IV_BYTES), sealed.subarray(0, CHUNK_IV_BYTES));
    assert.deepEqual(await openChunk(key, NONCE, 3, again), plain);
  });

  it('does not open as another part, another file, with another key, or changed', async () => {
    const key = await newKey();
    const sealed = await sealChunk(key, NONCE, 0, new TextEncoder().encode('part zero'));
    assert.equal(await openChunk(key, NONCE, 1, sealed), undefined, 'another part');
    assert.equal(await openChunk(key, OTHER_NONCE, 0, sealed), undefined, 'another file');
    assert.equal(await openChunk(await newKey(), NONCE, 0, sealed), undefined, 'another key');
    for (const at of [0, CHUNK_IV_BYTES, sealed.length - 1]) {
      const bent = sealed.slice();
      bent[at]! ^= 1;
      assert.equal(await openChunk(key, NONCE, 0, bent), undefined, `byte ${at} changed`);
    }
    assert.equal(await openChunk(key, NONCE, 0, sealed.subarray(0, 20)), undefined, 'too short');
    assert.equal(await openChunk(key, NONCE, 0, new Uint8Array(0)), undefined, 'empty');
  });
});
