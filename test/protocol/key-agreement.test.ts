/**
 * Key agreement (src/protocol/key-agreement.ts) and the room-control bodies
 * (src/protocol/room-roles.ts) in Node's WebCrypto, as the server and the Node client run
 * them: a room key wrapped for X25519 and P-256 members opens for each of them and nobody
 * else, and only in the room, epoch and recipient it was wrapped for; the bodies' shapes and
 * limits; the document's wrapping recipe, written out, agrees with the code both ways; a
 * removal end to end with RoomMembers, the same code as the browser's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agreementAlgorithmOf,
  createAgreementKeys,
  isAgreementKey,
  newRawRoomKey,
  unwrapRoomKey,
  wrapRoomKey,
} from '../../src/protocol/key-agreement.js';
import { keyIdOf } from '../../src/protocol/room-key.js';
import { canonicalJson } from '../../src/protocol/identity.js';
import { MAX_REKEY_KEYS, readRoomRole } from '../../src/protocol/room-roles.js';
import { PrivateRoom } from '../support/private-room.js';

const ctx = { room: 'p.abcdefghijklmnopqrstuvwxyz', epoch: 1 };
const ids = ['AAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCCCCCCCC'];

describe('key agreement', () => {
  it('makes X25519 pairs (P-256 on request) whose private half cannot be read', async () => {
    const x = await createAgreementKeys();
    const p = await createAgreementKeys('p256');
    assert.equal(x.alg, 'x25519');
    assert.equal(p.alg, 'p256');
    for (const k of [x, p]) {
      assert.equal(k.privateKey.extractable, false);
      assert.ok(isAgreementKey(k.publicKey));
      assert.equal(agreementAlgorithmOf(k.publicKey), k.alg);
      await assert.rejects(crypto.subtle.exportKey('pkcs8', k.privateKey));
    }
    assert.equal(isAgreementKey('x25519:' + 'A'.repeat(42)), false, 'a key of 31 bytes');
    assert.equal(isAgreementKey('ed25519:' + 'A'.repeat(43)), false, 'not a key-agreement key');
    assert.equal(isAgreementKey('x25519:' + 'A'.repeat(42) + 'B'), false, 'spare bits set');
  });

  it('wraps a room key for members of both algorithms; each opens only their own', async () => {
    const [ann, bob, cat] = [
      await createAgreementKeys(),
      await createAgreementKeys('p256'),
      await createAgreementKeys(),
    ];
    const { raw, kid } = await newRawRoomKey();
    assert.equal(kid, await keyIdOf(raw));
    const wrapped = await wrapRoomKey(raw, ctx, [
      { to: ids[0]!, kx: ann.publicKey },
      { to: ids[1]!, kx: bob.publicKey },
    ]);
    assert.deepEqual(wrapped.skipped, []);
    assert.deepEqual(wrapped.eph.map(agreementAlgorithmOf).sort(), ['p256', 'x25519']);
    const [forAnn, forBob] = wrapped.keys;
    assert.deepEqual(await unwrapRoomKey(ctx, wrapped.eph, forAnn!, ids[0]!, ann), raw);
    assert.deepEqual(await unwrapRoomKey(ctx, wrapped.eph, forBob!, ids[1]!, bob), raw);
    // Cat, left out, has nothing for her: neither copy opens with her key, under any name.
    for (const entry of wrapped.keys) {
      assert.equal(await unwrapRoomKey(ctx, wrapped.eph, entry, entry.to, cat), undefined);
      assert.equal(
        await unwrapRoomKey(ctx, wrapped.eph, { ...entry, to: ids[2]! }, ids[2]!, cat),
        undefined,
      );
    }
    // Bound to room, epoch and recipient; a changed ciphertext does not open.
    const other = [
      [{ ...ctx, room: 'p.bbbbbbbbbbbbbbbbbbbbbbbbbb' }, forAnn!, ids[0]!],
      [{ ...ctx, epoch: 2 }, forAnn!, ids[0]!],
      [ctx, { ...forAnn!, to: ids[2]! }, ids[2]!],
      [ctx, { ...forAnn!, ct: (forAnn!.ct[0] === 'A' ? 'B' : 'A') + forAnn!.ct.slice(1) }, ids[0]!],
      [ctx, { ...forAnn!, iv: forBob!.iv }, ids[0]!],
    ] as const;
    for (const [c, entry, to] of other)
      assert.equal(await unwrapRoomKey(c, wrapped.eph, entry, to, ann), undefined);
  });

  it('leaves out a member whose announced key is unusable', async () => {
    const { raw } = await newRawRoomKey();
    const ann = await createAgreementKeys();
    // A P-256 point that is not on the curve.
    const offCurve = 'p256:BA' + 'A'.repeat(85);
    const wrapped = await wrapRoomKey(raw, ctx, [
      { to: ids[0]!, kx: ann.publicKey },
      { to: ids[1]!, kx: offCurve },
      { to: ids[2]!, kx: 'nonsense' },
    ]);
    assert.deepEqual(wrapped.skipped, [ids[1], ids[2]]);
    assert.deepEqual(
      wrapped.keys.map((k) => k.to),
      [ids[0]],
    );
  });
});

describe('the wrapping recipe of docs/PROTOCOL.md §11.3, written out', () => {
  const enc = new TextEncoder();
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  /** The recipe's wrapping key, from the document's words only. */
  async function recipeKey(priv: CryptoKey, pub: CryptoKey, alg: string, info: unknown[]) {
    const name = alg === 'x25519' ? 'X25519' : 'ECDH';
    const shared = await crypto.subtle.deriveBits({ name, public: pub }, priv, 256);
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    const params = {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: enc.encode(canonicalJson(info)),
    };
    return crypto.subtle.deriveKey(params, ikm, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
  }

  for (const alg of ['x25519', 'p256'] as const) {
    it(`gives what the code gives (${alg}), both ways`, async () => {
      const gen = alg === 'x25519' ? { name: 'X25519' } : { name: 'ECDH', namedCurve: 'P-256' };
      const pair = (await crypto.subtle.generateKey(gen, true, ['deriveBits'])) as CryptoKeyPair;
      const rawPub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      const mine = { alg, privateKey: pair.privateKey, publicKey: `${alg}:${b64(rawPub)}` };
      const to = ids[0]!;
      const { raw } = await newRawRoomKey();
      // The code wraps; the recipe unwraps.
      const w = await wrapRoomKey(raw, ctx, [{ to, kx: mine.publicKey }]);
      const eph = w.eph[0]!;
      const ephPub = await crypto.subtle.importKey(
        'raw',
        Buffer.from(eph.slice(eph.indexOf(':') + 1), 'base64url'),
        gen,
        false,
        [],
      );
      const info = ['parley/rekey/1', ctx.room, ctx.epoch, to, eph, mine.publicKey];
      const key = await recipeKey(pair.privateKey, ephPub, alg, info);
      const entry = w.keys[0]!;
      const iv = Buffer.from(entry.iv, 'base64url');
      const opened = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv },
        key,
        Buffer.from(entry.ct, 'base64url'),
      );
      assert.deepEqual(new Uint8Array(opened), raw);
      // The recipe wraps (with its own ephemeral key); the code unwraps.
      const own = (await crypto.subtle.generateKey(gen, true, ['deriveBits'])) as CryptoKeyPair;
      const ownText = `${alg}:${b64(new Uint8Array(await crypto.subtle.exportKey('raw', own.publicKey)))}`;
      const k2 = await recipeKey(own.privateKey, pair.publicKey, alg, [
        'parley/rekey/1',
        ctx.room,
        ctx.epoch,
        to,
        ownText,
        mine.publicKey,
      ]);
      const iv2 = crypto.getRandomValues(new Uint8Array(12));
      const ct2 = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv2 }, k2, Uint8Array.from(raw)),
      );
      const back = await unwrapRoomKey(
        ctx,
        [ownText],
        { to, iv: b64(iv2), ct: b64(ct2) },
        to,
        mine,
      );
      assert.deepEqual(back, raw);
    });
  }
});

