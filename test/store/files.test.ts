/**
 * The file store (src/store/files.ts) in real IndexedDB: records and their counts, chunks kept
 * as Blobs (idempotent, in part order, one at a time or a group in one transaction), "Remove from this browser", what to resume, trimming
 * to a byte cap in its documented order, and a full quota told in words with nothing lost.
 */
import { expect } from '@open-wc/testing';
import { makeManifest, type MadeFile } from '../../src/protocol/file-hash.js';
import { MIN_CHUNK_BYTES } from '../../src/protocol/file-manifest.js';
import type { ParleyDb } from '../../src/store/db.js';
import {
  FileStoreFullError,
  chunkBlobs,
  fileBytes,
  filesOfRoom,
  getChunk,
  getFile,
  heldParts,
  markComplete,
  moveChunks,
  putChunk,
  putChunks,
  putFile,
  removeFileBytes,
  setList,
  setWanted,
  trimFiles,
  wantedFiles,
} from '../../src/store/files.js';
import { freshDb } from '../support/db.js';

/** A file of `parts` chunks of 16 KiB (the last `last` bytes): manifest, list and chunks. */
async function madeFile(parts: number, last = 100): Promise<MadeFile & { chunks: Uint8Array[] }> {
  const chunks: Uint8Array[] = [];
  const bytes = new Uint8Array((parts - 1) * MIN_CHUNK_BYTES + last);
  for (let i = 0; i < bytes.length; i += 65536)
    crypto.getRandomValues(bytes.subarray(i, i + 65536));
  const made = await makeManifest(new Blob([bytes]), {
    name: 'report.pdf',
    type: 'application/pdf',
    chunk: MIN_CHUNK_BYTES,
    onChunk: async (_part, stored) => void chunks.push(stored),
  });
  return { ...made, chunks };
}

/** Stores every chunk of `f` as file of `owner`. */
async function holdAll(db: ParleyDb, owner: string, f: MadeFile & { chunks: Uint8Array[] }) {
  for (const [part, bytes] of f.chunks.entries()) {
    await putChunk(db, owner, f.manifest.list, part, bytes);
  }
}

