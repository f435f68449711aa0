/**
 * docs/protocol-vectors.json checked against the real code: every vector is recomputed or
 * verified with the functions the app and the server use (src/protocol/, the transport's
 * signal signing, the room-key controller's passphrase rule, the server's peer ids), so a rule
 * changed in the code without the document (or the other way round) fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, mock } from 'node:test';
import * as v from 'valibot';
import {
  canonicalJson,
  identityIdOf,
  isPublicKey,
  safetyCode,
  SignaturePurposes,
  signerOf,
  verify,
  type Identity,
} from '../../src/protocol/identity.js';
import { fromBase64Url, toBase64Url } from '../../src/protocol/encoding.js';
import {
  AckSchema,
  EnvelopeSchema,
  HereSchema,
  TypingSchema,
  type Envelope,
} from '../../src/protocol/chat-events.js';
import {
  signAck,
  signHere,
  signTyping,
  verifyAck,
  verifyHere,
  verifyTyping,
} from '../../src/protocol/signed-notices.js';
import { sealingHeader, signEnvelope, verifyEnvelope } from '../../src/protocol/signed-envelope.js';
import { joinProofProblem, proveJoin } from '../../src/protocol/join-proof.js';
import { JoinRequestSchema } from '../../src/protocol/relay-frames.js';
import {
  isRoomKeyText,
  open,
  roomKeyFromText,
  seal,
  type SealedBody,
} from '../../src/protocol/room-key.js';
import { readBody } from '../../src/protocol/message-body.js';
import { compatible } from '../../src/protocol/version.js';
import { checkedSignal, signSignal } from '../../src/transport/signed-signal.js';
import { inviteKey, passphraseKey } from '../../src/controllers/room/room-keys.js';
import { madeRoom, privateRoomId } from '../../src/protocol/room-id.js';
import { peerIdFor } from '../../signaling/peer-id.js';
import { checkChunk, checkList, makeManifest } from '../../src/protocol/file-hash.js';
import { openChunk } from '../../src/protocol/file-seal.js';
import { readFileBody, type Manifest } from '../../src/protocol/file-manifest.js';
import { decodeChunk, encodeChunk } from '../../src/transport/chunk-codec.js';
import { eventAllowed, readEvent, replyOf } from '../../src/protocol/message-events.js';
import { MessageList, type ChatMessage } from '../../src/controllers/room/message-list.js';

// The vectors' shapes are the document's; read loosely, as a client written from it would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const vectors: Json = JSON.parse(
  readFileSync(new URL('../../docs/protocol-vectors.json', import.meta.url), 'utf8'),
);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const encoder = new TextEncoder();

/** The RFC 8032 TEST 1 key as the app holds an identity (imported from its JWK). */
async function testIdentity(): Promise<Identity> {
  const id = vectors.identity;
  const privateKey = await crypto.subtle.importKey('jwk', id.jwk, { name: 'Ed25519' }, false, [
    'sign',
  ]);
  return { alg: 'ed25519', privateKey, publicKey: id.keyText, id: id.userId };
}

/** Seals with the real `seal`, its random IV replaced by `ivHex` for this one call. */
async function sealWithIv(key: CryptoKey, header: unknown[], body: unknown, ivHex: string) {
  const fixed = mock.method(
    globalThis.crypto,
    'getRandomValues',
    <T extends ArrayBufferView>(target: T) => {
      new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(fromHex(ivHex));
      return target;
    },
  );
  try {
    return await seal(key, header, body);
  } finally {
    fixed.mock.restore();
  }
}

