/**
 * The sealed identity file (src/protocol/identity-file.ts) in Node's WebCrypto: what it
 * reveals without the passphrase, that it opens to the same identity, and that a wrong
 * passphrase or a doctored file is refused with a clear reason before anything is installed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IdentityFileError,
  MAX_SEAL_ITERATIONS,
  openIdentityFile,
  openSeal,
  readIdentityFile,
  sealSecrets,
  writeIdentityFile,
} from '../../src/protocol/identity-file.js';
import { safetyCode, sign, SignaturePurposes, verify } from '../../src/protocol/identity.js';
import { createPortableKeys, type KeySecrets } from '../../src/protocol/portable-keys.js';
import { canonicalJson } from '../../src/protocol/identity.js';

const PASS = 'correct horse battery staple';

/** A copy of the private bytes (the file writer does not wipe them; the test keeps its own). */
const copy = (s: KeySecrets): KeySecrets => ({
  signing: { alg: s.signing.alg, pkcs8: s.signing.pkcs8.slice() },
  agreement: { alg: s.agreement.alg, pkcs8: s.agreement.pkcs8.slice() },
});

async function made() {
  const keys = await createPortableKeys();
  const text = await writeIdentityFile(
    'Alice',
    { publicKey: keys.identity.publicKey, agreementKey: keys.agreement.publicKey },
    copy(keys.secrets),
    PASS,
  );
  return { keys, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function refused(p: Promise<unknown>, reason: IdentityFileError['reason']) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof IdentityFileError, String(err));
    assert.equal(err.reason, reason, err.message);
    return true;
  });
}

describe('sealed identity file', () => {
  it('shows whose identity it is without the passphrase, and no private key in the clear', async () => {
    const { keys, text, json } = await made();
    const file = await readIdentityFile(text);
    assert.equal(file.format, 'parley-identity-sealed/1');
    assert.equal(file.name, 'Alice');
    assert.equal(file.publicKey, keys.identity.publicKey);
    assert.equal(file.safetyCode, await safetyCode(keys.identity.publicKey));
    assert.equal(file.kdf.iterations, 600_000);
    assert.deepEqual(Object.keys(json).sort(), [
      'agreementKey',
      'cipher',
      'format',
      'kdf',
      'name',
      'publicKey',
      'safetyCode',
      'sealed',
    ]);
    // The private bytes appear nowhere, in any encoding the file uses.
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    assert.ok(!text.includes(b64(keys.secrets.signing.pkcs8).slice(-43)));
    assert.ok(!text.includes(b64(keys.secrets.agreement.pkcs8).slice(-43)));
  });

  it('opens with its passphrase to the same identity, non-extractable, that signs as it', async () => {
    const { keys, text } = await made();
    const opened = await openIdentityFile(await readIdentityFile(text), PASS);
    assert.equal(opened.identity.publicKey, keys.identity.publicKey);
    assert.equal(opened.identity.id, keys.identity.id);
    assert.equal(opened.agreement.publicKey, keys.agreement.publicKey);
    assert.equal(opened.identity.privateKey.extractable, false);
    assert.equal(opened.agreement.privateKey.extractable, false);
    const fields = ['m-1', 'help', 'from', 1, 1, { text: 'hi' }];
    const sig = await sign(opened.identity, SignaturePurposes.envelope, fields);
    assert.equal(
      await verify(keys.identity.publicKey, SignaturePurposes.envelope, fields, sig),
      true,
    );
  });

  it('refuses a wrong passphrase', async () => {
    const { text } = await made();
    await refused(
      openIdentityFile(await readIdentityFile(text), 'not the passphrase'),
      'wrong-passphrase',
    );
  });

  it('refuses a doctored header: another name, another key, a safety code not its key’s', async () => {
    const { json } = await made();
    const renamed = await readIdentityFile(JSON.stringify({ ...json, name: 'Mallory' }));
    await refused(openIdentityFile(renamed, PASS), 'wrong-passphrase');
    const other = await createPortableKeys();
    const swapped = {
      ...json,
      publicKey: other.identity.publicKey,
      safetyCode: await safetyCode(other.identity.publicKey),
    };
    await refused(
      openIdentityFile(await readIdentityFile(JSON.stringify(swapped)), PASS),
      'wrong-passphrase',
    );
    await refused(
      readIdentityFile(JSON.stringify({ ...json, publicKey: other.identity.publicKey })),
      'changed',
    );
    const sealed = String(json.sealed);
    const flipped = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    await refused(
      openIdentityFile(await readIdentityFile(JSON.stringify({ ...json, sealed: flipped })), PASS),
      'wrong-passphrase',
    );
  });

  it('refuses keys inside that are not the header’s, even under the right passphrase', async () => {
    const { keys } = await made();
    const other = await createPortableKeys();
    const header = {
      format: 'parley-identity-sealed/1',
      name: 'Alice',
      publicKey: keys.identity.publicKey,
      agreementKey: keys.agreement.publicKey,
      safetyCode: await safetyCode(keys.identity.publicKey),
    };
    // Someone who knows the passphrase seals another key under Alice's header.
    const seal = await sealSecrets(other.secrets, PASS, (head) =>
      canonicalJson({ ...header, ...head }),
    );
    const file = await readIdentityFile(JSON.stringify({ ...header, ...seal }));
    await refused(openIdentityFile(file, PASS), 'changed');
  });

  it('refuses a seal that opens to something other than two keys of known algorithms', async () => {
    const { keys } = await made();
    const bound = () => 'bound';
    const odd = {
      signing: { alg: 'rsa', pkcs8: keys.secrets.signing.pkcs8 },
      agreement: keys.secrets.agreement,
    } as unknown as KeySecrets;
    await refused(openSeal(await sealSecrets(odd, PASS, bound), PASS, bound), 'changed');
    const fine = await sealSecrets(copy(keys.secrets), PASS, bound);
    const opened = await openSeal(fine, PASS, bound);
    assert.deepEqual([...opened.signing.pkcs8], [...keys.secrets.signing.pkcs8]);
  });

  it('refuses, before any hashing, files that are too large, of another shape or too costly to open', async () => {
    const { json } = await made();
    const kdf = json.kdf as Record<string, unknown>;
    const t0 = performance.now();
    await refused(
      readIdentityFile(
        JSON.stringify({ ...json, kdf: { ...kdf, iterations: MAX_SEAL_ITERATIONS + 1 } }),
      ),
      'changed',
    );
    await refused(
      readIdentityFile(JSON.stringify({ ...json, kdf: { ...kdf, iterations: 1000 } })),
      'changed',
    );
    await refused(readIdentityFile(JSON.stringify({ ...json, extra: 1 })), 'changed');
    await refused(
      readIdentityFile(JSON.stringify({ ...json, format: 'parley-identity-sealed/2' })),
      'changed',
    );
    await refused(
      readIdentityFile(JSON.stringify({ ...json, padding: 'x'.repeat(9000) })),
      'unreadable',
    );
    await refused(readIdentityFile('{"format":"parley-identity/1","key":"..."}'), 'changed');
    await refused(readIdentityFile('not json'), 'unreadable');
    assert.ok(performance.now() - t0 < 200, 'nothing was hashed');
  });
});
