/**
 * Identity keys and signatures (src/protocol/identity.ts) in Node's WebCrypto — the server
 * verifies with the same code the browser signs with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalJson,
  createIdentity,
  identityIdOf,
  isPublicKey,
  safetyCode,
  sign,
  SignaturePurposes,
  verify,
} from '../../src/protocol/identity.js';

const fields = ['m-1', 'room', 'author', 1_700_000_000_000, 3, { text: 'hello' }];

describe('identity', () => {
  for (const alg of ['ed25519', 'p256'] as const) {
    it(`${alg}: signs, verifies, and refuses a change to any field`, async () => {
      const me = await createIdentity(alg);
      assert.equal(me.alg, alg);
      assert.equal(me.privateKey.extractable, false, 'the private key never leaves its CryptoKey');
      assert.ok(isPublicKey(me.publicKey));
      assert.equal(me.id, await identityIdOf(me.publicKey));
      const sig = await sign(me, SignaturePurposes.envelope, fields);
      assert.equal(await verify(me.publicKey, SignaturePurposes.envelope, fields, sig), true);
      for (let i = 0; i < fields.length; i++) {
        const changed = [...fields];
        changed[i] = i === 5 ? { text: 'hellO' } : typeof fields[i] === 'number' ? 1 : 'x';
        assert.equal(
          await verify(me.publicKey, SignaturePurposes.envelope, changed, sig),
          false,
          `field ${i} changed`,
        );
      }
      // Made for a message, it does not pass for a join.
      assert.equal(await verify(me.publicKey, SignaturePurposes.join, fields, sig), false);
    });
  }

  it("refuses another key's signature, and malformed keys or signatures without throwing", async () => {
    const [ann, eve] = [await createIdentity(), await createIdentity()];
    const sig = await sign(eve, SignaturePurposes.envelope, fields);
    assert.equal(await verify(ann.publicKey, SignaturePurposes.envelope, fields, sig), false);
    const junkKeys = ['', 'ed25519:', 'ed25519:AAAA', 'rsa:AAAA', 'p256:AAAA', 42];
    for (const key of junkKeys) {
      assert.equal(isPublicKey(key), false, String(key));
      assert.equal(
        await verify(key as string, SignaturePurposes.envelope, fields, sig),
        false,
        String(key),
      );
    }
    for (const junk of ['', '!!', 'A'.repeat(200), 42, null, sig.slice(1)]) {
      assert.equal(await verify(ann.publicKey, SignaturePurposes.envelope, fields, junk), false);
    }
    // Well-formed text, but not a point on the curve: no key.
    assert.equal(
      await verify('p256:B' + 'A'.repeat(86), SignaturePurposes.envelope, fields, sig),
      false,
    );
  });

  it('takes one text per key: spare bits in the last character make it no key at all', async () => {
    const id = await createIdentity();
    const [alg, encoded] = id.publicKey.split(':') as [string, string];
    assert.equal(isPublicKey(id.publicKey), true);
    // 32 bytes are 43 characters, the last holding 4 bits and 2 spare: set one.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(encoded.at(-1)!);
    const twin = `${alg}:${encoded.slice(0, -1)}${alphabet[last ^ 1]}`;
    assert.equal(isPublicKey(twin), false);
  });

  it('derives ids and safety codes that depend on the key alone', async () => {
    const me = await createIdentity();
    assert.match(me.id, /^[A-Za-z0-9_-]{22}$/);
    const code = await safetyCode(me.publicKey);
    assert.match(code, /^\d{5}( \d{5}){5}$/);
    assert.equal(await safetyCode(me.publicKey), code);
    assert.notEqual(await safetyCode((await createIdentity()).publicKey), code);
  });

  it('encodes canonically: the same value, the same bytes, whatever the key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }] }), '{"a":[{"c":"x","d":2}],"b":1}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
    assert.equal(canonicalJson(['é', null, true]), '["é",null,true]');
  });
});
