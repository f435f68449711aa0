import { expect } from '@open-wc/testing';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { roomKeyOfRaw, seal } from '../../../src/protocol/room-key.js';
import { sealingHeader } from '../../../src/protocol/signed-envelope.js';
import type { Signer } from '../../../src/protocol/identity.js';
import {
  indexEnvelopes,
  reindexAccount,
  reindexKey,
  REINDEX_BATCH,
} from '../../../src/controllers/search/indexer.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { addMessages } from '../../../src/store/history.js';
import { addRoomKey } from '../../../src/store/room-keys.js';
import { searchMessages } from '../../../src/store/search-query.js';
import { freshDb } from '../../support/db.js';
import { author, signedBy, unsignedBy, type EnvelopeFields } from '../../support/envelopes.js';

type Author = Signer & { name: string };

const found = async (db: ParleyDb, q: string, room?: string) =>
  (await searchMessages(db, 'me', q, room ? { room, limit: 500 } : { limit: 500 })).hits.map(
    (h) => h.text,
  );

/** A message by `who` whose body is sealed with `key` (kid `kid`). */
async function sealedBy(
  who: Author,
  key: { key: CryptoKey; kid: string },
  fields: EnvelopeFields & { inner: object },
): Promise<Envelope> {
  const head = unsignedBy(who, fields);
  const body = await seal(key.key, sealingHeader(head), fields.inner, key.kid);
  return signedBy(who, { ...fields, id: head.id, ts: head.ts, body });
}