describe('protocol vectors (docs/protocol-vectors.json)', () => {
  it('derives the key text, user id and safety code of RFC 8032 TEST 1', async () => {
    const id = vectors.identity;
    assert.equal(id.jwk.d, toBase64Url(fromHex(id.secretKeyHex)));
    assert.equal(id.keyText, `ed25519:${toBase64Url(fromHex(id.publicKeyHex))}`);
    assert.ok(isPublicKey(id.keyText));
    assert.equal(await identityIdOf(id.keyText), id.userId);
    assert.equal(await safetyCode(id.keyText), id.safetyCode);
  });

  it('encodes each canonical JSON example byte for byte', () => {
    for (const { value, json } of vectors.canonicalJson) assert.equal(canonicalJson(value), json);
  });

  it("signs the message envelope to the vector's bytes and signature, and verifies it", async () => {
    const e = vectors.envelope;
    assert.equal(e.purpose, SignaturePurposes.envelope);
    const signer = signerOf(await testIdentity());
    const signed = await signEnvelope(signer, e.unsigned);
    assert.equal(signed.sig, e.signature);
    assert.deepEqual(signed, e.signed);
    // The signed bytes are the purpose and the fields in the document's order.
    const u = e.unsigned;
    const fields = [u.id, u.room, u.from.id, u.from.name, u.from.key, u.ts, u.seq, u.body];
    assert.equal(canonicalJson([e.purpose, ...fields]), e.signedText);
    assert.ok(await verify(u.from.key, e.purpose, fields, e.signature));
    const parsed = v.parse(EnvelopeSchema, e.signed) as Envelope;
    assert.equal(await verifyEnvelope(parsed), true);
  });

  it('makes the join proof over a fixed session id, and the server takes it', async () => {
    const j = vectors.joinProof;
    const signer = signerOf(await testIdentity());
    const { me, proof } = await proveJoin(signer, j.sessionId, j.room, { ...j.me, userId: '' });
    assert.deepEqual(me, j.me);
    assert.equal(proof, j.proof);
    const fields = [j.sessionId, j.room, me.userId, me.name, me.key];
    assert.equal(canonicalJson([j.purpose, ...fields]), j.signedText);
    assert.equal(await joinProofProblem(j.sessionId, j.room, me, proof), undefined);
    assert.ok(v.is(JoinRequestSchema, j.request));
  });

  it('signs an offer over room, both peer ids, type and SDP, and checks it', async () => {
    const o = vectors.offer;
    const signer = signerOf(await testIdentity());
    assert.deepEqual(await signSignal(signer, o.room, o.from, o.to, o.description), o.signal);
    const fields = [o.room, o.from, o.to, o.description.type, o.description.sdp];
    assert.equal(canonicalJson([o.purpose, ...fields]), o.signedText);
    const hello = {
      id: o.from,
      userId: vectors.identity.userId,
      name: 'Ada',
      since: 0,
      key: vectors.identity.keyText,
    };
    assert.deepEqual(await checkedSignal(hello, o.room, o.to, o.signal, true), o.description);
  });

  it('derives the passphrase room key (trimmed, NFC, PBKDF2-SHA256 600,000) that opens the sealed body', async () => {
    const p = vectors.passphraseKey;
    assert.equal(p.passphrase.trim().normalize('NFC'), p.used);
    assert.equal(p.salt, `parley/room-key/1:${p.room}`);
    const material = await crypto.subtle.importKey('raw', encoder.encode(p.used), 'PBKDF2', false, [
      'deriveBits',
    ]);
    const raw = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: p.hash, salt: encoder.encode(p.salt), iterations: p.iterations },
      material,
      256,
    );
    assert.equal(hex(new Uint8Array(raw)), p.rawKeyHex);
    // The app's own key from what the visitor typed (spaces and decomposed accents included).
    const { key } = await passphraseKey(p.passphrase, p.room);
    const s = vectors.sealedBody;
    assert.deepEqual(await open(key, s.headerList, s.sealed), s.body);
    // Sealing the body with the vector's IV gives the vector's ciphertext.
    assert.deepEqual(await sealWithIv(key, s.headerList, s.body, s.ivHex), s.sealed);
  });

  it("seals the body bound to the envelope's header, and the sealed envelope verifies", async () => {
    const s = vectors.sealedBody;
    assert.deepEqual(sealingHeader(s.header), s.headerList);
    assert.equal(canonicalJson(s.headerList), s.additionalData);
    assert.equal(canonicalJson(s.body), s.plaintext);
    assert.equal(toBase64Url(fromHex(s.ivHex)), s.sealed.iv);
    const parsed = v.parse(EnvelopeSchema, s.envelope) as Envelope;
    assert.equal(await verifyEnvelope(parsed), true);
    assert.deepEqual(readBody(s.envelope.body)?.kind, 'sealed');
  });

  it('takes the invite key text, and its key seals to the vector', async () => {
    const k = vectors.inviteKey;
    assert.ok(isRoomKeyText(k.keyText));
    assert.equal(hex(fromBase64Url(k.keyText)!), k.rawKeyHex);
    const entry = await inviteKey(k.keyText);
    assert.ok(entry);
    const s = vectors.sealedWithInviteKey;
    assert.deepEqual(await sealWithIv(entry.key, s.headerList, s.body, s.ivHex), s.sealed);
    assert.deepEqual(await open(entry.key, s.headerList, s.sealed), s.body);
  });

  it('names keys by their id (1.1): the digest as written, and what the app computes', async () => {
    const k = vectors.keyId;
    const idOf = async (rawHex: string) => {
      const data = new Uint8Array([...encoder.encode(k.tag), ...fromHex(rawHex)]);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
      return toBase64Url(digest.subarray(0, 12));
    };
    assert.equal(await idOf(vectors.passphraseKey.rawKeyHex), k.passphraseKey);
    assert.equal(await idOf(vectors.inviteKey.rawKeyHex), k.inviteKey);
    assert.equal(
      (await passphraseKey(vectors.passphraseKey.passphrase, 'vault')).kid,
      k.passphraseKey,
    );
    assert.equal((await inviteKey(vectors.inviteKey.keyText))?.kid, k.inviteKey);
    // A named sealed body is a body; a 1.0 member, which knows no `kid`, opens it all the same.
    assert.equal(readBody(k.sealedWithKid)?.kind, 'sealed');
    const entry = (await inviteKey(vectors.inviteKey.keyText))!;
    const s = vectors.sealedWithInviteKey;
    assert.deepEqual(await open(entry.key, s.headerList, k.sealedWithKid), s.body);
  });

  it("derives a private room's id from its creator's key and nonce (1.1)", async () => {
    const r = vectors.privateRoom;
    assert.equal(r.hashed, `parley/room/1\n${r.creatorKey}\n${r.nonce}`);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(r.hashed)));
    let bits = '';
    for (const b of digest.subarray(0, 16)) bits += b.toString(2).padStart(8, '0');
    const base32 = bits
      .padEnd(Math.ceil(bits.length / 5) * 5, '0')
      .match(/.{5}/g)!
      .map((c) => 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(c, 2)])
      .join('');
    assert.equal(`p.${base32}`, r.room);
    assert.equal(await privateRoomId(r.creatorKey, r.nonce), r.room);
    assert.equal(await madeRoom(r.room, r.creatorKey, r.nonce), true);
    assert.equal(await madeRoom(r.room, vectors.identity.keyText + 'x', r.nonce), false);
  });

  it('reads a 1.1 receipt with `unread`, and a 1.0 one without it', () => {
    const a = vectors.ackWithUnread.ack;
    assert.deepEqual(v.parse(AckSchema, a), a);
    const { unread: _u, ...old } = a;
    assert.deepEqual(v.parse(AckSchema, old), old);
  });

  describe('signed notices (1.4)', () => {
    const n = vectors.signedNotices;
    it('signs a hello, a receipt and a typing notice to the vector bytes, and checks them', async () => {
      const signer = signerOf(await testIdentity());
      const { peer, room, name, at } = n.here.payload;
      assert.deepEqual(await signHere(signer, { room, peer, name, at }), n.here.payload);
      assert.deepEqual(v.parse(HereSchema, n.here.payload), n.here.payload);
      assert.equal(await verifyHere(n.here.payload), true);
      const ack = n.ack.payload;
      assert.deepEqual(await signAck(signer, { room: ack.room, ids: ack.ids }), ack);
      assert.deepEqual(v.parse(AckSchema, ack), ack);
      assert.equal(await verifyAck(ack), true);
      const t = n.typing.payload;
      assert.deepEqual(
        await signTyping(signer, { room: t.room, name: t.name, typing: t.typing, at: t.at }),
        t,
      );
      assert.equal(await verifyTyping(v.parse(TypingSchema, t), vectors.identity.keyText), true);
      // The signed text, as the document gives it, is what the signature covers.
      for (const [purpose, x] of [
        ['here', n.here],
        ['ack', n.ack],
        ['typing', n.typing],
      ] as const) {
        const sig = fromBase64Url(x.payload.sig)!;
        const key = await crypto.subtle.importKey(
          'jwk',
          { kty: 'OKP', crv: 'Ed25519', x: vectors.identity.jwk.x },
          { name: 'Ed25519' },
          false,
          ['verify'],
        );
        assert.equal(
          await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, encoder.encode(x.signedText)),
          true,
          purpose,
        );
      }
    });
    it('refuses each negative case', async () => {
      for (const c of n.negative) {
        const ok =
          c.kind === 'here'
            ? await verifyHere(v.parse(HereSchema, c.payload))
            : c.kind === 'ack'
              ? await verifyAck(v.parse(AckSchema, c.payload))
              : await verifyTyping(v.parse(TypingSchema, c.payload), vectors.identity.keyText);
        assert.equal(ok, false, c.about);
      }
    });
    it('leaves a 1.3 reader the fields it knows (a receipt, a typing notice)', () => {
      const old = v.object({ room: v.string(), by: v.string(), ids: v.array(v.string()) });
      assert.deepEqual(Object.keys(v.parse(old, n.ack.payload)).sort(), ['by', 'ids', 'room']);
    });
  });

  it("derives the peer id from the handshake's auth.key as the server does", () => {
    const p = vectors.peerId;
    assert.equal(peerIdFor({ key: p.authKey }, 'socketio-session-id0'), p.peerId);
    assert.equal(p.peerId.length, 24);
    // Without a usable key, a connection is known by its session id.
    assert.equal(peerIdFor({}, 'socketio-session-id0'), 'socketio-session-id0');
  });

  it('tells compatible versions from incompatible ones', () => {
    for (const { v: version, compatible: ok } of vectors.versions) {
      assert.equal(compatible(version ?? undefined), ok, String(version));
    }
  });

  it('reads each body as the document says', () => {
    for (const b of vectors.bodies) {
      const body = b.textOf ? { text: b.textOf.repeat.repeat(b.textOf.times) } : b.body;
      assert.equal(readBody(body)?.kind ?? 'malformed', b.reads, JSON.stringify(body).slice(0, 60));
    }
  });

  describe('files (1.2)', () => {
    const f = vectors.files;
    const content = new Uint8Array(40000).map((_, i) => i % 251);

    it("makes the vector file's manifest: chunk hashes inline, the list, the whole SHA-256", async () => {
      const stored: Uint8Array[] = [];
      const made = await makeManifest(new Blob([content]), {
        name: 'vector.bin',
        type: 'application/octet-stream',
        chunk: 16384,
        onChunk: async (_part, bytes) => void stored.push(bytes),
      });
      assert.deepEqual(made.manifest, f.manifest);
      assert.equal(hex(made.list), f.listHex);
      const m = f.manifest as Manifest;
      assert.equal(await checkList(m, made.list), true);
      for (const [part, bytes] of stored.entries())
        assert.equal(await checkChunk(m, made.list, part, bytes), true);
      // A chunk in another part's place does not check.
      assert.equal(await checkChunk(m, made.list, 0, stored[1]!), false);
      assert.ok(readFileBody({ kind: 'file', file: f.manifest }));
    });

    it('seals a chunk bound to its file nonce and part, and opens it only as that part', async () => {
      const c = f.sealedChunk;
      const key = await crypto.subtle.importKey('raw', fromHex(c.keyHex), 'AES-GCM', false, [
        'encrypt',
        'decrypt',
      ]);
      const plain = content.slice(c.plainRange[0], c.plainRange[1]);
      const additionalData = new TextEncoder().encode(c.aad);
      const iv = fromHex(c.ivHex);
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plain),
      );
      const sealed = new Uint8Array([...iv, ...ct]);
      assert.equal(sealed.length, c.sealedLength);
      assert.equal(hex(sealed.slice(0, 48)), c.sealedHexPrefix);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', sealed));
      assert.equal(toBase64Url(digest), c.sealedSha256);
      assert.deepEqual(await openChunk(key, c.nonce, c.part, sealed), plain);
      assert.equal(await openChunk(key, c.nonce, c.part + 1, sealed), undefined);
    });

    it('frames a chunk for a data channel: tag, head length, head, bytes', () => {
      const c = f.chunkFrame;
      const frame = encodeChunk(c.head, fromHex(c.bytesHex));
      assert.equal(hex(frame), c.frameHex);
      const back = decodeChunk(fromHex(c.frameHex));
      assert.deepEqual(back?.head, c.head);
      assert.equal(hex(back!.bytes), c.bytesHex);
    });
  });

  describe('message events (1.3)', () => {
    const e = vectors.messageEvents;
    const signer = async () => signerOf(await testIdentity());

    it('signs each event and the reply to the bytes of the vector, and verifies them', async () => {
      const s = await signer();
      for (const x of [...e.events, e.reply, ...e.refused]) {
        const { sig: _sig, ...unsigned } = x.signed;
        assert.deepEqual(await signEnvelope(s, unsigned), x.signed, x.name);
        assert.ok(await verifyEnvelope(v.parse(EnvelopeSchema, x.signed) as Envelope), x.name);
      }
    });

    it('reads each event, counts it only when it may (only the author edits or deletes)', () => {
      for (const x of [...e.events, ...e.refused]) {
        const read = readEvent(x.signed.body.kind, x.signed.body);
        assert.deepEqual(read, x.reads, x.name);
        assert.equal(eventAllowed(read!, x.signed), x.allowed, x.name);
      }
      for (const m of e.malformed) assert.equal(readEvent(m.kind, m.body), undefined, m.why);
    });

    it('reads the reply as the text it is, naming the message it answers', () => {
      const body = e.reply.signed.body;
      assert.equal(readBody(body)?.kind, e.reply.readsAs);
      assert.equal(replyOf(body), e.reply.answers);
    });

    it('folds the events into the message as the document says, in order', () => {
      const row = (env: Envelope, extra: Partial<ChatMessage>): ChatMessage => ({
        ...env,
        owner: 'vectors',
        status: 'received',
        text: '',
        ...extra,
      });
      const list = new MessageList(vectors.identity.userId);
      list.upsert(row(vectors.envelope.signed, { text: vectors.envelope.unsigned.body.text }));
      const steps = ['afterEdit', 'afterReact', 'afterUnreact', 'afterDelete'];
      for (const [i, x] of e.events.entries()) {
        list.upsert(row(x.signed, { event: x.reads }));
        const shown = list.items[0]!;
        const want = e.shows[steps[i]!];
        for (const [field, value] of Object.entries(want)) {
          if (field !== 'reactions') assert.deepEqual(shown[field as keyof ChatMessage], value);
        }
        if (want.reactions)
          assert.deepEqual(
            (shown.reactions ?? []).map((r) => ({ emoji: r.emoji, by: r.by })),
            want.reactions,
          );
      }
      assert.equal(list.items.length, 1, 'events are never rows');
    });
  });

  describe('negative cases', () => {
    const n = vectors.negative;
    const refused = async (env: unknown) => {
      const parsed = v.safeParse(EnvelopeSchema, env);
      return !parsed.success || !(await verifyEnvelope(parsed.output as Envelope));
    };

    it('refuses a wrong signature, a changed field, an id not of the key, a message id not of its author', async () => {
      assert.ok(await refused(n.wrongSignature));
      assert.ok(await refused(n.signatureOfAnotherField));
      assert.ok(await refused(n.idNotOfKey));
      assert.ok(await refused(n.messageIdNotOfAuthor));
    });

    it('refuses non-canonical key and invite texts', async () => {
      assert.equal(isPublicKey(n.nonCanonicalKeyText), false);
      // The same bytes as the canonical text: only the spelling differs.
      const same = (a: string, b: string) =>
        hex(fromBase64Url(a.replace(/^ed25519:/, ''))!) ===
        hex(fromBase64Url(b.replace(/^ed25519:/, ''))!);
      assert.ok(same(n.nonCanonicalKeyText, vectors.identity.keyText));
      assert.equal(isRoomKeyText(n.nonCanonicalInviteText), false);
      assert.ok(same(n.nonCanonicalInviteText, vectors.inviteKey.keyText));
      assert.equal(await roomKeyFromText(n.nonCanonicalInviteText), undefined);
    });

    it('refuses a join proof on another session and an offer sent to another peer', async () => {
      const j = n.joinOverAnotherSession;
      assert.equal(
        await joinProofProblem(j.sessionId, j.room, j.me, j.proof),
        'the proof of the identity key does not check out',
      );
      const o = n.offerToAnotherPeer;
      const hello = {
        id: o.from,
        userId: vectors.identity.userId,
        name: 'Ada',
        since: 0,
        key: vectors.identity.keyText,
      };
      assert.equal(await checkedSignal(hello, o.room, o.to, o.signal, true), undefined);
    });

    it('opens neither a sealed body moved to another header nor a tampered ciphertext', async () => {
      const { key } = await passphraseKey(vectors.passphraseKey.passphrase, 'vault');
      const moved = n.movedSealedBody;
      assert.equal(await open(key, moved.headerList, moved.sealed as SealedBody), undefined);
      const tampered = n.tamperedCiphertext;
      assert.equal(await open(key, tampered.headerList, tampered.sealed as SealedBody), undefined);
    });
  });
});
