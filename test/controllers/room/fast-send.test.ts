import { expect } from '@open-wc/testing';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { Ack, Envelope } from '../../../src/protocol/chat-events.js';
import { outboxEntries } from '../../../src/store/outbox.js';
import { uniqueDbName } from '../../support/db.js';
import { author, textOf } from '../../support/envelopes.js';
import { stranger, suiteMembers, until, type Member } from '../room-harness.js';
import { holdStores, pageAsksToStay } from './hold-stores.js';

const texts = (m: Member) => m.room.messages.map((x) => x.text);

/** What member `m` has stored of its own message `id` (history row and outbox entry). */
async function storedOf(m: Member, room: string, id: string) {
  const db = await m.session.db!;
  const owner = m.session.profile!.id;
  const row = await db.get('messages', [owner, id]);
  const outbox = await outboxEntries(db, owner, room);
  return { status: row?.status, inOutbox: outbox.some((e) => e.id === id) };
}

describe('our message goes on the wire while it is being stored', function () {
  this.timeout(20000);
  const member = suiteMembers();

  it('reaches the other member before its write commits; a receipt that comes first is kept', async () => {
    const hub = new MemoryHub();
    const dbName = uniqueDbName();
    const ann = await member(hub, 'Ann', 'early', {}, dbName);
    const bob = await member(hub, 'Bob', 'early');
    await until(() => ann.presence.roster.length === 2, 'both in');
    const acks: Ack[] = [];
    const off = ann.transport.subscribe('chat:ack', (ack) => void acks.push(ack));
    const hold = await holdStores(dbName);
    expect(ann.room.send('before the commit')).to.equal(true);
    const id = ann.room.messages[0]!.id;
    await until(() => texts(bob).includes('before the commit'), 'Bob has it');
    await until(() => acks.some((a) => a.ids.includes(id)), "Bob's receipt reached Ann");
    off();
    expect(ann.room.messages[0]?.status, 'not stored yet: still saving').to.equal('saving');
    expect(ann.room.saving).to.equal(1);
    expect(pageAsksToStay(), 'unsaved words: the page asks before it goes').to.equal(true);
    await hold.release();
    await until(() => ann.room.messages[0]?.status === 'delivered', 'delivered once stored');
    expect(ann.room.messages[0]?.ackedBy).to.deep.equal([acks[0]!.by]);
    expect(await storedOf(ann, 'early', id), 'the receipt was not lost').to.deep.equal({
      status: 'delivered',
      inOutbox: false,
    });
    expect(pageAsksToStay()).to.equal(false);
    expect(texts(bob)).to.deep.equal(['before the commit']);
  });

  it('shows a message whose write failed after it went out as failed; Retry stores it, shown once', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'lost-write');
    const bob = await member(hub, 'Bob', 'lost-write');
    await until(() => ann.presence.roster.length === 2, 'both in');
    // The next outbox write is refused at once, as a full disk would (Bob writes no outbox).
    const put = IDBObjectStore.prototype.put;
    let refused = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
      if (this.name !== 'outbox' || refused > 0) return put.apply(this, args);
      refused++;
      throw new DOMException('The disk is full', 'QuotaExceededError');
    } as typeof put;
    try {
      ann.room.send('went, not stored');
      await until(() => ann.room.messages[0]?.status === 'failed', 'shown as failed');
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(refused).to.equal(1);
    expect(ann.room.problem?.code).to.equal('storage');
    const id = ann.room.messages[0]!.id;
    await until(() => texts(bob).length === 1, 'it went out before the write');
    expect(await storedOf(ann, 'lost-write', id), 'neither history nor outbox alone').to.deep.equal(
      { status: undefined, inOutbox: false },
    );
    expect(pageAsksToStay(), 'failed, not pending: Retry is on screen').to.equal(false);

    ann.room.retry(id);
    await until(() => ann.room.messages[0]?.status === 'delivered', 'stored, then acknowledged');
    expect(await storedOf(ann, 'lost-write', id)).to.deep.equal({
      status: 'delivered',
      inOutbox: false,
    });
    await until(() => bob.room.messages.length === 1);
    expect(texts(bob), 'Bob dropped the repeat').to.deep.equal(['went, not stored']);
  });

  it('puts it on the wire within the task that sent it, its write made right after, no await between', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'one-task');
    const bob = await member(hub, 'Bob', 'one-task');
    await until(() => ann.presence.roster.length === 2, 'both in');
    const log: string[] = [];
    const emit = ann.transport.emit;
    ann.transport.emit = function (this: typeof ann.transport, ...args) {
      if (args[0] === 'chat:message') {
        log.push('wire');
        // Runs at the first await after the send: the write must be made before it.
        queueMicrotask(() => log.push('microtask'));
      }
      return (emit as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof emit;
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args) {
      if (String(args[0]) === 'messages,outbox' && args[1] === 'readwrite') log.push('write');
      return transaction.apply(this, args);
    } as typeof transaction;
    try {
      // A task queued as the message is sent: what the send did within its own task is done.
      const nextTask = new Promise<string[]>((r) => setTimeout(() => r([...log]), 0));
      expect(ann.room.send('within one task')).to.equal(true);
      expect(log, 'signed first: nothing went before send() returned').to.deep.equal([]);
      expect(await nextTask).to.deep.equal(['wire', 'write', 'microtask']);
    } finally {
      IDBDatabase.prototype.transaction = transaction;
      ann.transport.emit = emit;
    }
    await until(() => texts(bob).includes('within one task'), 'Bob has it');
    await until(() => ann.room.messages[0]?.status === 'delivered', 'stored and acknowledged');
  });

  it('puts each message on the wire once, in the order written (no outbox read-back per send)', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'once');
    const watcher = await author('Watcher');
    const raw = await stranger(hub, 'once', watcher, 'Watcher');
    await until(() => ann.presence.roster.length === 2, 'the watcher is in');
    const seen: Envelope[] = [];
    raw.on('chat:message', (env) => void seen.push(env));
    for (let i = 1; i <= 10; i++) ann.room.send(`m${i}`);
    await until(() => ann.room.saving === 0, 'every write committed');
    await until(() => seen.length >= 10, 'all ten on the wire');
    // Acknowledged by nobody: only a resend (seconds away) would send them again.
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((e) => textOf(e))).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
    );
    expect(ann.room.messages.map((m) => m.status)).to.deep.equal(Array(10).fill('sent'));
    const stored = await Promise.all(seen.map((e) => storedOf(ann, 'once', e.id)));
    expect(
      stored.every((s) => s.status === 'sent' && s.inOutbox),
      'sent and kept',
    ).to.equal(true);
    raw.close();
  });
});
