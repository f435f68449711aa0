import { expect } from '@open-wc/testing';
import { AccountModel } from '../../src/store/account-model.js';
import { loadSession, saveSession, siteAccount } from '../../src/store/accounts.js';
import { createAccount, verifyLogin } from '../../src/store/account-login.js';
import { PBKDF2_ITERATIONS, SALT_BYTES, hashPassword } from '../../src/store/passwords.js';
import type { ParleyDb } from '../../src/store/db.js';
import type { PasswordAccount } from '../../src/store/schema.js';
import { freshDb } from '../support/db.js';

describe('accounts', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('stores a PBKDF2-SHA256 hash with >= 600k iterations and a 16-byte salt, never the password', async () => {
    const password = 'correct horse battery';
    const made = await createAccount(db, 'Alice', password);
    expect(made.ok).to.equal(true);
    const rec = (await db.get('accounts', 'alice')) as PasswordAccount | undefined;
    expect(rec).to.exist;
    expect(rec!.iterations).to.be.at.least(600_000).and.equal(PBKDF2_ITERATIONS);
    expect(rec!.salt).to.be.instanceOf(Uint8Array).with.lengthOf(SALT_BYTES);
    expect(rec!.hash).to.be.instanceOf(Uint8Array).with.lengthOf(32);
    expect(rec!.hash).to.deep.equal(await hashPassword(password, rec!.salt, rec!.iterations));
    // Nothing in the record spells the password, in any encoding we might have used.
    const dump = JSON.stringify(rec, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v));
    expect(dump).not.to.contain(password);
    expect(new TextDecoder().decode(rec!.hash)).not.to.contain(password);
  });

  it('words every failure as a sentence that names the field it is about', async () => {
    await createAccount(db, 'Alice', 'correct horse');
    const results = [
      await createAccount(db, 'A', 'correct horse'),
      await createAccount(db, ' spaced ', 'correct horse'),
      await createAccount(db, 'alice', 'correct horse'),
      await createAccount(db, 'Bob', 'short'),
      await verifyLogin(db, 'Zed', 'whatever'),
      await verifyLogin(db, 'Alice', 'wrong horse'),
    ];
    const messages = results.map((r) => (r.ok ? '' : r.fail.message));
    expect(messages).to.deep.equal([
      'A username has at least 2 characters.',
      'A username uses letters, digits, spaces, "_", "." or "-" (no space at either end).',
      'The username "alice" is taken on this browser.',
      'Choose a password of at least 8 characters.',
      'No account called "Zed" on this browser.',
      'Wrong password. Try again.',
    ]);
  });

  it('salts each account differently', async () => {
    await createAccount(db, 'Ann', 'same password');
    await createAccount(db, 'Ben', 'same password');
    const [a, b] = (await Promise.all([
      db.get('accounts', 'ann'),
      db.get('accounts', 'ben'),
    ])) as PasswordAccount[];
    expect(a!.salt).not.to.deep.equal(b!.salt);
    expect(a!.hash).not.to.deep.equal(b!.hash);
  });

  it('logs in with the right password only', async () => {
    await createAccount(db, 'Alice', 'right password');
    const ok = await verifyLogin(db, 'alice', 'right password');
    expect(ok.ok && ok.profile.name).to.equal('Alice');
    const bad = await verifyLogin(db, 'Alice', 'wrong password');
    expect(!bad.ok && bad.fail.reason).to.equal('wrong-password');
    const unknown = await verifyLogin(db, 'Nobody', 'whatever1');
    expect(!unknown.ok && unknown.fail.reason).to.equal('unknown-user');
  });

  it('refuses taken names (case-insensitively), bad names and short passwords', async () => {
    await createAccount(db, 'Alice', 'password1');
    const taken = await createAccount(db, 'ALICE', 'password2');
    expect(!taken.ok && taken.fail.reason).to.equal('name-taken');
    for (const name of ['', 'a', ' spaced ', '<script>', 'x'.repeat(33)]) {
      const r = await createAccount(db, name, 'password1');
      expect(!r.ok && r.fail.reason, name).to.equal('invalid-name');
    }
    const short = await createAccount(db, 'Bob', 'short');
    expect(!short.ok && short.fail.reason).to.equal('weak-password');
    expect(!short.ok && short.fail.message).to.contain('8');
  });

  it('says the storage failed, never that the name is taken, when the account cannot be written', async () => {
    // The name is looked up at once; the connection then closes while the password is hashed
    // (as when another tab upgrades the database), so the write itself fails.
    const made = createAccount(db, 'Alice', 'password1');
    db.close();
    const result = await made;
    expect(!result.ok && result.fail.reason).to.equal('storage');
    const message = !result.ok ? result.fail.message : '';
    expect(message).to.match(/^The account could not be saved in this browser's storage \(.+\)\.$/);
    expect(message).not.to.match(/taken/i);
  });

  it('still says "taken" when the same name is written first by someone else', async () => {
    // Both look the name up before either writes: the second write meets the first one's key.
    const results = await Promise.all([
      createAccount(db, 'Alice', 'password1'),
      createAccount(db, 'alice', 'password2'),
    ]);
    const reasons = results.map((r) => (r.ok ? 'ok' : r.fail.reason));
    expect(reasons.sort()).to.deep.equal(['name-taken', 'ok']);
  });

  it('keeps a site-given identity apart from password accounts, with no password to log in by', async () => {
    const first = await siteAccount(db, 'Dana');
    const again = await siteAccount(db, 'dana');
    expect(first.ok && again.ok && again.profile.id).to.equal(first.ok && first.profile.id);
    const rec = await db.get('accounts', 'site:dana');
    expect(rec).to.include({ name: 'Dana', site: true });
    expect(rec).not.to.have.any.keys('salt', 'hash');
    // Nobody can log in as the site's Dana from the popup, whatever the password.
    for (const password of ['', 'password1']) {
      const r = await verifyLogin(db, 'Dana', password);
      expect(!r.ok && r.fail.reason).to.equal('unknown-user');
    }
    // A password account of the same name is a different person.
    const own = await createAccount(db, 'Dana', 'password1');
    expect(own.ok && own.profile.id)
      .to.be.a('string')
      .and.not.equal(first.ok && first.profile.id);
    const bad = await siteAccount(db, 'x');
    expect(!bad.ok && bad.fail.reason).to.equal('invalid-name');
  });

  it('remembers and forgets the session', async () => {
    const made = await createAccount(db, 'Alice', 'password1');
    expect(await loadSession(db)).to.equal(undefined);
    await saveSession(db, made.ok ? made.profile : undefined);
    expect((await loadSession(db))?.name).to.equal('Alice');
    await saveSession(db, undefined);
    expect(await loadSession(db)).to.equal(undefined);
  });
});

