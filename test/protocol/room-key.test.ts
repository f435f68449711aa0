/**
 * Room keys (src/protocol/room-key.ts): a passphrase gives the same key to everyone in the
 * room and a different one elsewhere; a sealed body opens only with its key and its header.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRoomKeyText, open, roomKeyFromText, seal } from '../../src/protocol/room-key.js';
import { ROOM_KEY_ITERATIONS, roomKeyFromPassphrase } from '../../src/protocol/room-key-derive.js';

// Fewer iterations keep the test fast; the default is checked on its own.
const FAST = 1000;
const header = ['m-1', 'design', 'author-id', 1_700_000_000_000, 0];
const body = { text: 'the plan is on the wiki' };

describe('room keys', () => {
  it('derives one key per passphrase and room, with 600,000 iterations by default', async () => {
    assert.ok(ROOM_KEY_ITERATIONS >= 600_000);
    const [ann, bob] = [
      await roomKeyFromPassphrase('open sesame', 'design'),
      await roomKeyFromPassphrase('open sesame', 'design'),
    ];
    assert.equal(ann.extractable, false);
    assert.deepEqual(await open(bob, header, await seal(ann, header, body)), body);
  });

  it('opens only with the right passphrase, room, header and untouched ciphertext', async () => {
    const key = await roomKeyFromPassphrase('open sesame', 'design', FAST);
    const sealed = await seal(key, header, body);
    assert.ok(!sealed.ct.includes('wiki'), 'no plaintext in the ciphertext');
    const wrong = [
      await roomKeyFromPassphrase('open sesame!', 'design', FAST),
      await roomKeyFromPassphrase('open sesame', 'other', FAST),
    ];
    for (const k of wrong) assert.equal(await open(k, header, sealed), undefined);
    for (let i = 0; i < header.length; i++) {
      const moved = [...header];
      moved[i] = typeof header[i] === 'number' ? 2 : 'x';
      assert.equal(await open(key, moved, sealed), undefined, `header field ${i} changed`);
    }
    const flipped = sealed.ct.startsWith('A') ? `B${sealed.ct.slice(1)}` : `A${sealed.ct.slice(1)}`;
    assert.equal(await open(key, header, { ...sealed, ct: flipped }), undefined);
    assert.equal(await open(key, header, { ...sealed, iv: 'short' }), undefined);
    assert.equal(await open(key, header, { ...sealed, ct: '!!' }), undefined);
    for (const junk of [
      null,
      42,
      { enc: 'other', iv: sealed.iv, ct: sealed.ct },
      { enc: sealed.enc },
    ])
      assert.equal(await open(key, header, junk as never), undefined);
  });

  it('seals every body with a fresh IV', async () => {
    const key = await roomKeyFromPassphrase('open sesame', 'design', FAST);
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) ivs.add((await seal(key, header, body)).iv);
    assert.equal(ivs.size, 50);
  });

  it('makes random 256-bit keys for invite links and reads them back', async () => {
    const text = newRoomKeyText();
    assert.match(text, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(newRoomKeyText(), text);
    const [a, b] = [await roomKeyFromText(text), await roomKeyFromText(text)];
    assert.deepEqual(await open(b!, header, await seal(a!, header, body)), body);
    for (const bad of ['', 'short', `${text}A`, '!'.repeat(43)]) {
      assert.equal(await roomKeyFromText(bad), undefined, bad);
    }
  });

  it('takes one text per key: the same 32 bytes spelled with spare bits set are refused', async () => {
    // 32 bytes are 43 base64url characters, the last one carrying 4 bits and 2 spare ones.
    const canonical = `${'A'.repeat(42)}A`;
    const spare = `${'A'.repeat(42)}B`; // the same bytes, a spare bit set
    assert.ok(await roomKeyFromText(canonical));
    assert.equal(await roomKeyFromText(spare), undefined);
  });
});
