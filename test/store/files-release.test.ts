/**
 * Files go with the messages that carry them: retention (pruneRoom) and "Delete its messages"
 * (removeRoom) release the files of the messages they delete — a file another kept message,
 * room or account still carries stays — and a version-4 database upgrades to the file stores
 * with nothing lost.
 */
import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { makeManifest } from '../../src/protocol/file-hash.js';
import { MIN_CHUNK_BYTES, type Manifest } from '../../src/protocol/file-manifest.js';
import { deleteParleyDb, openParleyDb, type ParleyDb } from '../../src/store/db.js';
import { getFile, heldParts, putChunk, putFile, releaseMessages } from '../../src/store/files.js';
import { addMessages } from '../../src/store/history.js';
import { pruneRoom } from '../../src/store/prune.js';
import { queueOutgoing } from '../../src/store/outbox.js';
import { listRooms, putRoom, removeRoom } from '../../src/store/rooms.js';
import { DB_VERSION } from '../../src/store/schema.js';
import { freshDb, uniqueDbName } from '../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const env = (room: string, ts: number, from = 'them'): Envelope => ({
  id: `${room}-${ts}`,
  room,
  from: { id: from, name: 'Ann', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  sig: SIGNATURE_SHAPED,
  body: { text: `${room}@${ts}` },
});

/** A two-chunk file of random bytes: its manifest and stored chunks. */
async function twoChunks(): Promise<{ manifest: Manifest; chunks: Uint8Array[] }> {
  const chunks: Uint8Array[] = [];
  const bytes = crypto.getRandomValues(new Uint8Array(MIN_CHUNK_BYTES + 10));
  const { manifest } = await makeManifest(new Blob([bytes]), {
    name: 'a.bin',
    type: 'application/octet-stream',
    chunk: MIN_CHUNK_BYTES,
    onChunk: async (_p, stored) => void chunks.push(stored),
  });
  return { manifest, chunks };
}

/** Records `f` as carried by `message` of `room`, every chunk held. */
async function hold(
  db: ParleyDb,
  owner: string,
  room: string,
  message: string,
  f: { manifest: Manifest; chunks: Uint8Array[] },
) {
  await putFile(db, owner, room, f.manifest, message);
  for (const [part, bytes] of f.chunks.entries()) {
    await putChunk(db, owner, f.manifest.list, part, bytes);
  }
}

describe('files released with their messages', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('unlinks messages and deletes a file nobody carries any more, with its chunks', async () => {
    const f = await twoChunks();
    const id = f.manifest.list;
    await hold(db, 'me', 'lobby', 'm1', f);
    await putFile(db, 'me', 'lobby', f.manifest, 'm2');
    await hold(db, 'you', 'lobby', 'm1', f);
    await releaseMessages(db, 'me', ['m1', 'unrelated']);
    expect((await getFile(db, 'me', id))?.messages).to.deep.equal(['m2']);
    await releaseMessages(db, 'me', ['m2']);
    expect(await getFile(db, 'me', id)).to.equal(undefined);
    expect(await heldParts(db, 'me', id)).to.have.property('size', 0);
    expect((await getFile(db, 'you', id))?.held, 'another account’s').to.equal(2);
    expect(await heldParts(db, 'you', id)).to.have.property('size', 2);
  });

  it('retention deletes the files of the messages it prunes, not of those it keeps', async () => {
    await addMessages(
      db,
      'me',
      [1, 2, 3, 4].map((t) => env('lobby', t)),
      () => 'received',
    );
    const [gone, shared, kept] = [await twoChunks(), await twoChunks(), await twoChunks()];
    await hold(db, 'me', 'lobby', 'lobby-1', gone);
    await hold(db, 'me', 'lobby', 'lobby-2', shared);
    await putFile(db, 'me', 'lobby', shared.manifest, 'lobby-4');
    await hold(db, 'me', 'lobby', 'lobby-3', kept);
    expect(await pruneRoom(db, 'me', 'lobby', 2, 1)).to.equal(2);
    expect(await getFile(db, 'me', gone.manifest.list)).to.equal(undefined);
    expect(await heldParts(db, 'me', gone.manifest.list)).to.have.property('size', 0);
    const still = await getFile(db, 'me', shared.manifest.list);
    expect([still?.messages, still?.held]).to.deep.equal([['lobby-4'], 2]);
    expect((await getFile(db, 'me', kept.manifest.list))?.messages).to.deep.equal(['lobby-3']);
  });

  it('"Delete its messages" deletes their files, keeping those of unsent messages', async () => {
    await putRoom(db, 'me', 'wipe');
    await addMessages(
      db,
      'me',
      [1, 2].map((t) => env('wipe', t)),
      () => 'received',
    );
    const mine = env('wipe', 3, 'me');
    await queueOutgoing(db, 'me', mine);
    const [theirs, ours, elsewhere] = [await twoChunks(), await twoChunks(), await twoChunks()];
    await hold(db, 'me', 'wipe', 'wipe-1', theirs);
    await hold(db, 'me', 'wipe', mine.id, ours);
    await hold(db, 'me', 'wipe', 'wipe-2', elsewhere);
    await putFile(db, 'me', 'other', elsewhere.manifest, 'other-9');
    expect(await removeRoom(db, 'me', 'wipe', true)).to.deep.equal({ kept: 1 });
    expect(await getFile(db, 'me', theirs.manifest.list)).to.equal(undefined);
    expect(await heldParts(db, 'me', theirs.manifest.list)).to.have.property('size', 0);
    expect((await getFile(db, 'me', ours.manifest.list))?.held, 'an unsent message’s').to.equal(2);
    expect((await getFile(db, 'me', elsewhere.manifest.list))?.messages).to.deep.equal(['other-9']);
    expect(await listRooms(db, 'me')).to.deep.equal([]);
  });

  it('leaves files alone when a room is left without deleting its messages', async () => {
    await putRoom(db, 'me', 'keep');
    await addMessages(db, 'me', [env('keep', 1)], () => 'received');
    const f = await twoChunks();
    await hold(db, 'me', 'keep', 'keep-1', f);
    expect(await removeRoom(db, 'me', 'keep', false)).to.deep.equal({ kept: 0 });
    expect((await getFile(db, 'me', f.manifest.list))?.held).to.equal(2);
  });
});

