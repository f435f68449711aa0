/**
 * Browser side of the key-rotation benchmark: a private room of `size` members, each with a
 * real identity, key-agreement key and RoomMembers (test/support/private-room.ts, the code the
 * tests use), all having seen the charter and everyone's announcement (not timed). Timed: the
 * creator removes one member — the new key made and wrapped for the rest, the rekey sealed and
 * signed — then each remaining member in turn checks the rekey's signature, opens it, takes it
 * (fold, unwrap, key id), stores the key and opens the next message sealed with it. One page
 * does every member's work one after another: the total is what all of them spend together;
 * on their own devices they work at once, so "build + slowest member" is the wait.
 *
 * The raw contender does only the cryptography of the same rotation with bare WebCrypto: one
 * ephemeral X25519 key, ECDH + HKDF + AES-GCM per member to wrap, the same to unwrap, an
 * import and one AES-GCM open — no envelope, signature, seal, roles or checks.
 */
import { PrivateRoom, type Person } from '../../test/support/private-room.js';
import { jsonSize } from '../../src/protocol/limits.js';

/** One rotation's times (ms) and sizes (bytes of UTF-8 JSON). */
export interface RotationSample {
  /** The remover's work: new key, wrapping, sealing and signing the rekey. */
  build: number;
  /** Each remaining member's work until they read the next message. */
  members: number[];
  /** Everything, one after another. */
  total: number;
  /** Whether every remaining member read the next message, and the removed one did not. */
  ok: boolean;
  bytes: { rekeyBody: number; rekeyEnvelope: number; priorEnvelope: number };
}

const text = { text: 'the next message' };

async function room(size: number): Promise<{ room: PrivateRoom; people: Person[] }> {
  const made = await PrivateRoom.create('Member 0');
  const people = [made.creator];
  for (let i = 1; i < size; i++) people.push(await made.room.person(`Member ${i}`));
  await made.room.start(made.creator, people.slice(1));
  return { room: made.room, people };
}

/** One rotation in a room of `size`: the creator removes the last member. */
async function rotate(size: number): Promise<RotationSample> {
  const { room: r, people } = await room(size);
  const [admin, ...rest] = people;
  const removed = rest.pop()!;
  const old = admin!.current;
  const t0 = performance.now();
  const removal = await admin!.members.removeBody(removed.signer.id);
  if (!removal.body) throw new Error(removal.reason);
  const rekey = await r.post(admin!, removal.body, { kid: removal.sealWith });
  const t1 = performance.now();
  await r.deliver(rekey, [admin!]);
  const next = await r.post(admin!, text);
  const t2 = performance.now();
  const members: number[] = [t2 - t0];
  let ok = true;
  for (const m of rest) {
    const start = performance.now();
    await r.deliver(rekey, [m]);
    const [read] = await r.deliver(next, [m]);
    members.push(performance.now() - start);
    ok &&= JSON.stringify(read) === JSON.stringify(text);
  }
  const total = performance.now() - t0;
  await r.deliver(rekey, [removed]);
  const [theirs] = await r.deliver(next, [removed]);
  ok &&= theirs === 'unreadable';
  const prior = await admin!.members.priorBody(admin!.raws.get(old)!);
  const priorPost = await r.post(admin!, prior.body!, { kid: prior.sealWith });
  return {
    build: t1 - t0,
    members,
    total,
    ok,
    bytes: {
      rekeyBody: jsonSize(removal.body)!,
      rekeyEnvelope: jsonSize(rekey.env)!,
      priorEnvelope: jsonSize(priorPost.env)!,
    },
  };
}

const AES = { name: 'AES-GCM', length: 256 } as const;

async function hkdfKey(priv: CryptoKey, pub: CryptoKey, usage: KeyUsage): Promise<CryptoKey> {
  const bits = await crypto.subtle.deriveBits({ name: 'X25519', public: pub }, priv, 256);
  const ikm = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  const info = new TextEncoder().encode('bench');
  const hkdf = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info };
  return crypto.subtle.deriveKey(hkdf, ikm, AES, false, [usage]);
}

/** The same rotation's cryptography, bare: total ms. */
async function rotateRaw(size: number): Promise<number> {
  const gen = () =>
    crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']) as Promise<CryptoKeyPair>;
  const members = await Promise.all(Array.from({ length: size - 1 }, gen));
  const t0 = performance.now();
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const eph = await gen();
  const wrapped: { iv: Uint8Array<ArrayBuffer>; ct: ArrayBuffer }[] = [];
  for (const m of members.slice(0, -1)) {
    const k = await hkdfKey(eph.privateKey, m.publicKey, 'encrypt');
    const iv = crypto.getRandomValues(new Uint8Array(12));
    wrapped.push({ iv, ct: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, k, raw) });
  }
  const roomKey = await crypto.subtle.importKey('raw', raw, AES, false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const next = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, roomKey, new Uint8Array(40));
  for (const [i, m] of members.slice(0, -1).entries()) {
    const k = await hkdfKey(m.privateKey, eph.publicKey, 'decrypt');
    const w = wrapped[i]!;
    const got = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: w.iv }, k, w.ct);
    const key = await crypto.subtle.importKey('raw', got, AES, false, ['decrypt']);
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, next);
  }
  return performance.now() - t0;
}

/** What the benchmark calls in the page. */
export interface KeyRotationPageApi {
  rotate: typeof rotate;
  rotateRaw: typeof rotateRaw;
}

(globalThis as unknown as { bench: KeyRotationPageApi }).bench = { rotate, rotateRaw };