describe('the search indexer', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  let ann: Author;
  let bob: Author;
  before(async () => {
    [ann, bob] = await Promise.all([author('Ann'), author('Bob')]);
  });
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('indexes chat and file messages; not reactions, unknown kinds or malformed events', async () => {
    const hello = await signedBy(ann, { room: 'lobby', text: 'Hello wörld', ts: 1 });
    const manifest = {
      name: 'Quarterly report.pdf',
      size: 100_000,
      type: 'application/pdf',
      sha256: 'a'.repeat(43),
      chunk: 65536,
      list: 'b'.repeat(43),
      hashes: 'c'.repeat(86),
    };
    const file = await signedBy(ann, {
      room: 'lobby',
      ts: 2,
      body: { kind: 'file', file: manifest, text: 'numbers inside' },
    });
    const react = await signedBy(bob, {
      room: 'lobby',
      ts: 3,
      body: { kind: 'react', target: hello.id, emoji: '👍', on: true },
    });
    const other = await signedBy(bob, {
      room: 'lobby',
      ts: 4,
      body: { kind: 'poll', q: 'hello?' },
    });
    const badEdit = await signedBy(ann, {
      room: 'lobby',
      ts: 5,
      body: { kind: 'edit', target: hello.id },
    });
    await indexEnvelopes(db, 'me', [hello, file, react, other, badEdit]);
    expect(await found(db, 'WORLD')).to.deep.equal(['Hello wörld']);
    expect(await found(db, 'quarterly numb')).to.deep.equal([
      'Quarterly report.pdf — numbers inside',
    ]);
    expect(await found(db, 'hello')).to.deep.equal(['Hello wörld']);
    expect(await db.count('searchDocs')).to.equal(2);
    expect(await db.count('searchPending')).to.equal(0);
  });

  it("applies the author's edits and deletions in any order, and refuses others'", async () => {
    const msg = await signedBy(ann, { room: 'lobby', text: 'meet at noon', ts: 10 });
    const edit = await signedBy(ann, {
      room: 'lobby',
      ts: 20,
      body: { kind: 'edit', target: msg.id, text: 'meet at nine' },
    });
    const forged = await signedBy(bob, {
      room: 'lobby',
      ts: 30,
      body: { kind: 'edit', target: msg.id, text: 'meet at midnight' },
    });
    const forgedDelete = await signedBy(bob, {
      room: 'lobby',
      ts: 31,
      body: { kind: 'delete', target: msg.id },
    });
    // The edit before its target, the forgeries after: the author's edit stands.
    await indexEnvelopes(db, 'me', [edit]);
    expect(await found(db, 'meet')).to.deep.equal([]);
    await indexEnvelopes(db, 'me', [msg]);
    await indexEnvelopes(db, 'me', [forged, forgedDelete]);
    expect(await found(db, 'meet')).to.deep.equal(['meet at nine']);
    expect(await found(db, 'noon')).to.deep.equal([]);
    expect(await found(db, 'midnight')).to.deep.equal([]);
    const del = await signedBy(ann, {
      room: 'lobby',
      ts: 15,
      body: { kind: 'delete', target: msg.id },
    });
    await indexEnvelopes(db, 'me', [del]);
    expect(await found(db, 'meet')).to.deep.equal([]);
    await indexEnvelopes(db, 'me', [msg, edit]);
    expect(await found(db, 'meet')).to.deep.equal([]);
  });

  it('indexes a sealed message only with the key, and a sealed edit inside the seal', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const key = await roomKeyOfRaw(raw);
    const secret = await sealedBy(ann, key, {
      room: 'vault',
      ts: 1,
      inner: { text: 'the combination is 1234' },
    });
    const edit = await sealedBy(ann, key, {
      room: 'vault',
      ts: 2,
      inner: { kind: 'edit', target: secret.id, text: 'the combination changed' },
    });
    await addMessages(db, 'me', [secret, edit], () => 'received');
    await indexEnvelopes(db, 'me', [secret, edit]);
    expect(await found(db, 'combination')).to.deep.equal([]);
    expect(await db.count('searchDocs')).to.equal(0);
    // The key comes later: the room's walk opens what is stored.
    await addRoomKey(db, 'me', 'vault', { key: key.key, kid: key.kid, source: 'invite', added: 1 });
    expect(await reindexAccount(db, 'me', { room: 'vault' })).to.equal(1);
    expect(await found(db, 'combination', 'vault')).to.deep.equal(['the combination changed']);
    expect(await db.get('kv', reindexKey('me', 'vault'))).to.equal(undefined);
    // Another account on this browser without the key sees nothing of it.
    await indexEnvelopes(db, 'you', [secret]);
    expect((await searchMessages(db, 'you', 'combination')).hits).to.deep.equal([]);
    // An edit sent in the clear does not count in an encrypted room (PROTOCOL.md §18.3).
    const clear = await signedBy(ann, {
      room: 'vault',
      ts: 3,
      body: { kind: 'edit', target: secret.id, text: 'words the relay read' },
    });
    await addMessages(db, 'me', [clear], () => 'received');
    await indexEnvelopes(db, 'me', [clear]);
    expect(await found(db, 'relay', 'vault')).to.deep.equal([]);
    expect(await found(db, 'combination', 'vault')).to.deep.equal(['the combination changed']);
  });

  it('reindexAccount indexes what was stored before, in batches, resumably, once', async function () {
    this.timeout(20_000);
    const count = REINDEX_BATCH * 3 + 17;
    const envs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        signedBy(i % 2 ? ann : bob, {
          room: i % 3 ? 'lobby' : 'ops',
          ts: 1000 + i,
          text: `item number n${i}`,
        }),
      ),
    );
    await addMessages(db, 'me', envs, () => 'received');
    expect(await db.count('searchDocs')).to.equal(0);
    // Cut short before it starts: nothing done, nothing lost.
    const stop = new AbortController();
    stop.abort();
    expect(await reindexAccount(db, 'me', { signal: stop.signal })).to.equal(0);
    // As if a walk had stopped after the first 100 messages (by id order): it resumes there.
    const byId = [...envs].sort((a, b) => (a.id < b.id ? -1 : 1));
    await db.put('kv', { after: ['me', byId[99]!.id] }, reindexKey('me'));
    expect(await reindexAccount(db, 'me')).to.equal(count - 100);
    expect(await db.count('searchDocs')).to.equal(count - 100);
    expect(await db.get('kv', reindexKey('me'))).to.deep.equal({ done: true });
    // Done once: a second call reads nothing.
    expect(await reindexAccount(db, 'me')).to.equal(0);
    // A room's walk indexes what is missing there (and is idempotent).
    const missingInOps = byId.slice(0, 100).filter((e) => e.room === 'ops').length;
    expect(await reindexAccount(db, 'me', { room: 'ops' })).to.equal(missingInOps);
    expect(await reindexAccount(db, 'me', { room: 'ops' })).to.equal(0);
    const ops = await searchMessages(db, 'me', 'item', { room: 'ops', limit: 500 });
    expect(ops.hits.length).to.equal(envs.filter((e) => e.room === 'ops').length);
    const lobbyMissing = byId.slice(0, 100).filter((e) => e.room === 'lobby').length;
    expect(await db.count('searchDocs')).to.equal(count - lobbyMissing);
    const later = (byId[150]!.body as { text: string }).text;
    expect(await found(db, later.split(' ')[2]!)).to.deep.equal([later]);
  });

  it('never throws: a broken envelope is skipped, the others are indexed', async () => {
    const good = await signedBy(ann, { room: 'lobby', text: 'still here', ts: 1 });
    // Reading it throws (no author to bind the seal to): logged and skipped.
    const sealed = { enc: 'aes-256-gcm/1', iv: 'a'.repeat(16), ct: 'b'.repeat(22) };
    const broken = { ...good, id: 'x', from: null, body: sealed } as unknown as Envelope;
    await indexEnvelopes(db, 'me', [broken, good]);
    expect(await found(db, 'still')).to.deep.equal(['still here']);
  });
});