describe('file store', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('records a file once per account, adds the messages that carry it, lists a room’s', async () => {
    const f = await madeFile(3);
    const id = f.manifest.list;
    const made = await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    expect(made).to.include({ owner: 'me', id, room: 'lobby', parts: 3, held: 0, bytes: 0 });
    expect(made.complete).to.equal(false);
    expect(made.wanted).to.equal(false);
    expect(made.mine).to.equal(undefined);
    expect(made.list, 'the inline list, checked').to.deep.equal(f.list);
    const again = await putFile(db, 'me', 'lobby', f.manifest, 'm2', true);
    expect(again.messages).to.deep.equal(['m1', 'm2']);
    expect(again.mine).to.equal(true);
    expect((await putFile(db, 'me', 'lobby', f.manifest, 'm2')).messages).to.have.length(2);
    await putFile(db, 'you', 'lobby', f.manifest, 'm1');
    expect((await getFile(db, 'me', id))?.messages).to.deep.equal(['m1', 'm2']);
    expect((await getFile(db, 'you', id))?.messages).to.deep.equal(['m1']);
    expect((await filesOfRoom(db, 'me', 'lobby')).map((r) => r.id)).to.deep.equal([id]);
    expect(await filesOfRoom(db, 'me', 'elsewhere')).to.deep.equal([]);
    expect(await getFile(db, 'me', 'nope')).to.equal(undefined);
  });

  it('keeps chunks as Blobs, counts each part once, gives them back in part order', async () => {
    const f = await madeFile(3, 5);
    const id = f.manifest.list;
    await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    for (const part of [2, 0, 2, 0]) await putChunk(db, 'me', id, part, f.chunks[part]!);
    const record = await getFile(db, 'me', id);
    expect([record?.held, record?.bytes]).to.deep.equal([2, MIN_CHUNK_BYTES + 5]);
    expect([...(await heldParts(db, 'me', id))].sort()).to.deep.equal([0, 2]);
    expect(await getChunk(db, 'me', id, 2)).to.deep.equal(f.chunks[2]);
    expect(await getChunk(db, 'me', id, 1)).to.equal(undefined);
    const stored = await db.get('chunks', ['me', id, 0]);
    expect(stored?.data).to.be.instanceOf(Blob);
    await putChunk(db, 'me', id, 1, f.chunks[1]!);
    const blobs = await chunkBlobs(db, 'me', id);
    const whole = new Uint8Array(await new Blob(blobs).arrayBuffer());
    const want = new Uint8Array(
      await new Blob(f.chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer(),
    );
    expect(whole).to.deep.equal(want);
    expect((await getFile(db, 'me', id))?.held).to.equal(3);
    let error: unknown;
    await putChunk(db, 'me', id, 3, f.chunks[0]!).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('no part 3');
    await putChunk(db, 'me', 'unknown', 0, f.chunks[0]!).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('No file');
    expect(await heldParts(db, 'you', id), 'another account').to.have.property('size', 0);
  });

  it('stores a group of chunks in one transaction, each part counted once', async () => {
    const f = await madeFile(5, 7);
    const id = f.manifest.list;
    await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    await putChunk(db, 'me', id, 1, f.chunks[1]!);
    const entry = (part: number) => ({ part, bytes: f.chunks[part]! });
    let opened = 0;
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args) {
      opened++;
      return transaction.apply(this, args);
    } as typeof transaction;
    try {
      // Part 1 held already, part 3 given twice: each is kept and counted once.
      await putChunks(db, 'me', id, [entry(3), entry(1), entry(0), entry(3)]);
    } finally {
      IDBDatabase.prototype.transaction = transaction;
    }
    expect(opened, 'one transaction').to.equal(1);
    const record = await getFile(db, 'me', id);
    expect([record?.held, record?.bytes]).to.deep.equal([3, 3 * MIN_CHUNK_BYTES]);
    expect([...(await heldParts(db, 'me', id))].sort()).to.deep.equal([0, 1, 3]);
    for (const part of [0, 1, 3]) {
      expect(await getChunk(db, 'me', id, part)).to.deep.equal(f.chunks[part]);
    }
    await putChunks(db, 'me', id, []);
    let error: unknown;
    await putChunks(db, 'me', id, [entry(2), { part: 5, bytes: f.chunks[0]! }]).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.contain('no part 5');
    expect((await getFile(db, 'me', id))?.held, 'nothing of a refused group').to.equal(3);
    expect(await getChunk(db, 'me', id, 2)).to.equal(undefined);
    await putChunks(db, 'me', 'unknown', [entry(0)]).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('No file');
    await putChunks(db, 'me', id, [entry(4), entry(2)]);
    const whole = new Uint8Array(await new Blob(await chunkBlobs(db, 'me', id)).arrayBuffer());
    const want = new Uint8Array(
      await new Blob(f.chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer(),
    );
    expect(whole).to.deep.equal(want);
    const done = await getFile(db, 'me', id);
    expect([done?.held, done?.bytes]).to.deep.equal([5, 4 * MIN_CHUNK_BYTES + 7]);
  });

  it('moves chunks stored under a provisional id to the file’s address, bytes unread', async () => {
    const f = await madeFile(3);
    const temp = 'T'.repeat(43);
    await putFile(db, 'me', 'lobby', { ...f.manifest, list: temp, hashes: undefined }, 'tmp');
    for (const [part, bytes] of f.chunks.entries()) await putChunk(db, 'me', temp, part, bytes);
    await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    await putChunk(db, 'me', f.manifest.list, 1, f.chunks[1]!);
    await moveChunks(db, 'me', temp, f.manifest.list);
    const [moved, left] = [await getFile(db, 'me', f.manifest.list), await getFile(db, 'me', temp)];
    expect([moved?.held, moved?.bytes]).to.deep.equal([3, 2 * MIN_CHUNK_BYTES + 100]);
    expect([left?.held, left?.bytes]).to.deep.equal([0, 0]);
    expect(await heldParts(db, 'me', temp)).to.have.property('size', 0);
    for (const [part, bytes] of f.chunks.entries()) {
      expect(await getChunk(db, 'me', f.manifest.list, part)).to.deep.equal(bytes);
    }
    let error: unknown;
    await moveChunks(db, 'me', 'unknown', f.manifest.list).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('Cannot move');
    expect((await getFile(db, 'me', f.manifest.list))?.held).to.equal(3);
  });

  it('remembers what is wanted until it is complete, and the fetched list', async () => {
    const [a, b] = [await madeFile(2), await madeFile(70)];
    await putFile(db, 'me', 'lobby', a.manifest, 'm1');
    await putFile(db, 'me', 'lobby', b.manifest, 'm2');
    expect((await getFile(db, 'me', b.manifest.list))?.list, 'a list as part -1').to.equal(
      undefined,
    );
    expect(await wantedFiles(db, 'me')).to.deep.equal([]);
    await setWanted(db, 'me', a.manifest.list, true);
    await setWanted(db, 'me', b.manifest.list, true);
    const ids = (await wantedFiles(db, 'me')).map((r) => r.id).sort();
    expect(ids).to.deep.equal([a.manifest.list, b.manifest.list].sort());
    let error: unknown;
    await markComplete(db, 'me', a.manifest.list).catch((e: unknown) => (error = e));
    expect(String(error), 'not complete without its parts').to.contain('0 of 2 parts');
    expect((await getFile(db, 'me', a.manifest.list))?.complete).to.equal(false);
    await holdAll(db, 'me', a);
    await markComplete(db, 'me', a.manifest.list);
    expect((await getFile(db, 'me', a.manifest.list))?.complete).to.equal(true);
    await setWanted(db, 'me', b.manifest.list, false);
    expect(await wantedFiles(db, 'me')).to.deep.equal([]);
    await setWanted(db, 'me', b.manifest.list, true);
    expect((await wantedFiles(db, 'me')).map((r) => r.id)).to.deep.equal([b.manifest.list]);
    expect(await wantedFiles(db, 'you')).to.deep.equal([]);
    await setList(db, 'me', b.manifest.list, b.list);
    expect((await getFile(db, 'me', b.manifest.list))?.list).to.deep.equal(b.list);
  });

  it('removes a file’s bytes from this browser and keeps its record to fetch again', async () => {
    const f = await madeFile(2);
    const id = f.manifest.list;
    await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    await holdAll(db, 'me', f);
    await setWanted(db, 'me', id, true);
    await markComplete(db, 'me', id);
    await putFile(db, 'you', 'lobby', f.manifest, 'm1');
    await holdAll(db, 'you', f);
    await removeFileBytes(db, 'me', id);
    const record = await getFile(db, 'me', id);
    expect(record).to.include({ held: 0, bytes: 0, complete: false, wanted: false });
    expect(record?.list).to.deep.equal(f.list);
    expect(await heldParts(db, 'me', id)).to.have.property('size', 0);
    expect(await wantedFiles(db, 'me')).to.deep.equal([]);
    expect(await heldParts(db, 'you', id), 'another account’s copy').to.have.property('size', 2);
    await putChunk(db, 'me', id, 0, f.chunks[0]!);
    expect((await getFile(db, 'me', id))?.held).to.equal(1);
  });

  it('trims to a byte cap: complete others’ files oldest first, then idle partial ones', async () => {
    const files: Awaited<ReturnType<typeof madeFile>>[] = [];
    for (let i = 0; i < 5; i++) files.push(await madeFile(2, 1000));
    const [oldDone, newDone, partial, fetching, mine] = files;
    const each = MIN_CHUNK_BYTES + 1000;
    for (const [i, f] of files.entries()) {
      await putFile(db, 'me', 'lobby', f.manifest, `m${i}`, f === mine);
      await holdAll(db, 'me', f);
      await new Promise((r) => setTimeout(r, 2)); // distinct `updated`
    }
    await markComplete(db, 'me', oldDone!.manifest.list);
    await new Promise((r) => setTimeout(r, 2));
    await markComplete(db, 'me', newDone!.manifest.list);
    await markComplete(db, 'me', mine!.manifest.list);
    await removeFileBytes(db, 'me', partial!.manifest.list);
    await putChunk(db, 'me', partial!.manifest.list, 0, partial!.chunks[0]!);
    await setWanted(db, 'me', fetching!.manifest.list, true);
    const total = 4 * each + MIN_CHUNK_BYTES;
    expect(await fileBytes(db, 'me')).to.equal(total);
    const heldOf = async () =>
      Promise.all(files.map(async (f) => (await getFile(db, 'me', f.manifest.list))?.held));
    expect(await trimFiles(db, 'me', total)).to.equal(total);
    expect(await heldOf()).to.deep.equal([2, 2, 1, 2, 2]);
    expect(await trimFiles(db, 'me', total - 1)).to.equal(total - each);
    expect(await heldOf(), 'the oldest complete one first').to.deep.equal([0, 2, 1, 2, 2]);
    const cap = 2 * each + MIN_CHUNK_BYTES;
    expect(await trimFiles(db, 'me', cap)).to.equal(cap);
    expect(await heldOf()).to.deep.equal([0, 0, 1, 2, 2]);
    expect(await trimFiles(db, 'me', 0), 'never ours nor one being fetched').to.equal(2 * each);
    expect(await heldOf()).to.deep.equal([0, 0, 0, 2, 2]);
    expect(await fileBytes(db, 'me')).to.equal(2 * each);
  });

  it('tells a full quota in words and loses nothing', async () => {
    const f = await madeFile(3);
    const id = f.manifest.list;
    await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    await putChunk(db, 'me', id, 0, f.chunks[0]!);
    // The seam: the chunks store's `put` fails as a full disk makes it fail.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
      if (this.name === 'chunks') throw new DOMException('Quota exceeded', 'QuotaExceededError');
      return put.apply(this, args);
    };
    let error: unknown;
    try {
      await putChunk(db, 'me', id, 1, f.chunks[1]!).catch((e: unknown) => (error = e));
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(error).to.be.instanceOf(FileStoreFullError);
    expect((error as Error).message).to.equal(
      "This browser's storage for Parley is full — remove files or old rooms to make room.",
    );
    const record = await getFile(db, 'me', id);
    expect([record?.held, record?.bytes, record?.messages]).to.deep.equal([
      1,
      MIN_CHUNK_BYTES,
      ['m1'],
    ]);
    expect([...(await heldParts(db, 'me', id))]).to.deep.equal([0]);
    expect(await getChunk(db, 'me', id, 0)).to.deep.equal(f.chunks[0]);
    await putChunk(db, 'me', id, 1, f.chunks[1]!);
    expect((await getFile(db, 'me', id))?.held).to.equal(2);
  });

  it('undoes a whole group when the quota fills part-way through it', async () => {
    const f = await madeFile(4);
    const id = f.manifest.list;
    await putFile(db, 'me', 'lobby', f.manifest, 'm1');
    await putChunk(db, 'me', id, 0, f.chunks[0]!);
    // The second chunk of the group finds the disk full: the first one is undone with it.
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
      if (this.name === 'chunks' && ++puts === 2) {
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
    let error: unknown;
    try {
      const group = [1, 2, 3].map((part) => ({ part, bytes: f.chunks[part]! }));
      await putChunks(db, 'me', id, group).catch((e: unknown) => (error = e));
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(puts).to.equal(2);
    expect(error).to.be.instanceOf(FileStoreFullError);
    const record = await getFile(db, 'me', id);
    expect([record?.held, record?.bytes]).to.deep.equal([1, MIN_CHUNK_BYTES]);
    expect([...(await heldParts(db, 'me', id))]).to.deep.equal([0]);
    await putChunks(db, 'me', id, [{ part: 1, bytes: f.chunks[1]! }]);
    expect((await getFile(db, 'me', id))?.held).to.equal(2);
  });
});
