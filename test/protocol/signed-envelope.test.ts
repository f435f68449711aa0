/**
 * The envelope signature covers every field: change any one and the message no longer
 * verifies; the id must be one of the author's, and the author id the hash of the key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { createIdentity, signerOf } from '../../src/protocol/identity.js';
import { roomKeyFromText, newRoomKeyText, seal } from '../../src/protocol/room-key.js';
import {
  messageIdOf,
  sameEnvelope,
  sealingHeader,
  signEnvelope,
  verifyEnvelope,
} from '../../src/protocol/signed-envelope.js';

const alice = { ...signerOf(await createIdentity()), name: 'Alice' };
const mallory = signerOf(await createIdentity());

async function genuine(): Promise<Envelope> {
  return signEnvelope(alice, {
    id: messageIdOf(alice.id, '0190a6f1-2b3c-7d4e-8f90-123456789abc'),
    room: 'lobby',
    from: { id: alice.id, name: alice.name, key: alice.publicKey },
    ts: 1_700_000_000_000,
    seq: 3,
    body: { text: 'meet at noon' },
  });
}

describe('signed envelopes', () => {
  it('verify as signed', async () => {
    assert.equal(await verifyEnvelope(await genuine()), true);
  });

  it('fail when any one field changes', async () => {
    const env = await genuine();
    const changes: Array<[string, Envelope]> = [
      ['id', { ...env, id: messageIdOf(alice.id, 'another') }],
      ['room', { ...env, room: 'elsewhere' }],
      ['from.name', { ...env, from: { ...env.from, name: 'Alicia' } }],
      ['ts', { ...env, ts: env.ts + 1 }],
      ['seq', { ...env, seq: env.seq + 1 }],
      ['body', { ...env, body: { text: 'meet at midnight' } }],
      ['sig', { ...env, sig: (await genuine()).sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }],
    ];
    for (const [field, changed] of changes) {
      assert.equal(await verifyEnvelope(changed), false, `${field} changed, still verified`);
    }
  });

  it('fail when someone else signs, or claims the author id with another key', async () => {
    const env = await genuine();
    const { sig: _sig, ...unsigned } = env;
    assert.equal(await verifyEnvelope(await signEnvelope(mallory, unsigned)), false);
    const withMalloryKey = { ...unsigned, from: { ...env.from, key: mallory.publicKey } };
    assert.equal(await verifyEnvelope(await signEnvelope(mallory, withMalloryKey)), false);
  });

  it("fail when the id is not one of the author's", async () => {
    const env = await genuine();
    const { sig: _sig, ...unsigned } = env;
    const taken = { ...unsigned, id: 'plain-uuid-from-someone-else' };
    assert.equal(await verifyEnvelope(await signEnvelope(alice, taken)), false);
  });

  it('cover a sealed body, which opens only under its own header', async () => {
    const key = (await roomKeyFromText(newRoomKeyText()))!;
    const env = await genuine();
    const body = await seal(key, sealingHeader(env), { text: 'secret' });
    const { sig: _sig, ...unsigned } = env;
    const sealed = await signEnvelope(alice, { ...unsigned, body });
    assert.equal(await verifyEnvelope(sealed), true);
    const resigned: Envelope = { ...sealed, sig: 'other' };
    assert.equal(sameEnvelope(sealed, resigned), true, 'the signature is not content');
    assert.equal(sameEnvelope(sealed, env), false);
  });
});
