/**
 * The identities an account has met (src/store/contacts.ts), in a real IndexedDB: one record
 * per identity whatever its name, verification remembered across a reopen of the database,
 * namesakes with another key found (the key-change case) and never merged, accounts apart, and
 * no record tying an id to a key that does not hash to it.
 */
import { expect } from '@open-wc/testing';
import { createIdentity, type Identity } from '../../src/protocol/identity.js';
import {
  contactOf,
  contactsNamed,
  earlierNamesakes,
  MET_TOGETHER_MS,
  nameKeyOf,
  recordContact,
  setVerified,
} from '../../src/store/contacts.js';
import { openParleyDb, type ParleyDb } from '../../src/store/db.js';
import { freshDb } from '../support/db.js';
import '../support/confusables.js';

const seen = (who: Identity, name: string) => ({ userId: who.id, key: who.publicKey, name });

describe('contacts: the identities an account has met', () => {
  let db: ParleyDb;
  let dbName: string;
  let drop: () => Promise<void>;
  let alice: Identity;
  let impostor: Identity;
  before(async () => {
    [alice, impostor] = await Promise.all([createIdentity(), createIdentity()]);
  });
  beforeEach(async () => ({ db, name: dbName, drop } = await freshDb()));
  afterEach(() => drop());

  it('records a member once per identity, keeping the first sighting and following the name', async () => {
    const first = await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    expect(first).to.deep.include({
      owner: 'me',
      userId: alice.id,
      key: alice.publicKey,
      name: 'Alice',
      nameKey: await nameKeyOf('Alice'),
      verified: false,
      first: 1000,
      last: 1000,
    });
    const again = await recordContact(db, 'me', seen(alice, 'Alice B.'), 2000);
    expect(again).to.deep.include({
      name: 'Alice B.',
      nameKey: await nameKeyOf('alice b.'),
      first: 1000,
      last: 2000,
    });
    expect(await db.count('contacts')).to.equal(1);
    expect(await contactOf(db, 'me', alice.id)).to.deep.equal(again);
  });

  it('remembers "verified" across a reopen of the database, and takes it back', async () => {
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    expect((await setVerified(db, 'me', alice.id, true))!.verified).to.equal(true);
    // A later sighting keeps the mark.
    await recordContact(db, 'me', seen(alice, 'Alice'), 3000);
    db.close();
    db = await openParleyDb(dbName);
    expect((await contactOf(db, 'me', alice.id))!.verified).to.equal(true);
    await setVerified(db, 'me', alice.id, false);
    expect((await contactOf(db, 'me', alice.id))!.verified).to.equal(false);
    expect(await setVerified(db, 'me', impostor.id, true), 'never met: nothing to mark').to.equal(
      undefined,
    );
    expect(await db.count('contacts')).to.equal(1);
  });

  it('finds who was met before under the same name with another key, and never merges them', async () => {
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    await setVerified(db, 'me', alice.id, true);
    // Same name, other case and another Unicode form: the same label, another person.
    await recordContact(db, 'me', seen(impostor, 'ALICE'), 5000);
    expect(await db.count('contacts'), 'two records').to.equal(2);
    const earlier = await earlierNamesakes(db, 'me', 'ALICE', impostor.id);
    expect(earlier.map((c) => c.userId)).to.deep.equal([alice.id]);
    expect(earlier[0]!.verified).to.equal(true);
    expect(earlier[0]!.key).to.equal(alice.publicKey);
    // The one met first has no earlier namesake: the newcomer is the one to question.
    expect(await earlierNamesakes(db, 'me', 'Alice', alice.id)).to.deep.equal([]);
    // Each keeps its own key and mark.
    expect((await contactOf(db, 'me', impostor.id))!).to.deep.include({
      key: impostor.publicKey,
      verified: false,
    });
    expect((await contactOf(db, 'me', alice.id))!).to.deep.include({
      key: alice.publicKey,
      verified: true,
    });
    expect((await contactsNamed(db, 'me', 'alice')).length).to.equal(2);
  });

  it('folds case and Unicode forms of a name (NFKC)', async () => {
    expect(await nameKeyOf('ZOË')).to.equal(await nameKeyOf('zo\u0065\u0308'));
    expect(await nameKeyOf('Alice')).not.to.equal(await nameKeyOf('Alice2'));
    const zoe = await recordContact(db, 'me', seen(alice, 'Zo\u0065\u0308'), 1000);
    await recordContact(db, 'me', seen(impostor, 'ZOË'), 5000);
    expect(zoe!.nameKey).to.equal(await nameKeyOf('zoë'));
    expect((await earlierNamesakes(db, 'me', 'zoë', impostor.id)).length).to.equal(1);
  });

  it('takes look-alike letters for the ones they pass for', async () => {
    // A Cyrillic А, a capital i for the l, a palochka, Cherokee A, an invisible Hangul filler;
    // "rn" for m, a zero for the o, "VV" for W (Unicode's confusables, see name-key.test.ts).
    for (const lookalike of [
      '\u0410lice',
      'AIice',
      'ALICE',
      'A\u04CFice',
      '\u13AAlice',
      'Alice\u3164',
    ])
      expect(await nameKeyOf(lookalike), lookalike).to.equal(await nameKeyOf('Alice'));
    expect(await nameKeyOf('Sirnon')).to.equal(await nameKeyOf('Simon'));
    expect(await nameKeyOf('B0b')).to.equal(await nameKeyOf('Bob'));
    expect(await nameKeyOf('VVendy')).to.equal(await nameKeyOf('Wendy'));
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    await recordContact(db, 'me', seen(impostor, 'A\u04CFice'), 5000);
    const earlier = await earlierNamesakes(db, 'me', 'A\u04CFice', impostor.id);
    expect(earlier.map((c) => c.userId)).to.deep.equal([alice.id]);
  });

  it('finds a contact recorded by an older version (its name key made by a hand table)', async () => {
    // As the version before recorded Alice: her key "aiice", not this version's.
    await db.put('contacts', {
      owner: 'me',
      userId: alice.id,
      key: alice.publicKey,
      name: 'Alice',
      nameKey: 'aiice',
      verified: true,
      first: 1000,
      named: 1000,
      last: 1000,
    });
    await recordContact(db, 'me', seen(impostor, 'A\u04CFice'), 5000);
    const earlier = await earlierNamesakes(db, 'me', 'A\u04CFice', impostor.id);
    expect(earlier.map((c) => [c.userId, c.verified])).to.deep.equal([[alice.id, true]]);
    // Her claim on the name is kept when she is seen again.
    const again = await recordContact(db, 'me', seen(alice, 'Alice'), 3000);
    expect(again!.named).to.equal(1000);
  });

  it('warns about an identity met earlier under another name that now takes a known one', async () => {
    await recordContact(db, 'me', seen(impostor, 'Zed'), 500);
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    await recordContact(db, 'me', seen(impostor, 'Alice'), 5000);
    const earlier = await earlierNamesakes(db, 'me', 'Alice', impostor.id);
    expect(earlier.map((c) => c.userId)).to.deep.equal([alice.id]);
    expect(await earlierNamesakes(db, 'me', 'Alice', alice.id)).to.deep.equal([]);
  });

  it('does not count namesakes met within a second of each other (a newcomer meets everyone at once) as met before', async () => {
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    await recordContact(db, 'me', seen(impostor, 'Alice'), 1000 + MET_TOGETHER_MS);
    expect(await earlierNamesakes(db, 'me', 'Alice', impostor.id)).to.deep.equal([]);
    expect(await earlierNamesakes(db, 'me', 'Alice', alice.id)).to.deep.equal([]);
  });

  it('keeps each account to its own contacts', async () => {
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    await setVerified(db, 'me', alice.id, true);
    await recordContact(db, 'other', seen(alice, 'Alice'), 2000);
    expect((await contactOf(db, 'other', alice.id))!.verified).to.equal(false);
    expect(await earlierNamesakes(db, 'other', 'Alice', impostor.id)).to.have.length(1);
    expect(await earlierNamesakes(db, 'third', 'Alice', impostor.id)).to.have.length(0);
  });

  it('records nothing for a key that does not hash to the id it comes with', async () => {
    // Someone claiming Alice's id with their own key must not become "Alice's key".
    const forged = { userId: alice.id, key: impostor.publicKey, name: 'Alice' };
    expect(await recordContact(db, 'me', forged, 1000)).to.equal(undefined);
    expect(await db.count('contacts')).to.equal(0);
    await recordContact(db, 'me', seen(alice, 'Alice'), 1000);
    expect(await recordContact(db, 'me', forged, 2000)).to.equal(undefined);
    expect((await contactOf(db, 'me', alice.id))!.key).to.equal(alice.publicKey);
  });
});
