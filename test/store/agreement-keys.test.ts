/**
 * Each account's key-agreement key pair (src/store/agreement-keys.ts), in real IndexedDB: made
 * on first use, the same one afterwards and after the database is opened again, one per
 * account, one even when two tabs ask at once, the private key never exportable — and a room
 * key wrapped to the stored pair opens with it.
 */
import { expect } from '@open-wc/testing';
import { newRawRoomKey, unwrapRoomKey, wrapRoomKey } from '../../src/protocol/key-agreement.js';
import { openParleyDb } from '../../src/store/db.js';
import { agreementKeysFor, agreementKeysKey } from '../../src/store/agreement-keys.js';
import { freshDb } from '../support/db.js';

describe('key-agreement keys of accounts', () => {
  it('makes one pair per account, keeps it, and it opens keys wrapped to it', async () => {
    const { db, name, drop } = await freshDb();
    try {
      const [a, b] = await Promise.all([agreementKeysFor(db, 'ann'), agreementKeysFor(db, 'ann')]);
      expect(b.publicKey, 'two tabs at once: one pair').to.equal(a.publicKey);
      expect(a.alg).to.equal('x25519');
      expect(a.privateKey.extractable).to.equal(false);
      let exported = true;
      await crypto.subtle.exportKey('pkcs8', a.privateKey).catch(() => (exported = false));
      expect(exported).to.equal(false);
      const other = await agreementKeysFor(db, 'bob');
      expect(other.publicKey).to.not.equal(a.publicKey);
      db.close();
      const again = await openParleyDb(name);
      const kept = await agreementKeysFor(again, 'ann');
      expect(kept.publicKey).to.equal(a.publicKey);
      const { raw } = await newRawRoomKey();
      const ctx = { room: 'p.abcdefghijklmnopqrstuvwxyz', epoch: 1 };
      const to = 'AAAAAAAAAAAAAAAAAAAAAA';
      const w = await wrapRoomKey(raw, ctx, [{ to, kx: a.publicKey }]);
      expect(await unwrapRoomKey(ctx, w.eph, w.keys[0]!, to, kept)).to.deep.equal(raw);
      // Something else under the key is replaced, not trusted.
      await again.put('kv', { alg: 'x25519', publicKey: 'junk' }, agreementKeysKey('cat'));
      expect((await agreementKeysFor(again, 'cat')).publicKey).to.match(/^x25519:/);
      again.close();
    } finally {
      await drop();
    }
  });
});
