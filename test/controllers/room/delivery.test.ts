import { expect } from '@open-wc/testing';
import { syncPages } from '../../../src/controllers/room/catch-up.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { ChatEvents, Envelope } from '../../../src/protocol/chat-events.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';
import { author, signedBy } from '../../support/envelopes.js';
import { member, stranger, until, type Member } from '../room-harness.js';
import { createIdentity } from '../../../src/protocol/identity.js';
import { signAck } from '../../../src/protocol/signed-notices.js';

const texts = (m: Member) => m.room.messages.map((x) => x.text);
// For paging only (never verified): a fixed key and a signature-shaped string.
const env = (room: string, id: string, text: string, ts = Date.now()): Envelope => ({
  id,
  room,
  from: { id: TEST_AUTHOR.id, name: 'Stranger', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  body: { text },
  sig: SIGNATURE_SHAPED,
});

describe('delivery and catch-up (controllers, real IndexedDB, memory transports)', function () {
  this.timeout(20000);
  const members: Member[] = [];
  const join = async (...args: Parameters<typeof member>) => {
    const m = await member(...args);
    members.push(m);
    return m;
  };
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.stop()));
  });

  it('marks a message delivered once another member acknowledges it, counting who', async () => {
    const hub = new MemoryHub();
    const [ann, bob, cy] = [
      await join(hub, 'Ann', 'r1'),
      await join(hub, 'Bob', 'r1'),
      await join(hub, 'Cy', 'r1'),
    ];
    ann.room.send('hello');
    await until(() => ann.room.messages[0]?.status === 'delivered', 'delivered');
    await until(() => (ann.room.messages[0]?.ackedBy?.length ?? 0) === 2, 'two receipts');
    expect(texts(bob)).to.deep.equal(['hello']);
    expect(texts(cy)).to.deep.equal(['hello']);
  });

  it('shows a message once however often it arrives, and acknowledges each copy', async () => {
    const hub = new MemoryHub();
    const ann = await join(hub, 'Ann', 'r2');
    const raw = hub.transport<ChatEvents>();
    const stranger = await author('Stranger');
    await raw.connect('r2', { userId: stranger.id, name: 'Stranger' });
    const acks: string[][] = [];
    raw.on('chat:ack', (ack) => acks.push(ack.ids));
    await until(() => raw.peers.size === 1);
    const e = await signedBy(stranger, { room: 'r2', text: 'twice' });
    raw.emit('chat:message', e);
    raw.emit('chat:message', e);
    await until(() => acks.flat().includes(e.id), 'a receipt');
    raw.emit('chat:message', e); // our receipt may have been lost: a repeat is acknowledged again
    await until(() => acks.flat().length === 2, 'a second receipt');
    expect(texts(ann)).to.deep.equal(['twice']);
    raw.close();
  });

  it('takes a receipt that names none of our messages without counting it as refused', async () => {
    // Members acknowledge a catch-up answer to whoever served it: the server of the page gets
    // receipts for others' messages. Nothing to do, and no fault.
    const hub = new MemoryHub();
    const ann = await join(hub, 'Ann', 'r9');
    const someone = await author('Stranger');
    const raw = await stranger(hub, 'r9', someone, 'Stranger');
    await until(() => ann.presence.roster.length === 2, 'the stranger here');
    const theirs = await signedBy(someone, { room: 'r9', text: 'served to me by Ann' });
    const [peer] = [...raw.peers.keys()];
    raw.emitTo(peer!, 'chat:ack', await signAck(someone, { room: 'r9', ids: [theirs.id] }));
    // One in another identity's name is refused and counted (it would end our resends).
    const other = await author('Other');
    raw.emitTo(peer!, 'chat:ack', { room: 'r9', by: other.id, ids: [theirs.id] });
    await until(() => ann.room.refused.malformed > 0, 'the receipt in another name counted');
    expect(ann.room.refused.malformed).to.equal(1);
    raw.close();
  });

  it('acknowledges a message only once it is stored (a receipt says "stored")', async () => {
    const hub = new MemoryHub();
    const ann = await join(hub, 'Ann', 'r-stored');
    const raw = hub.transport<ChatEvents>();
    const stranger = await author('Stranger');
    await raw.connect('r-stored', { userId: stranger.id, name: 'Stranger' });
    await until(() => raw.peers.size === 1);
    const db = (await ann.session.db)!;
    const owner = ann.session.profile!.id;
    const envs = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        signedBy(stranger, { room: 'r-stored', text: `m${i}` }),
      ),
    );
    const checks: Array<Promise<boolean>> = [];
    // Read at once, on every receipt: what it names must already be in IndexedDB.
    raw.on('chat:ack', (ack) => {
      for (const id of ack.ids)
        checks.push(db.getKey('messages', [owner, id]).then((k) => k !== undefined));
    });
    for (const e of envs) raw.emit('chat:message', e);
    await until(() => checks.length === envs.length, 'every receipt', 15000);
    const stored = await Promise.all(checks);
    expect(stored.filter((x) => !x).length, 'receipts for messages not stored yet').to.equal(0);
    raw.close();
  });

  it('resends an unacknowledged message, marks it failed when retries run out, and Retry recovers', async () => {
    const hub = new MemoryHub();
    const ann = await join(hub, 'Ann', 'r3', { retryDelays: [40, 40] });
    // A member who hears but never acknowledges (an old or broken client).
    const mute = await stranger(hub, 'r3', await createIdentity(), 'Mute');
    let heard = 0;
    mute.on('chat:message', () => heard++);
    await until(() => ann.presence.roster.length === 2);
    ann.room.send('anyone?');
    await until(() => ann.room.messages[0]?.status === 'failed', 'failed', 4000);
    expect(heard).to.equal(3); // the first send and two resends
    mute.close();
    const bob = await join(hub, 'Bob', 'r3');
    ann.room.retry(ann.room.messages[0]!.id);
    await until(() => ann.room.messages[0]?.status === 'delivered', 'delivered after Retry');
    expect(texts(bob)).to.include('anyone?');
  });

  it('keeps queued messages across a restart and sends them when a link opens', async () => {
    const hub = new MemoryHub();
    const dbName = `outbox-${Date.now()}`;
    const ann = await join(hub, 'Ann', 'r4', {}, dbName);
    ann.transport.leave(); // offline
    await until(() => ann.transport.state === 'idle');
    ann.room.send('one');
    ann.room.send('two');
    await until(() => ann.room.messages.length === 2);
    await new Promise((r) => setTimeout(r, 100)); // let the outbox writes land
    ann.transport.hostDisconnected();
    members.splice(members.indexOf(ann), 1);
    const bob = await join(hub, 'Bob', 'r4');
    const again = await join(hub, 'Ann', 'r4', {}, dbName); // same browser, reopened
    await until(() => texts(bob).length === 2, 'queued messages arrived');
    expect(texts(bob)).to.deep.equal(['one', 'two']);
    await until(() => again.room.messages.every((m) => m.status === 'delivered'));
  });

  it('catches up from a peer, in order, within what it asked for', async () => {
    const hub = new MemoryHub();
    const ann = await join(hub, 'Ann', 'r5');
    for (let i = 0; i < 250; i++) ann.room.send(`old ${String(i).padStart(3, '0')}`);
    await until(() => ann.room.messages.every((m) => m.status === 'sent'), 'all sent', 8000);
    const newcomer = await join(hub, 'Neo', 'r5', { historyLimit: () => 120 });
    await until(() => texts(newcomer).length === 120, 'the recent history', 8000);
    expect(texts(newcomer)[0]).to.equal('old 130');
    expect(texts(newcomer).at(-1)).to.equal('old 249');
  });

  it('splits catch-up answers into bounded pages', () => {
    const big = Array.from({ length: 450 }, (_, i) =>
      env('r', `id${i}`, 'x'.repeat(i % 7 === 0 ? 7000 : 10)),
    );
    const pages = syncPages(big);
    expect(pages.flat()).to.have.lengthOf(450);
    for (const page of pages) {
      expect(page.length).to.be.at.most(200);
      expect(JSON.stringify(page).length).to.be.below(60 * 1024);
    }
  });
});
