/**
 * The rooms store: the upgrade from a version-3 database (nothing lost, rooms with history
 * listed), the order of the list, unread counts, drafts, leaving with or without the history —
 * never dropping a message still waiting to be delivered — and the bound per account.
 */
import { lateKey } from '../../src/store/late-arrivals.js';
import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { MAX_TEXT } from '../../src/protocol/limits.js';
import { deleteParleyDb, openParleyDb, type ParleyDb } from '../../src/store/db.js';
import { DB_VERSION } from '../../src/store/schema.js';
import { addMessages } from '../../src/store/history.js';
import { outboxEntries, queueOutgoing } from '../../src/store/outbox.js';
import {
  MAX_ROOMS,
  UNREAD_CAP,
  lastMessage,
  listRooms,
  putRoom,
  removeRoom,
  setDraft,
  setLastRead,
  touchRoom,
  unreadMessages,
} from '../../src/store/rooms.js';
import { freshDb, uniqueDbName } from '../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const env = (
  room: string,
  ts: number,
  from = 'them-id',
  id = `${room}-${from}-${ts}`,
): Envelope => ({
  id,
  room,
  from: { id: from, name: from === 'me-id' ? 'Me' : 'Ann', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  sig: SIGNATURE_SHAPED,
  body: { text: `${room}@${ts}` },
});

const store = (db: ParleyDb, owner: string, envs: Envelope[]) =>
  addMessages(db, owner, envs, (e) => (e.from.id === 'me-id' ? 'delivered' : 'received'));

const range = (room: string, from: number, n: number, who?: string) =>
  Array.from({ length: n }, (_, i) => env(room, from + i, who));

async function countIn(db: ParleyDb, owner: string, room: string): Promise<number> {
  const r = IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);
  return db.countFromIndex('messages', 'by-room-time', r);
}

/** How many messages of `room` wait unread, as the room list counts them (capped). */
const unreadCount = async (...args: Parameters<typeof unreadMessages>) =>
  (await unreadMessages(...args)).length;

