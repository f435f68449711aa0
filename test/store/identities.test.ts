/**
 * Every account's identity key (src/store/identities.ts): made at creation, the same at every
 * later login, made at the next login for an account from before identities (a real version 1
 * database upgraded), never two for one account, the private key never exportable.
 */
import { expect } from '@open-wc/testing';
import { identityIdOf, sign, SignaturePurposes, verify } from '../../src/protocol/identity.js';
import { AccountModel } from '../../src/store/account-model.js';
import type { Profile } from '../../src/store/accounts.js';
import { deleteParleyDb, openParleyDb, type ParleyDb } from '../../src/store/db.js';
import { identityFor } from '../../src/store/identities.js';
import { hashPassword, newSalt } from '../../src/store/passwords.js';
import { freshDb, uniqueDbName } from '../support/db.js';

/** The profile the model answers `ev` with. */
function answer(model: AccountModel, ev: 'login' | 'register', name: string, password: string) {
  return new Promise<Profile>((resolve, reject) => {
    const offs = [
      model.on('logsuc', (p) => (offs.forEach((off) => off()), resolve(p))),
      model.on('logfail', (f) => (offs.forEach((off) => off()), reject(new Error(f.message)))),
    ];
    model.emit(ev, name, password);
  });
}

describe('identity keys of accounts', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('gives a new account its key at creation and the same key at every later login', async () => {
    const made = await answer(
      new AccountModel(Promise.resolve(db)),
      'register',
      'Ann',
      'long enough',
    );
    expect(made.identity, 'the first answer carries it').to.exist;
    expect(made.identity!.id).to.equal(await identityIdOf(made.identity!.publicKey));
    const rec = await db.get('identities', made.id);
    expect(rec!.privateKey.extractable).to.equal(false);
    expect(rec!.publicKey).to.equal(made.identity!.publicKey);
    const again = await answer(
      new AccountModel(Promise.resolve(db)),
      'login',
      'Ann',
      'long enough',
    );
    expect(again.identity).to.deep.equal(made.identity);
    // The stored private key signs for the public key the profile shows.
    const sig = await sign(rec!, SignaturePurposes.join, ['x']);
    expect(await verify(made.identity!.publicKey, SignaturePurposes.join, ['x'], sig)).to.equal(
      true,
    );
  });

  it('makes one identity when two tabs ask for it at the same moment', async () => {
    const [a, b] = await Promise.all([identityFor(db, 'owner-1'), identityFor(db, 'owner-1')]);
    expect(a.publicKey).to.equal(b.publicKey);
    expect((await db.get('identities', 'owner-1'))!.publicKey).to.equal(a.publicKey);
    expect((await identityFor(db, 'owner-2')).publicKey).to.not.equal(a.publicKey);
  });
});

describe('identity keys after an upgrade', () => {
  const name = uniqueDbName();
  after(() => deleteParleyDb(name));

  it('gives an account from a version 1 database its key at its next login', async () => {
    // The database as version 1 left it: the same stores, no identities, one account.
    const salt = newSalt();
    const account = {
      key: 'old timer',
      name: 'Old Timer',
      id: crypto.randomUUID(),
      salt,
      hash: await hashPassword('from before', salt, 1000),
      iterations: 1000,
      created: Date.now() - 86_400_000,
    };
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const v1 = req.result;
        v1.createObjectStore('accounts', { keyPath: 'key' }).put(account);
        for (const store of ['messages', 'outbox']) {
          const s = v1.createObjectStore(store, { keyPath: ['owner', 'id'] });
          s.createIndex('by-room-time', ['owner', 'room', 'ts', 'id']);
        }
        v1.createObjectStore('kv');
      };
      req.onsuccess = () => (req.result.close(), resolve());
      req.onerror = () => reject(req.error);
    });
    const upgraded = await openParleyDb(name);
    try {
      expect(await upgraded.get('identities', account.id), 'none before the login').to.equal(
        undefined,
      );
      const profile = await answer(
        new AccountModel(Promise.resolve(upgraded)),
        'login',
        'Old Timer',
        'from before',
      );
      expect(profile.id).to.equal(account.id);
      expect(profile.identity).to.exist;
      expect((await upgraded.get('identities', account.id))!.publicKey).to.equal(
        profile.identity!.publicKey,
      );
    } finally {
      upgraded.close();
    }
  });
});