describe('file store: upgrading a version-4 database', () => {
  const names: string[] = [];
  afterEach(async () => Promise.all(names.splice(0).map((n) => deleteParleyDb(n))));

  it('keeps every store’s data and adds empty file stores that work', async () => {
    const name = uniqueDbName();
    names.push(name);
    const old = await openDB(name, 4, {
      upgrade(d) {
        d.createObjectStore('accounts', { keyPath: 'key' });
        const messages = d.createObjectStore('messages', { keyPath: ['owner', 'id'] });
        messages.createIndex('by-room-time', ['owner', 'room', 'ts', 'id']);
        const outbox = d.createObjectStore('outbox', { keyPath: ['owner', 'id'] });
        outbox.createIndex('by-room-time', ['owner', 'room', 'ts', 'id']);
        d.createObjectStore('kv');
        d.createObjectStore('identities', { keyPath: 'owner' });
        d.createObjectStore('roomKeys', { keyPath: ['owner', 'room'] });
        const contacts = d.createObjectStore('contacts', { keyPath: ['owner', 'userId'] });
        contacts.createIndex('by-name', ['owner', 'nameKey']);
        const rooms = d.createObjectStore('rooms', { keyPath: ['owner', 'room'] });
        rooms.createIndex('by-activity', ['owner', 'lastActivity']);
      },
    });
    await old.put('accounts', { key: 'ann', name: 'Ann', id: 'me', created: 1, site: true });
    await old.put('messages', { ...env('lobby', 5), owner: 'me', status: 'received' });
    const room = { owner: 'me', room: 'lobby', title: 'Lobby', joinedAt: 1, lastRead: 5 };
    await old.put('rooms', { ...room, lastActivity: 5, draft: 'half a thought' });
    await old.put('kv', { account: 'ann' }, 'session');
    old.close();

    const db = await openParleyDb(name);
    try {
      expect(db.version).to.equal(DB_VERSION);
      expect(await db.get('accounts', 'ann')).to.include({ name: 'Ann', id: 'me' });
      expect(await db.count('messages')).to.equal(1);
      expect(await db.get('kv', 'session')).to.deep.equal({ account: 'ann' });
      expect(await db.get('kv', 'rooms-from-history'), 'no second seeding').to.equal(undefined);
      const rooms = await listRooms(db, 'me');
      expect(rooms.map((r) => [r.title, r.draft])).to.deep.equal([['Lobby', 'half a thought']]);
      expect(await db.count('files')).to.equal(0);
      const f = await twoChunks();
      await hold(db, 'me', 'lobby', 'lobby-5', f);
      expect((await getFile(db, 'me', f.manifest.list))?.held).to.equal(2);
      expect(await pruneRoom(db, 'me', 'lobby', 0)).to.equal(0);
      expect(await getFile(db, 'me', f.manifest.list)).to.equal(undefined);
    } finally {
      db.close();
    }
  });
});
