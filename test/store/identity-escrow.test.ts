/**
 * Exportable identities (src/store/identities.ts, identity-escrow.ts) on real IndexedDB: made with the account's
 * password, an identity keeps a copy of its private keys sealed under it — never in the clear
 * — beside non-extractable keys for daily use, and its key-agreement keys are made with it;
 * two tabs at once still end with one identity; key-agreement keys from before are kept (and the
 * identity is then not exportable); a record from before export has nothing to export; only the
 * password opens the copy.
 */
import { expect } from '@open-wc/testing';
import { IdentityFileError } from '../../src/protocol/identity-file.js';
import { createAgreementKeys } from '../../src/protocol/key-agreement.js';
import { keysFromSecrets } from '../../src/protocol/portable-keys.js';
import { agreementKeysFor, agreementKeysKey } from '../../src/store/agreement-keys.js';
import type { ParleyDb } from '../../src/store/db.js';
import { exportStateOf, identityFor } from '../../src/store/identities.js';
import { openForExport } from '../../src/store/identity-escrow.js';
import { freshDb } from '../support/db.js';

const PASSWORD = 'a password long enough';

describe('exportable identities', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('keeps the private keys sealed under the password, and non-extractable keys for use', async () => {
    const [a, b] = await Promise.all([
      identityFor(db, 'acct-1', PASSWORD),
      identityFor(db, 'acct-1', PASSWORD), // another tab, at the same moment
    ]);
    expect(b.publicKey, 'one identity for the account').to.equal(a.publicKey);
    const rec = (await db.get('identities', 'acct-1'))!;
    expect(rec.publicKey).to.equal(a.publicKey);
    expect(rec.privateKey.extractable).to.equal(false);
    expect(rec.escrow?.by).to.equal('password');
    expect(rec.escrow?.kdf.iterations).to.equal(600_000);
    const kx = await agreementKeysFor(db, 'acct-1');
    expect(kx.privateKey.extractable).to.equal(false);
    expect(rec.escrow?.agreementKey, 'sealed with the account’s agreement keys').to.equal(
      kx.publicKey,
    );
    expect(await exportStateOf(db, 'acct-1')).to.equal('password');

    const opened = await openForExport(db, 'acct-1', PASSWORD);
    const keys = await keysFromSecrets(opened.secrets);
    expect(keys.identity.publicKey).to.equal(rec.publicKey);
    expect(keys.agreement.publicKey).to.equal(kx.publicKey);
    // The stored record holds no private byte in the clear.
    const stored = JSON.stringify(rec.escrow);
    const tail = (b: Uint8Array) =>
      btoa(String.fromCharCode(...b.slice(-24)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_');
    expect(stored).not.to.contain(tail(opened.secrets.signing.pkcs8).replace(/=+$/, ''));
  });

  it('opens the copy with the password only', async () => {
    await identityFor(db, 'acct-2', PASSWORD);
    let err: unknown;
    try {
      await openForExport(db, 'acct-2', 'not the password');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(IdentityFileError);
    expect((err as IdentityFileError).reason).to.equal('wrong-passphrase');
  });

  it('keeps key-agreement keys from before, and then has nothing to export', async () => {
    const before = await createAgreementKeys();
    await db.put('kv', before, agreementKeysKey('acct-3'));
    await identityFor(db, 'acct-3', PASSWORD);
    expect((await agreementKeysFor(db, 'acct-3')).publicKey).to.equal(before.publicKey);
    expect(await exportStateOf(db, 'acct-3')).to.equal('none');
  });

  it('has nothing to export for an identity made without a password, or stored before export', async () => {
    await identityFor(db, 'acct-4');
    expect(await exportStateOf(db, 'acct-4')).to.equal('none');
    await identityFor(db, 'acct-5', PASSWORD);
    const { escrow: _, ...old } = (await db.get('identities', 'acct-5'))!;
    await db.put('identities', old); // a record as an older version stored it
    expect(await exportStateOf(db, 'acct-5')).to.equal('none');
    let err: unknown;
    try {
      await openForExport(db, 'acct-5', PASSWORD);
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.contain('made before export existed');
  });
});