describe('room-control bodies', () => {
  it('reads the four kinds and refuses odd fields, odd sizes and doubles', async () => {
    const kx = (await createAgreementKeys()).publicKey;
    const { raw, kid } = await newRawRoomKey();
    const wrapped = await wrapRoomKey(raw, ctx, [{ to: ids[0]!, kx }]);
    const rekey = {
      kind: 'rekey',
      epoch: 1,
      kid,
      removed: [ids[1]],
      admins: [ids[0]],
      eph: wrapped.eph,
      keys: wrapped.keys,
    };
    const good = [
      { kind: 'room', nonce: 'A'.repeat(22), title: 'Design Team' },
      { kind: 'member', kx },
      { kind: 'admin', member: ids[0] },
      rekey,
    ];
    for (const body of good) assert.deepEqual(readRoomRole(body), body, JSON.stringify(body));
    const bad = [
      { kind: 'room', nonce: 'A'.repeat(21) + 'B', title: 'x' }, // spare bits set
      { kind: 'room', nonce: 'A'.repeat(23), title: 'x' },
      { kind: 'room', nonce: 'A'.repeat(22), title: ' ' },
      { kind: 'room', nonce: 'A'.repeat(22), title: 'x'.repeat(65) },
      { kind: 'room', nonce: 'A'.repeat(22), title: 'a\nb' },
      { kind: 'member', kx, extra: 1 },
      { kind: 'member', kx: 'x25519:short' },
      { kind: 'admin', member: 'short' },
      { ...rekey, epoch: 0 },
      { ...rekey, epoch: 1.5 },
      { ...rekey, kid: 'short' },
      { ...rekey, removed: [ids[0]] }, // removed yet given the key
      { ...rekey, admins: [ids[2]] }, // an admin without the key
      { ...rekey, removed: [ids[1], ids[1]] },
      { ...rekey, keys: [...rekey.keys, ...rekey.keys] },
      { ...rekey, keys: [] },
      { ...rekey, eph: [] },
      { ...rekey, eph: [rekey.eph[0], rekey.eph[0]] },
      {
        ...rekey,
        keys: Array.from({ length: MAX_REKEY_KEYS + 1 }, (_, i) => ({
          ...rekey.keys[0],
          to: String(i).padStart(22, 'a'),
        })),
      },
    ];
    for (const body of bad)
      assert.equal(readRoomRole(body), undefined, JSON.stringify(body).slice(0, 120));
    assert.equal(readRoomRole({ text: 'hello' }), undefined);
  });
});

describe('a removal in Node', () => {
  it('gives the new key to the others, not to the removed member', async () => {
    const { room, creator: ann } = await PrivateRoom.create('Ann');
    const [bob, cat] = [await room.person('Bob'), await room.person('Cat')];
    const all = [ann, bob, cat];
    await room.start(ann, [bob, cat]);
    const removal = await ann.members.removeBody(cat.signer.id);
    await room.act(ann, removal, all);
    assert.deepEqual(
      all.map((p) => p.current === removal.key!.kid),
      [true, true, false],
    );
    const next = await room.post(bob, { text: 'after' });
    assert.deepEqual(await room.deliver(next, all), [
      { text: 'after' },
      { text: 'after' },
      'unreadable',
    ]);
  });
});