describe('rooms store', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('lists an account’s rooms, the most recently active first, and no other account’s', async () => {
    await putRoom(db, 'me', 'a', 'A', 1000);
    await putRoom(db, 'me', 'b', 'Bee Team', 2000);
    await putRoom(db, 'me', 'c', undefined, 3000);
    await putRoom(db, 'you', 'z', 'Z', 9000);
    expect((await listRooms(db, 'me')).map((r) => r.room)).to.deep.equal(['c', 'b', 'a']);
    await touchRoom(db, 'me', 'a', 5000);
    await touchRoom(db, 'me', 'c', 10); // never moves back
    const list = await listRooms(db, 'me');
    expect(list.map((r) => r.room)).to.deep.equal(['a', 'c', 'b']);
    expect(list.map((r) => r.title)).to.deep.equal(['A', 'c', 'Bee Team']);
    // Visiting again keeps the room's place and its title unless a new one is given.
    await putRoom(db, 'me', 'b', undefined, 99_999);
    expect((await listRooms(db, 'me')).map((r) => [r.room, r.title])).to.deep.equal([
      ['a', 'A'],
      ['c', 'c'],
      ['b', 'Bee Team'],
    ]);
    expect((await listRooms(db, 'you')).map((r) => r.room)).to.deep.equal(['z']);
  });

  it('keeps at most MAX_ROOMS per account, forgetting the least active (not its history)', async () => {
    await store(db, 'me', [env('r0', 5)]);
    for (let i = 0; i < MAX_ROOMS; i++) await putRoom(db, 'me', `r${i}`, undefined, 1000 + i);
    expect(await listRooms(db, 'me')).to.have.lengthOf(MAX_ROOMS);
    await putRoom(db, 'me', 'newest', undefined, 500); // new, even if dated before the others
    const rooms = (await listRooms(db, 'me')).map((r) => r.room);
    expect(rooms).to.have.lengthOf(MAX_ROOMS);
    expect(rooms).to.include('newest');
    expect(rooms).not.to.include('r0');
    expect(await countIn(db, 'me', 'r0'), 'history kept').to.equal(1);
  });

  it('counts unread messages after lastRead, not ours, up to the cap', async () => {
    await putRoom(db, 'me', 'lobby', undefined, 1);
    expect(await unreadCount(db, 'me', 'lobby', 'me-id', 0)).to.equal(0);
    await store(db, 'me', range('lobby', 1000, 5));
    await store(db, 'me', range('other', 1000, 9));
    expect(await unreadCount(db, 'me', 'lobby', 'me-id', 0)).to.equal(5);
    await setLastRead(db, 'me', 'lobby', 1002);
    const record = (await listRooms(db, 'me'))[0]!;
    expect(record.lastRead).to.equal(1002);
    expect(await unreadCount(db, 'me', 'lobby', 'me-id', record.lastRead)).to.equal(2);
    await setLastRead(db, 'me', 'lobby', 10); // never moves back
    expect((await listRooms(db, 'me'))[0]!.lastRead).to.equal(1002);
    // Ours are not unread; and what came before our own message was read by whoever wrote it.
    await store(db, 'me', [env('lobby', 1010, 'me-id'), env('lobby', 1011), env('lobby', 1012)]);
    expect(await unreadCount(db, 'me', 'lobby', 'me-id', 1002)).to.equal(2);
    // A flood is counted to the cap, not further.
    await store(db, 'me', range('lobby', 2000, UNREAD_CAP + 50));
    expect(await unreadCount(db, 'me', 'lobby', 'me-id', 1002)).to.equal(UNREAD_CAP);
    const last = await lastMessage(db, 'me', 'lobby');
    expect(last?.ts).to.equal(2000 + UNREAD_CAP + 49);
    expect(await lastMessage(db, 'me', 'nowhere')).to.equal(undefined);
  });

  it('keeps one draft per room, cut to the longest message', async () => {
    await putRoom(db, 'me', 'a');
    await putRoom(db, 'me', 'b');
    await setDraft(db, 'me', 'a', 'for a');
    await setDraft(db, 'me', 'b', 'x'.repeat(MAX_TEXT + 10));
    const byRoom = new Map((await listRooms(db, 'me')).map((r) => [r.room, r.draft]));
    expect(byRoom.get('a')).to.equal('for a');
    expect(byRoom.get('b')).to.have.lengthOf(MAX_TEXT);
    // Not cut inside a character: an emoji across the limit is left out whole.
    await setDraft(db, 'me', 'b', `${'x'.repeat(MAX_TEXT - 1)}😀`);
    const b = (await listRooms(db, 'me')).find((r) => r.room === 'b')!;
    expect(b.draft).to.equal('x'.repeat(MAX_TEXT - 1));
    expect(await setDraft(db, 'me', 'unlisted', 'lost'), 'only rooms on the list').to.equal(
      undefined,
    );
  });

  it('leaves a room keeping its history, or deleting it but for undelivered messages', async () => {
    await putRoom(db, 'me', 'keep');
    await putRoom(db, 'me', 'wipe');
    await store(db, 'me', range('keep', 1000, 30));
    await store(db, 'me', range('wipe', 1000, 1200));
    await store(db, 'you', range('wipe', 1000, 3));
    // Two of ours nobody has acknowledged: in the history and the outbox.
    const pending = [env('wipe', 1100, 'me-id', 'p1'), env('wipe', 5000, 'me-id', 'p2')];
    for (const p of pending) await queueOutgoing(db, 'me', p);
    await db.put('kv', ['keep-1'], lateKey('me', 'keep')); // a late arrival noted there
    expect(await removeRoom(db, 'me', 'keep', false)).to.deep.equal({ kept: 0 });
    expect(await countIn(db, 'me', 'keep')).to.equal(30);
    expect(await db.get('kv', lateKey('me', 'keep')), 'its late arrivals').to.equal(undefined);
    expect(await removeRoom(db, 'me', 'wipe', true)).to.deep.equal({ kept: 2 });
    const left = await db.getAllFromIndex(
      'messages',
      'by-room-time',
      IDBKeyRange.bound(['me', 'wipe', -Infinity, ''], ['me', 'wipe', Infinity, '\uffff']),
    );
    expect(left.map((m) => m.id)).to.deep.equal(['p1', 'p2']);
    expect((await outboxEntries(db, 'me', 'wipe')).map((e) => e.id)).to.deep.equal(['p1', 'p2']);
    expect(await countIn(db, 'you', 'wipe'), 'another account’s history').to.equal(3);
    expect(await listRooms(db, 'me')).to.deep.equal([]);
  });
});

