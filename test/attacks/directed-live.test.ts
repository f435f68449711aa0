/**
 * Attack (issue 26 item 6): a member with a valid identity of its own signs a message dated
 * half an hour ago and sends it with `relay:to` to one member only, so it slips into that
 * member's history out of everyone else's sight (a split view). The relay carries to one
 * member only what is meant for one (receipts, probes, catch-up requests and answers, file
 * offers and requests): a directed message, typing notice or file search never arrives, and
 * its sender is told why. The honest directed frames still pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIdentity, signerOf } from '../../src/protocol/identity.js';
import { signedBy } from '../support/envelopes.js';
import { quiet, until, useRelay } from '../signaling/helpers.js';

describe('a live message sent to one member only', () => {
  const relay = useRelay();

  it('never reaches that member: the relay refuses it to its sender', async () => {
    const identity = await createIdentity();
    const mallory = await relay.join('finance', 'Mallory', { identity });
    const bob = await relay.join('finance', 'Bob');
    const alice = await relay.join('finance', 'Alice');
    const signer = { ...signerOf(identity), name: 'Mallory' };
    const backDated = await signedBy(signer, {
      room: 'finance',
      text: 'Finance: approved, wire it.',
      ts: Date.now() - 30 * 60_000,
    });
    mallory.socket.emit('relay:to', bob.id, 'chat:message', [backDated]);
    const typing = { room: 'finance', userId: mallory.me.userId, name: 'Mallory', typing: true };
    mallory.socket.emit('relay:to', bob.id, 'chat:typing', [typing]);
    await until(() => mallory.errors.length === 2, 'both refused');
    assert.deepEqual(
      mallory.errors.map((e) => [e.code, e.event]),
      [
        ['malformed', 'chat:message'],
        ['malformed', 'chat:typing'],
      ],
    );
    // What is for one member still goes to that member alone.
    mallory.socket.emit('relay:to', bob.id, 'chat:ping', [{ room: 'finance', n: 1 }]);
    await until(() => bob.events.length === 1, 'the probe');
    await quiet();
    assert.deepEqual(
      bob.events.map((e) => e.event),
      ['chat:ping'],
      'the directed message never arrived',
    );
    assert.equal(alice.events.length, 0);
    assert.equal(mallory.errors.length, 2);
  });
});
