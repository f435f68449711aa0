/**
 * The files controller between members over in-page transports and real IndexedDB: what one
 * attaches another fetches with the same SHA-256 (in the clear and sealed), a file over the
 * limit is refused before anything is made, a newcomer fetches from a member other than the
 * sender once the sender has gone, a holder serving corrupted chunks cannot corrupt the file,
 * a fetch cut off half-way resumes on the same database fetching only what is missing, and
 * Cancel stops the requests.
 */
import { expect } from '@open-wc/testing';
import { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import { PART_TIMEOUT_MS, REFILL, WINDOW } from '../../../src/controllers/files/file-fetch.js';
import { MAX_WANT_PARTS, isWellFormedFileEvent } from '../../../src/protocol/file-events.js';
import { MAX_INLINE_PARTS, partsOf, type Manifest } from '../../../src/protocol/file-manifest.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { BareHost } from '../../support/bare-host.js';
import { filesOfRoom, getChunk, getFile, heldParts } from '../../../src/store/files.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { freshRoom } from '../../transport/contract.js';
import {
  digestOf,
  dropAll,
  filesMember,
  randomFile,
  slowDown,
  testKey,
  until,
  type FilesMember,
  type MemberOptions,
} from './files-harness.js';

const MB = 1024 * 1024;

describe('files controller', function () {
  this.timeout(30000);
  let made: FilesMember[] = [];
  const member = async (hub: MemoryHub, name: string, room: string, o: MemberOptions = {}) => {
    const m = await filesMember(hub, name, room, o);
    made.push(m);
    return m;
  };
  afterEach(async () => {
    await dropAll(made);
    made = [];
  });

  /** Attaches `file` at `from` and returns the manifest it posted. */
  async function send(from: FilesMember, file: File): Promise<Manifest> {
    expect(await from.files.attach([file])).to.deep.equal([]);
    const body = from.posted.at(-1);
    expect(body?.kind).to.equal('file');
    return body!.file;
  }

  /** Fetches `m` at `to` until held, and checks its bytes against `file`. */
  async function fetchAndCheck(to: FilesMember, m: Manifest, file: File): Promise<void> {
    to.files.fetch(m, 'message-of-the-file');
    await until(() => to.files.stateOf(m).phase === 'held', 'held', 20000);
    const blob = await to.files.blob(m);
    expect(blob?.size).to.equal(file.size);
    expect(await digestOf(blob!)).to.equal(await digestOf(file));
  }

  it('sends 1 MB to another member, who gets the same SHA-256', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const bob = await member(hub, 'bob', room);
    const file = randomFile(MB);
    const m = await send(alice, file);
    expect(m.size).to.equal(MB);
    expect(alice.files.stateOf(m).phase).to.equal('held');
    expect(await digestOf((await alice.files.blob(m))!)).to.equal(await digestOf(file));
    expect(bob.files.stateOf(m).phase).to.equal('missing');
    await fetchAndCheck(bob, m, file);
    const rec = await getFile(bob.db, bob.owner, m.list);
    expect([rec?.complete, rec?.wanted, rec?.held]).to.deep.equal([true, false, partsOf(m)]);
    // A type we do not preview is handed out as bytes, never as what the sender named.
    expect((await bob.files.blob(m))?.type).to.equal('application/octet-stream');
    // Only the file's own record is left at the sender (the provisional one is released).
    expect((await filesOfRoom(alice.db, alice.owner, room)).map((f) => f.id)).to.deep.equal([
      m.list,
    ]);
  });

  it('sends several files at once, one message each, in order', async () => {
    const hub = new MemoryHub();
    const alice = await member(hub, 'alice', freshRoom());
    const files = [randomFile(1000, 'a.bin'), randomFile(70_000, 'b.bin'), randomFile(5, 'c')];
    expect(await alice.files.attach(files)).to.deep.equal([]);
    expect(alice.posted.map((b) => [b.file.name, b.file.size])).to.deep.equal([
      ['a.bin', 1000],
      ['b.bin', 70_000],
      ['c', 5],
    ]);
  });

  it('sends a sealed file in an encrypted room: chunks are ciphertext, the file the same', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const key = await testKey();
    const alice = await member(hub, 'alice', room, { key });
    const bob = await member(hub, 'bob', room, { key });
    const file = randomFile(MB);
    const m = await send(alice, file);
    expect(m.sealed).to.equal(key.kid);
    const stored = await getChunk(alice.db, alice.owner, m.list, 0);
    const plain = new Uint8Array(await file.slice(0, m.chunk).arrayBuffer());
    expect(stored?.length).to.equal(m.chunk + 28);
    expect(stored!.subarray(12, 12 + 64).join()).not.to.equal(plain.subarray(0, 64).join());
    await fetchAndCheck(bob, m, file);
  });

  it('refuses a file over the limit with a sentence, before anything is made or sent', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room, { maxFileSize: 100 * 1024 });
    let wants = 0;
    alice.transport.subscribe('file:who', () => wants++);
    expect(alice.files.maxFileSize).to.equal(100 * 1024);
    const big = randomFile(Math.round(31.2 * MB) - 10_000, 'holiday.mov');
    const refused = await alice.files.attach([big, new File([], 'empty.txt')]);
    expect(refused).to.deep.equal([
      'holiday.mov is 31.2 MB — files here can be at most 100 KB',
      'empty.txt is empty — there is nothing to send',
    ]);
    expect(alice.posted).to.deep.equal([]);
    expect(await filesOfRoom(alice.db, alice.owner, room)).to.deep.equal([]);
    // A file within the limit in the same batch still goes.
    const small = randomFile(50 * 1024, 'small.bin');
    expect(await alice.files.attach([big, small])).to.have.length(1);
    expect(alice.posted.map((b) => b.file.name)).to.deep.equal(['small.bin']);
  });

  it('lets a newcomer fetch from a member other than the sender after the sender left', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const bob = await member(hub, 'bob', room);
    const file = randomFile(MB + 12345);
    const m = await send(alice, file);
    await fetchAndCheck(bob, m, file);
    alice.close();
    const carol = await member(hub, 'carol', room);
    await fetchAndCheck(carol, m, file);
  });

  it('lets a member without the room key hold and serve a sealed copy', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const key = await testKey();
    const alice = await member(hub, 'alice', room, { key });
    const carol = await member(hub, 'carol', room);
    const file = randomFile(MB);
    const m = await send(alice, file);
    carol.files.fetch(m, 'message-of-the-file');
    await until(() => carol.files.stateOf(m).phase === 'held', 'held without the key');
    expect(await carol.files.blob(m), 'nothing to open it with').to.equal(undefined);
    alice.close();
    const dave = await member(hub, 'dave', room, { key });
    await fetchAndCheck(dave, m, file);
  });

  it('renders at most ~10 times a second and asks for parts half a window at a time', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    slowDown(alice, 5);
    const file = randomFile(3 * MB);
    const m = await send(alice, file);
    const bob = await member(hub, 'bob', room);
    let renders = 0;
    bob.host.watch = () => renders++;
    let wants = 0;
    alice.transport.subscribe('file:want', () => wants++);
    const started = performance.now();
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held', 20000);
    const seconds = (performance.now() - started) / 1000;
    expect(renders).to.be.greaterThan(1);
    expect(renders, `${renders} renders in ${seconds.toFixed(2)} s`).to.be.at.most(
      Math.ceil(seconds * 10) + 2,
    );
    expect(renders).to.be.below(partsOf(m));
    // Parts are asked for half a window at a time, not one event per chunk stored.
    expect(wants).to.be.at.most(Math.ceil((partsOf(m) - WINDOW) / REFILL) + 1);
  });

  it('serves two members in turn', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    slowDown(alice, 20);
    const file = randomFile(2 * MB);
    const m = await send(alice, file);
    const bob = await member(hub, 'bob', room);
    const carol = await member(hub, 'carol', room);
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).done > 0, 'Bob under way');
    carol.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).done >= m.size / 2, 'Bob half-way');
    // Carol came later with a full window too: she gets every other chunk meanwhile.
    expect(carol.files.stateOf(m).done).to.be.at.least(m.size / 4);
    await until(() => carol.files.stateOf(m).phase === 'held', 'Carol held', 20000);
  });

  it('takes nothing bad from a holder serving corrupted chunks, and avoids it', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const dave = await member(hub, 'dave', room);
    // Two windows' worth: whoever answers first cannot take every part.
    const file = randomFile(2 * WINDOW * 64 * 1024);
    const m = await send(alice, file);
    await fetchAndCheck(dave, m, file);
    // Dave now serves every chunk with one byte flipped.
    const honest = dave.transport.sendBytes.bind(dave.transport);
    let corrupted = 0;
    dave.transport.sendBytes = (peer, head, bytes) => {
      const bad = bytes.slice();
      bad[100] = bad[100]! ^ 0xff;
      corrupted++;
      return honest(peer, head, bad);
    };
    const carol = await member(hub, 'carol', room);
    await fetchAndCheck(carol, m, file);
    expect(corrupted, 'Dave was asked').to.be.greaterThan(0);
    expect(carol.files.strikes.get(dave.transport.selfId)).to.be.greaterThan(0);
    expect(carol.files.strikes.get(alice.transport.selfId)).to.equal(undefined);
    // Every chunk Carol stored is the sender's.
    for (let part = 0; part < partsOf(m); part++) {
      const mine = await getChunk(carol.db, carol.owner, m.list, part);
      const theirs = await getChunk(alice.db, alice.owner, m.list, part);
      expect(mine?.join(), `part ${part}`).to.equal(theirs?.join());
    }
  });

  it('resumes a fetch cut off half-way, asking only for the parts still missing', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    slowDown(alice, 40);
    const asked = new Map<string, number[]>();
    alice.transport.subscribe('file:want', (want, meta) => {
      asked.set(meta.from, [...(asked.get(meta.from) ?? []), ...want.parts]);
    });
    const file = randomFile(MB);
    const m = await send(alice, file);
    const bob = await member(hub, 'bob', room);
    const firstId = bob.transport.selfId;
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).done >= 5 * m.chunk, 'half-way');
    bob.close();
    await new Promise((r) => setTimeout(r, 200));
    const held = await heldParts(bob.db, bob.owner, m.list);
    expect(held.size).to.be.within(5, partsOf(m) - 2);
    expect((await getFile(bob.db, bob.owner, m.list))?.wanted, 'still wanted').to.equal(true);
    // The same browser again: the fetch goes on by itself (no fetch call).
    const again = await member(hub, 'bob', room, { dbName: bob.dbName, owner: bob.owner });
    await until(() => again.files.stateOf(m).phase === 'held', 'held after resuming', 20000);
    expect(await digestOf((await again.files.blob(m))!)).to.equal(await digestOf(file));
    const second = asked.get(again.transport.selfId) ?? [];
    expect(
      second.filter((p) => held.has(p)),
      'held parts asked again',
    ).to.deep.equal([]);
    expect(second.length).to.equal(partsOf(m) - held.size);
    expect(asked.get(firstId)?.length).to.be.at.most(partsOf(m));
  });

  it('stops asking on Cancel, keeps what came, and resumes from there', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    slowDown(alice, 40);
    let asked = 0;
    alice.transport.subscribe('file:want', (want) => (asked += want.parts.length));
    // More parts than one window, so a fetch that went on would ask again.
    const file = randomFile(3 * MB);
    const m = await send(alice, file);
    const bob = await member(hub, 'bob', room);
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).done >= 3 * m.chunk, 'some parts');
    bob.files.cancel(m);
    expect(bob.files.stateOf(m).phase).to.equal('stopped');
    const askedAtCancel = asked;
    await new Promise((r) => setTimeout(r, 1000));
    expect(asked, 'no request after Cancel').to.equal(askedAtCancel);
    const rec = await getFile(bob.db, bob.owner, m.list);
    expect(rec?.wanted).to.equal(false);
    const held = await heldParts(bob.db, bob.owner, m.list);
    expect(held.size).to.be.greaterThan(2);
    asked = 0;
    await fetchAndCheck(bob, m, file);
    expect(asked).to.equal(partsOf(m) - held.size);
  });
  it('fetches a file whose hash list is too long for the message as part -1', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const bob = await member(hub, 'bob', room);
    const file = randomFile(5 * MB - 999);
    const m = await send(alice, file);
    expect(partsOf(m)).to.be.greaterThan(MAX_INLINE_PARTS);
    expect(m.hashes).to.equal(undefined);
    await fetchAndCheck(bob, m, file);
    expect(bob.files.fetchOf(m.list)?.requested ?? partsOf(m) + 1).to.equal(partsOf(m) + 1);
  });

  it('shows sending at the sender, and stops serving a file it cancels', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    slowDown(alice, 30);
    const file = randomFile(3 * MB);
    const m = await send(alice, file);
    const bob = await member(hub, 'bob', room);
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).done >= 4 * m.chunk, 'some parts');
    const sending = alice.files.stateOf(m);
    expect(sending.phase).to.equal('sending');
    expect(sending.done).to.be.greaterThan(0);
    expect(sending.speed).to.be.greaterThan(0);
    alice.files.cancel(m);
    expect(alice.files.stateOf(m).phase).to.equal('held');
    await new Promise((r) => setTimeout(r, 300));
    const done = bob.files.stateOf(m).done;
    await new Promise((r) => setTimeout(r, 700));
    expect(bob.files.stateOf(m).done, 'nothing more came').to.equal(done);
    expect(done).to.be.lessThan(m.size);
  });

  it('waits while nobody who holds the file is reachable, and goes on when one comes', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const file = randomFile(300_000);
    const m = await send(alice, file);
    alice.close();
    const bob = await member(hub, 'bob', room);
    bob.files.fetch(m, 'message-of-the-file');
    expect(bob.files.stateOf(m).phase).to.equal('fetching');
    await until(() => bob.files.stateOf(m).phase === 'waiting', 'waiting', 6000);
    // Alice's browser comes back: Bob asks again when she joins and gets the file.
    await member(hub, 'alice', room, { dbName: alice.dbName, owner: alice.owner });
    await until(() => bob.files.stateOf(m).phase === 'held', 'held', 10000);
    expect(await digestOf((await bob.files.blob(m))!)).to.equal(await digestOf(file));
  });

  it('goes on after a switch of transport, asking again what was on its way over the old link', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    // Slower than the old link's overlap: what it still had queued for the old link is lost.
    slowDown(alice, 120);
    let asked = 0;
    alice.transport.subscribe('file:want', (want) => (asked += want.parts.length));
    const file = randomFile(2 * MB);
    const m = await send(alice, file);
    const bob = await member(hub, 'bob', room);
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).done >= 3 * m.chunk, 'some parts');
    const before = bob.transport.selfId;
    await bob.transport.switchTransport();
    expect(bob.transport.selfId).not.to.equal(before);
    const switched = performance.now();
    await until(() => bob.files.stateOf(m).phase === 'held', 'held', 20000);
    expect(bob.files.fetchOf(m.list)?.timedOut, 'no part waited out its timeout').to.equal(0);
    expect(performance.now() - switched).to.be.below(PART_TIMEOUT_MS);
    expect(await digestOf((await bob.files.blob(m))!)).to.equal(await digestOf(file));
    // At most one window is asked twice (what was on its way over the old link).
    expect(asked).to.be.within(partsOf(m), partsOf(m) + WINDOW);
  });

  it('asks for every wanted file in one file:who when a member comes', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const files = [randomFile(1000, 'a'), randomFile(2000, 'b'), randomFile(3000, 'c')];
    expect(await alice.files.attach(files)).to.deep.equal([]);
    alice.close();
    const watcher = await member(hub, 'watcher', room);
    const whos: string[][] = [];
    watcher.transport.subscribe('file:who', (who) => whos.push(who.files));
    const bob = await member(hub, 'bob', room);
    for (const body of alice.posted) bob.files.fetch(body.file, 'the-message');
    await until(() => alice.posted.every((b) => bob.files.stateOf(b.file).phase === 'waiting'));
    whos.length = 0;
    await member(hub, 'alice', room, { dbName: alice.dbName, owner: alice.owner });
    await until(() => alice.posted.every((b) => bob.files.stateOf(b.file).phase === 'held'));
    expect(whos).to.have.length(1);
    expect(new Set(whos[0])).to.deep.equal(new Set(alice.posted.map((b) => b.file.list)));
  });

  it('ignores what a hostile member sends and bounds what it can make us do', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await member(hub, 'alice', room);
    const file = randomFile(MB);
    const m = await send(alice, file);
    // Mallory speaks the protocol by hand.
    const host = new BareHost();
    const factory = (async (_k, o) => hub.transport(o)) as TransportFactory;
    const mallory = new TransportController(host, { kind: () => 'memory', factory: () => factory });
    mallory.acceptFileEvents(isWellFormedFileEvent);
    await mallory.join(room, { userId: 'mallory-id', name: 'mallory' });
    let received = 0;
    mallory.onBytes(() => received++);
    const aliceId = alice.transport.selfId;
    // Another room, a file Alice does not hold: nothing is sent.
    mallory.emitTo(aliceId, 'file:want', { room: 'elsewhere', file: m.list, parts: [0] });
    mallory.emitTo(aliceId, 'file:want', { room, file: m.sha256, parts: [0, 1] });
    await new Promise((r) => setTimeout(r, 200));
    expect(received).to.equal(0);
    // Asking for far more than a queue holds: at most MAX_WANT_PARTS are ever queued for her.
    const big = await send(alice, randomFile(5 * MB));
    slowDown(alice, 20);
    for (let i = 0; i < 5; i++) {
      const parts = Array.from({ length: MAX_WANT_PARTS }, (_, p) => (p + i * 16) % partsOf(big));
      mallory.emitTo(aliceId, 'file:want', { room, file: big.list, parts });
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(alice.files.queuedParts).to.be.at.most(MAX_WANT_PARTS);
    // Bob fetches a file nobody serves him; Mallory's bytes, even right ones, are not taken
    // unasked, nor for another room, nor for a part out of range.
    alice.close();
    const bob = await member(hub, 'bob', room);
    bob.files.fetch(m, 'message-of-the-file');
    await new Promise((r) => setTimeout(r, 50));
    const right = (await getChunk(alice.db, alice.owner, m.list, 0))!;
    const bobId = bob.transport.selfId;
    await mallory.sendBytes(bobId, { room, file: m.list, part: 0 }, right);
    await mallory.sendBytes(bobId, { room: 'elsewhere', file: m.list, part: 1 }, right);
    await mallory.sendBytes(bobId, { room, file: m.list, part: 999 }, right);
    mallory.emitTo(bobId, 'file:have', {
      room: 'elsewhere',
      file: m.list,
      all: true,
      list: true,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await heldParts(bob.db, bob.owner, m.list)).size).to.equal(0);
    expect(bob.files.fetchOf(m.list)?.requested, 'nothing asked of Mallory').to.equal(0);
    // A "have" with ranges past the file's end: only real parts are asked for, of her.
    let asked: number[] = [];
    mallory.subscribe('file:want', (want) => (asked = [...asked, ...want.parts]));
    mallory.emitTo(bobId, 'file:have', { room, file: m.list, ranges: [[10, 5000]] });
    await until(() => asked.length > 0, 'asked of Mallory');
    expect(Math.max(...asked)).to.be.below(partsOf(m));
    expect(Math.min(...asked)).to.equal(10);
    host.controllers.forEach((c) => c.hostDisconnected?.());
  });
});
