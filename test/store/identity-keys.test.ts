/**
 * Identity keys in Chromium: the algorithm chosen here (Ed25519, the choice recorded in
 * src/protocol/identity.ts), a private key that cannot be exported, and one that survives a
 * round trip through IndexedDB (a CryptoKey is stored as itself) and still signs.
 */
import { expect } from '@open-wc/testing';
import { createIdentity, sign, SignaturePurposes, verify } from '../../src/protocol/identity.js';
import { uniqueDbName } from '../support/db.js';

/** Stores `value` in a fresh IndexedDB database and reads it back. */
async function roundTrip<T>(value: T): Promise<T> {
  const name = uniqueDbName();
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('keys');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const done = (req: IDBRequest) =>
    new Promise<unknown>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  await done(db.transaction('keys', 'readwrite').objectStore('keys').put(value, 'me'));
  const back = (await done(db.transaction('keys').objectStore('keys').get('me'))) as T;
  db.close();
  indexedDB.deleteDatabase(name);
  return back;
}

describe('identity keys in the browser', () => {
  it('uses Ed25519, keeps the private key unexportable, and signs after an IndexedDB round trip', async () => {
    const me = await createIdentity();
    expect(me.alg, 'Chromium has Ed25519').to.equal('ed25519');
    expect(me.privateKey.extractable).to.equal(false);
    let exported: unknown;
    try {
      exported = await crypto.subtle.exportKey('pkcs8', me.privateKey);
    } catch (err) {
      exported = err;
    }
    expect(exported, 'exporting the private key fails').to.be.instanceOf(DOMException);
    const stored = await roundTrip(me);
    expect(stored.privateKey).to.be.instanceOf(CryptoKey);
    expect(stored.privateKey.extractable).to.equal(false);
    const fields = ['m-1', 'room', me.id, Date.now(), 0, { text: 'hi' }];
    const sig = await sign(stored, SignaturePurposes.envelope, fields);
    expect(await verify(me.publicKey, SignaturePurposes.envelope, fields, sig)).to.equal(true);
  });

  it('still makes a working P-256 identity where asked (the fallback)', async () => {
    const me = await createIdentity('p256');
    expect(me.alg).to.equal('p256');
    const sig = await sign(me, SignaturePurposes.join, ['challenge']);
    expect(await verify(me.publicKey, SignaturePurposes.join, ['challenge'], sig)).to.equal(true);
  });
});
