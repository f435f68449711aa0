import { expect } from '@open-wc/testing';
import type { ParleyDb } from '../../src/store/db.js';
import {
  addMessage,
  addMessages,
  messagesSince,
  pageMessages,
  PAGE_SIZE,
} from '../../src/store/history.js';
import {
  markDelivered,
  markOutgoing,
  pendingOutgoing,
  queueOutgoing,
} from '../../src/store/outbox.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { freshDb } from '../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const env = (room: string, ts: number, id: string): Envelope => ({
  id,
  room,
  from: { id: 'u1', name: 'Ann', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  sig: SIGNATURE_SHAPED,
  body: { text: `${room}@${ts}` },
});

describe('history', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('pages newest first, 50 at a time, covering every message once even with equal times', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) {
      const id = `m${String(i).padStart(3, '0')}`;
      ids.push(id);
      // Pairs share a timestamp, so paging must break ties by id.
      await addMessage(db, 'me', env('lobby', 1000 + Math.floor(i / 2), id), 'received');
    }
    const seen: string[] = [];
    let page = await pageMessages(db, 'me', 'lobby');
    expect(page.messages).to.have.lengthOf(PAGE_SIZE);
    expect(page.messages[0]!.id).to.equal('m129');
    seen.push(...page.messages.map((m) => m.id));
    while (page.more) {
      const last = page.messages.at(-1)!;
      page = await pageMessages(db, 'me', 'lobby', { ts: last.ts, id: last.id });
      seen.push(...page.messages.map((m) => m.id));
    }
    expect(seen).to.deep.equal([...ids].reverse());
  });

  it('reads what a catch-up asks for: the newest `limit` since a time, oldest first, either way', async () => {
    const envs = Array.from({ length: 120 }, (_, i) =>
      // Pairs share a timestamp: the newest `limit` break ties by id, as the index does.
      env('lobby', 1000 + Math.floor(i / 2), `m${String(i).padStart(3, '0')}`),
    );
    await addMessages(db, 'me', [...envs, env('other', 1100, 'x')], () => 'received');
    await addMessages(db, 'someone-else', [env('lobby', 1100, 'y')], () => 'received');
    const ids = (from: number, to?: number) => envs.slice(from, to).map((e) => e.id);
    const read = async () => ({
      newest: (await messagesSince(db, 'me', 'lobby', 1010, 50)).map((m) => m.id),
      since: (await messagesSince(db, 'me', 'lobby', 1050, 500)).map((m) => m.id),
      one: (await messagesSince(db, 'me', 'lobby', 0, 1)).map((m) => m.id),
      none: await messagesSince(db, 'me', 'lobby', 2000, 50),
      zero: await messagesSince(db, 'me', 'lobby', 0, 0),
    });
    const expected = { newest: ids(70), since: ids(100), one: ids(119), none: [], zero: [] };
    // One request reading the index backward (Chromium 141 on)…
    expect('getAllRecords' in IDBIndex.prototype, 'this browser reads backward').to.equal(true);
    expect(await read()).to.deep.equal(expected);
    // …or, in a browser without it, a key cursor stepping back, then one read forward.
    const proto = IDBIndex.prototype as unknown as Record<string, unknown>;
    const getAllRecords = Object.getOwnPropertyDescriptor(proto, 'getAllRecords')!;
    delete proto.getAllRecords;
    try {
      expect(await read()).to.deep.equal(expected);
    } finally {
      Object.defineProperty(proto, 'getAllRecords', getAllRecords);
    }
  });

  it('keeps rooms and accounts apart', async () => {
    await addMessage(db, 'me', env('lobby', 1, 'a'), 'received');
    await addMessage(db, 'me', env('other', 2, 'b'), 'received');
    await addMessage(db, 'someone-else', env('lobby', 3, 'c'), 'received');
    const page = await pageMessages(db, 'me', 'lobby');
    expect(page.messages.map((m) => m.id)).to.deep.equal(['a']);
    expect(page.more).to.equal(false);
  });

  it('stores a page of messages in one go, skipping ids it has and repeats within the page', async () => {
    await addMessage(db, 'me', env('lobby', 1, 'old'), 'received');
    const page = [
      env('lobby', 1, 'old'),
      env('lobby', 2, 'new'),
      env('lobby', 2, 'new'),
      env('lobby', 3, 'newer'),
    ];
    const fresh = await addMessages(db, 'me', page, () => 'received');
    expect(fresh.map((e) => e.id)).to.deep.equal(['new', 'newer']);
    expect((await pageMessages(db, 'me', 'lobby')).messages.map((m) => m.id)).to.deep.equal([
      'newer',
      'new',
      'old',
    ]);
  });

  it('stores a message once however often it arrives', async () => {
    expect(await addMessage(db, 'me', env('lobby', 1, 'x'), 'received')).to.equal(true);
    expect(await addMessage(db, 'me', env('lobby', 1, 'x'), 'received')).to.equal(false);
    expect((await pageMessages(db, 'me', 'lobby')).messages).to.have.lengthOf(1);
  });
});

describe('outbox', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('keeps our messages in order until someone acknowledges them', async () => {
    const own = (room: string, ts: number, id: string) => ({
      ...env(room, ts, id),
      from: { id: TEST_AUTHOR.id, name: 'Me', key: TEST_AUTHOR.key },
    });
    await queueOutgoing(db, 'me', own('lobby', 5, 'b'));
    await queueOutgoing(db, 'me', own('lobby', 4, 'a'));
    await queueOutgoing(db, 'me', own('elsewhere', 3, 'z'));
    expect((await pendingOutgoing(db, 'me', 'lobby')).map((e) => e.id)).to.deep.equal(['a', 'b']);
    expect((await pageMessages(db, 'me', 'lobby')).messages.map((m) => m.status)).to.deep.equal([
      'queued',
      'queued',
    ]);
    await markOutgoing(db, 'me', 'a', 'sent');
    expect((await db.get('messages', ['me', 'a']))?.status).to.equal('sent');
    expect((await pendingOutgoing(db, 'me', 'lobby')).map((e) => e.id)).to.deep.equal(['a', 'b']);
    await markDelivered(db, 'me', TEST_AUTHOR.id, ['a'], 'bob');
    const [delivered] = await markDelivered(db, 'me', TEST_AUTHOR.id, ['a'], 'cy');
    expect(delivered).to.include({ status: 'delivered' });
    expect(delivered!.ackedBy).to.deep.equal(['bob', 'cy']);
    expect(await markDelivered(db, 'me', TEST_AUTHOR.id, ['a'], 'cy'), 'nothing new').to.deep.equal(
      [],
    );
    // Ours means written by our identity: the account id (the owner) is not an author.
    expect(await markDelivered(db, 'me', 'me', ['b'], 'bob'), 'not by us').to.deep.equal([]);
    expect((await pendingOutgoing(db, 'me', 'lobby')).map((e) => e.id)).to.deep.equal(['b']);
    // A late "failed" never overrides "delivered"; someone else's message is never ours to mark.
    await markOutgoing(db, 'me', 'a', 'failed');
    expect((await db.get('messages', ['me', 'a']))?.status).to.equal('delivered');
    await addMessage(db, 'me', env('lobby', 9, 'theirs'), 'received');
    expect(
      await markDelivered(db, 'me', TEST_AUTHOR.id, ['theirs', 'unknown'], 'bob'),
    ).to.deep.equal([]);
  });
});
