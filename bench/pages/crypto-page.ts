/**
 * Browser side of the crypto benchmark: what signing, verifying, sealing and opening one
 * message costs in this Chromium's WebCrypto, through Parley's wrappers (canonical encoding,
 * purpose tag, key import cache) and raw (`crypto.subtle` on bytes made once), alternating
 * every sample so both see the same machine.
 */
import {
  createIdentity,
  sign,
  SignaturePurposes,
  verify,
  type IdentityAlgorithm,
} from '../../src/protocol/identity.js';
import { fromBase64Url } from '../../src/protocol/encoding.js';
import { open, textRoomKey, newRoomKeyText, seal } from '../../src/protocol/room-key.js';

/** One operation measured both ways. */
export type CryptoOp = 'sign' | 'verify' | 'seal' | 'open' | 'seal-kid';

/** Microseconds per operation, one number per sample, per contender. */
export interface CryptoSamples {
  parley: number[];
  raw: number[];
}

/** A message as the benchmark signs and seals it: a 300-byte body. */
const header = ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'bench', 'AbCdEfGhIjKlMnOpQrStUv', 1e12, 7];
const body = { text: 'x'.repeat(300 - 11) };
const encoder = new TextEncoder();
const ALG = {
  ed25519: { name: 'Ed25519' },
  p256: { name: 'ECDSA', hash: 'SHA-256' },
} as const;

/** Times `batch` runs of each contender per sample, alternating which goes first. */
async function alternate(
  samples: number,
  batch: number,
  parley: () => Promise<unknown>,
  raw: () => Promise<unknown>,
): Promise<CryptoSamples> {
  const out: CryptoSamples = { parley: [], raw: [] };
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    return ((performance.now() - start) * 1000) / batch;
  };
  for (let s = 0; s < samples; s++) {
    const first = s % 2 ? raw : parley;
    const t1 = await time(first);
    const t2 = await time(first === raw ? parley : raw);
    out.parley.push(first === parley ? t1 : t2);
    out.raw.push(first === raw ? t1 : t2);
  }
  return out;
}

/** Measures `op` (for signatures, with `alg`); warm-up samples are dropped. */
async function measure(
  op: CryptoOp,
  alg: IdentityAlgorithm,
  plan: { warmup: number; samples: number; batch: number },
): Promise<CryptoSamples> {
  const me = await createIdentity(alg);
  const fields = [...header, body];
  const bytes = encoder.encode(JSON.stringify([SignaturePurposes.envelope, ...fields]));
  const sig = await sign(me, SignaturePurposes.envelope, fields);
  const sigBytes = new Uint8Array(await crypto.subtle.sign(ALG[alg], me.privateKey, bytes));
  const publicKey = await crypto.subtle.importKey(
    'raw',
    fromBase64Url(me.publicKey.slice(me.publicKey.indexOf(':') + 1))!,
    alg === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const { key, kid } = (await textRoomKey(newRoomKeyText()))!;
  const aad = encoder.encode(JSON.stringify(header));
  const plain = encoder.encode(JSON.stringify(body));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await seal(key, header, body);
  const rawSealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad },
    key,
    plain,
  );
  const contenders: Record<CryptoOp, [() => Promise<unknown>, () => Promise<unknown>]> = {
    sign: [
      () => sign(me, SignaturePurposes.envelope, fields),
      () => crypto.subtle.sign(ALG[alg], me.privateKey, bytes),
    ],
    verify: [
      () => verify(me.publicKey, SignaturePurposes.envelope, fields, sig),
      () => crypto.subtle.verify(ALG[alg], publicKey, sigBytes, bytes),
    ],
    seal: [
      () => seal(key, header, body),
      () =>
        crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)), additionalData: aad },
          key,
          plain,
        ),
    ],
    // Protocol 1.1 names the key in every sealed body: seal and sign one message with the
    // key's id (parley column) against the same without it, as 1.0 did (raw column).
    'seal-kid': [
      async () =>
        sign(me, SignaturePurposes.envelope, [...header, await seal(key, header, body, kid)]),
      async () => sign(me, SignaturePurposes.envelope, [...header, await seal(key, header, body)]),
    ],
    open: [
      () => open(key, header, sealed),
      () => crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, rawSealed),
    ],
  };
  const [parley, rawFn] = contenders[op];
  const all = await alternate(plan.warmup + plan.samples, plan.batch, parley, rawFn);
  return { parley: all.parley.slice(plan.warmup), raw: all.raw.slice(plan.warmup) };
}

/** What the benchmark calls in the page. */
export interface CryptoPageApi {
  measure: typeof measure;
  isolated(): boolean;
}

(globalThis as unknown as { bench: CryptoPageApi }).bench = {
  measure,
  isolated: () => crossOriginIsolated,
};
