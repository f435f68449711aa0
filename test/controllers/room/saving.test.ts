import { expect } from '@open-wc/testing';
import { MemoryHub } from '../../../src/transport/memory.js';
import { pendingOutgoing } from '../../../src/store/outbox.js';
import { uniqueDbName } from '../../support/db.js';
import { suiteMembers, until } from '../room-harness.js';
import { textOf } from '../../support/envelopes.js';
import { holdStores, pageAsksToStay } from './hold-stores.js';

describe('what the chat shows as queued is already stored', function () {
  this.timeout(20000);
  const member = suiteMembers();

  it('shows "saving" until the write commits, asks before unload meanwhile, then queued', async () => {
    const dbName = uniqueDbName();
    const ann = await member(new MemoryHub(), 'Ann', 'r', {}, dbName);
    ann.transport.leave(); // no link: the message waits in the outbox
    const hold = await holdStores(dbName);
    expect(ann.room.send('kept')).to.equal(true);
    expect(ann.room.messages.map((m) => m.status)).to.deep.equal(['saving']);
    await new Promise((r) => setTimeout(r, 100));
    expect(ann.room.messages[0]?.status, 'still waiting for storage').to.equal('saving');
    expect(ann.room.saving).to.equal(1);
    expect(pageAsksToStay(), 'unsaved words: the page asks before it goes').to.equal(true);
    await hold.release();
    await until(() => ann.room.messages[0]?.status === 'queued', 'queued once stored');
    expect(ann.room.saving).to.equal(0);
    expect(pageAsksToStay(), 'nothing unsaved: the page goes freely').to.equal(false);
    const db = await ann.session.db!;
    const stored = await pendingOutgoing(db, ann.session.profile!.id, 'r');
    expect(stored.map((e) => textOf(e))).to.deep.equal(['kept']);
  });

  it('writes as soon as a message is signed, never behind network work already queued', async () => {
    const dbName = uniqueDbName();
    const ann = await member(new MemoryHub(), 'Ann', 'r2', {}, dbName);
    ann.transport.leave();
    // Network and storage work that never ends: a write queued behind it would never land.
    (ann.room as unknown as { enqueue(job: () => Promise<unknown>): void }).enqueue(
      () => new Promise(() => {}),
    );
    for (let i = 1; i <= 20; i++) ann.room.send(`m${i}`);
    await until(() => ann.room.saving === 0, 'every write committed');
    const db = await ann.session.db!;
    const stored = await pendingOutgoing(db, ann.session.profile!.id, 'r2');
    expect(
      stored.map((e) => textOf(e)),
      'stored, in order',
    ).to.deep.equal(Array.from({ length: 20 }, (_, i) => `m${i + 1}`));
    expect(ann.room.messages.map((m) => m.status)).to.deep.equal(Array(20).fill('queued'));
  });
});
