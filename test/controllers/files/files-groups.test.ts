/**
 * A fetch writes its checked chunks in groups (src/controllers/files/chunk-writer.ts): a few
 * transactions for many chunks, the progress shown never ahead of what is stored (a reload
 * keeps all it showed), and a disk that fills mid-way fails the fetch in words, keeping what
 * was stored for a later try that fetches only the rest.
 */
import { expect } from '@open-wc/testing';
import { partsOf, type Manifest } from '../../../src/protocol/file-manifest.js';
import { FileStoreFullError, getFile, heldParts } from '../../../src/store/files.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { freshRoom } from '../../transport/contract.js';
import {
  digestOf,
  dropAll,
  filesMember,
  randomFile,
  until,
  type FilesMember,
} from './files-harness.js';

const MiB = 1024 * 1024;

describe('files written in groups', function () {
  this.timeout(30000);
  let made: FilesMember[] = [];
  afterEach(async () => {
    await dropAll(made);
    made = [];
  });

  /** Alice attaches `size` random bytes; Bob is in the room. */
  async function pair(size: number) {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await filesMember(hub, 'alice', room);
    const bob = await filesMember(hub, 'bob', room);
    made.push(alice, bob);
    const file = randomFile(size);
    expect(await alice.files.attach([file])).to.deep.equal([]);
    const m: Manifest = alice.posted.at(-1)!.file;
    return { alice, bob, file, m };
  }

  it('stores many chunks a transaction and shows only what is stored', async () => {
    const { bob, file, m } = await pair(4 * MiB);
    let writes = 0;
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args) {
      const [names, mode] = args;
      if (mode === 'readwrite' && [names].flat().includes('chunks')) writes++;
      return transaction.apply(this, args);
    } as typeof transaction;
    let ahead = 0;
    let samples = 0;
    try {
      bob.files.fetch(m, 'message-of-the-file');
      while (bob.files.stateOf(m).phase !== 'held') {
        const shown = bob.files.stateOf(m).done;
        const stored = (await getFile(bob.db, bob.owner, m.list))?.bytes ?? 0;
        samples++;
        if (shown > stored) ahead++;
        await new Promise((r) => setTimeout(r, 2));
      }
    } finally {
      IDBDatabase.prototype.transaction = transaction;
    }
    expect(ahead, `shown ahead of stored in ${ahead} of ${samples} samples`).to.equal(0);
    expect(samples).to.be.greaterThan(5);
    expect(await digestOf((await bob.files.blob(m))!)).to.equal(await digestOf(file));
    // 64 chunks: written 16 at a time (a few more when they trickle in), never one by one.
    expect(writes, 'transactions writing chunks').to.be.within(4, 24);
  });

  it('fails in words when the disk fills mid-way, and a later try fetches only the rest', async () => {
    const { bob, file, m } = await pair(3 * MiB);
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
      if (this.name === 'chunks' && ++puts > 20) {
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
    try {
      bob.files.fetch(m, 'message-of-the-file');
      await until(() => bob.files.stateOf(m).phase === 'failed', 'failed', 20000);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    const state = bob.files.stateOf(m);
    expect(state.error).to.equal(new FileStoreFullError().message);
    const kept = await heldParts(bob.db, bob.owner, m.list);
    const record = await getFile(bob.db, bob.owner, m.list);
    expect(kept.size, 'whole groups kept').to.be.within(1, 20);
    expect(record?.held).to.equal(kept.size);
    expect(record?.wanted, 'not resumed on its own after a reload').to.equal(false);
    expect(state.done, 'what it showed is stored').to.be.at.most(record?.bytes ?? 0);
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held', 20000);
    expect(await digestOf((await bob.files.blob(m))!)).to.equal(await digestOf(file));
    const again = bob.files.fetchOf(m.list);
    expect(again?.requested, 'only the parts not kept').to.equal(partsOf(m) - kept.size);
  });
});