describe('account model (emit/on)', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  const answer = (model: AccountModel) =>
    new Promise<string>((resolve) => {
      const done = (what: string) => {
        offs.forEach((off) => off());
        resolve(what);
      };
      const offs = [
        model.on('logsuc', (p) => done(`logsuc:${p.name}`)),
        model.on('logfail', (f) => done(`logfail:${f.reason}`)),
        model.on('logout', () => done('logout')),
      ];
    });

  it('answers login with logsuc or logfail, and restores the session', async () => {
    const model = new AccountModel(Promise.resolve(db));
    let got = answer(model);
    model.emit('restore');
    expect(await got).to.equal('logout');
    got = answer(model);
    model.emit('register', 'Alice', 'password1');
    expect(await got).to.equal('logsuc:Alice');
    got = answer(model);
    model.emit('login', 'Alice', 'nope-nope');
    expect(await got).to.equal('logfail:wrong-password');
    // A new model on the same database (a page reload) finds the session.
    const reloaded = new AccountModel(Promise.resolve(db));
    got = answer(reloaded);
    reloaded.emit('restore');
    expect(await got).to.equal('logsuc:Alice');
    got = answer(reloaded);
    reloaded.emit('logout');
    expect(await got).to.equal('logout');
    got = answer(reloaded);
    reloaded.emit('restore');
    expect(await got).to.equal('logout');
  });

  it('answers a site name with logsuc, without making it the remembered session', async () => {
    const model = new AccountModel(Promise.resolve(db));
    let got = answer(model);
    model.emit('site', 'Dana');
    expect(await got).to.equal('logsuc:Dana');
    got = answer(model);
    model.emit('restore');
    expect(await got).to.equal('logout');
    got = answer(model);
    model.emit('site', '<b>');
    expect(await got).to.equal('logfail:invalid-name');
  });

  it('answers logfail when storage is unavailable', async () => {
    const model = new AccountModel(Promise.reject(new Error('blocked')));
    const got = answer(model);
    model.emit('login', 'Alice', 'password1');
    expect(await got).to.equal('logfail:storage');
  });
});