describe('rooms store: upgrading a version-3 database', () => {
  const names: string[] = [];
  afterEach(async () => Promise.all(names.splice(0).map((n) => deleteParleyDb(n))));

  /** A database as version 3 of Parley made it, with an account, history, outbox and contact. */
  async function version3(): Promise<string> {
    const name = uniqueDbName();
    names.push(name);
    const old = await openDB(name, 3, {
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
      },
    });
    await old.put('accounts', { key: 'ann', name: 'Ann', id: 'me', created: 1, site: true });
    for (const [room, n] of [
      ['lobby', 3],
      ['design-team', 2],
    ] as const) {
      for (const m of range(room, room === 'lobby' ? 4000 : 1000, n)) {
        await old.put('messages', { ...m, owner: 'me', status: 'received' });
      }
    }
    const mine = env('lobby', 4500, 'me-id', 'mine');
    await old.put('messages', { ...mine, owner: 'me', status: 'queued' });
    await old.put('outbox', { owner: 'me', id: 'mine', room: 'lobby', ts: 4500, env: mine });
    await old.put('messages', { ...env('elsewhere', 7000), owner: 'you', status: 'received' });
    await old.put('kv', { account: 'ann' }, 'session');
    const contact = { owner: 'me', userId: 'u', key: 'k', name: 'Bo', nameKey: 'bo' };
    await old.put('contacts', { ...contact, verified: true, first: 1, last: 2 });
    old.close();
    return name;
  }

  it('keeps everything and lists the rooms each account has history in, as read', async () => {
    const name = await version3();
    const db = await openParleyDb(name);
    try {
      expect(db.version).to.equal(DB_VERSION);
      expect(await db.get('accounts', 'ann')).to.include({ name: 'Ann', id: 'me' });
      expect(await db.count('messages')).to.equal(7);
      expect((await outboxEntries(db, 'me', 'lobby')).map((e) => e.id)).to.deep.equal(['mine']);
      expect(await db.get('kv', 'session')).to.deep.equal({ account: 'ann' });
      expect((await db.get('contacts', ['me', 'u']))?.verified).to.equal(true);
      const rooms = await listRooms(db, 'me');
      expect(
        rooms.map((r) => [r.room, r.title, r.joinedAt, r.lastActivity, r.lastRead]),
      ).to.deep.equal([
        ['lobby', 'lobby', 4000, 4500, 4500],
        ['design-team', 'design-team', 1000, 1001, 1001],
      ]);
      expect(await unreadCount(db, 'me', 'lobby', 'me-id', rooms[0]!.lastRead)).to.equal(0);
      expect((await listRooms(db, 'you')).map((r) => r.room)).to.deep.equal(['elsewhere']);
      // Made once: a room left afterwards is not listed again from its history.
      await removeRoom(db, 'me', 'design-team', false);
      expect((await listRooms(db, 'me')).map((r) => r.room)).to.deep.equal(['lobby']);
    } finally {
      db.close();
    }
  });
});
