/**
 * Group writes (src/controllers/files/chunk-writer.ts): chunks go in groups of at most 16 or
 * 1 MiB, or 20 ms after the first, one group at a time; a producer waits for room; flush,
 * drop and a failed write behave as documented; and with the real store every chunk lands.
 */
import { expect } from '@open-wc/testing';
import { ChunkWriter, GROUP } from '../../../src/controllers/files/chunk-writer.js';
import { makeManifest } from '../../../src/protocol/file-hash.js';
import { MIN_CHUNK_BYTES } from '../../../src/protocol/file-manifest.js';
import {
  FileStoreFullError,
  chunkBlobs,
  getFile,
  putChunks,
  putFile,
  type ChunkEntry,
} from '../../../src/store/files.js';
import { freshDb } from '../../support/db.js';

const KiB = 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A write that records its groups and finishes when the test says (`release`). */
function heldWrite() {
  const groups: number[][] = [];
  const waiting: Array<() => void> = [];
  let writing = 0;
  let most = 0;
  const write = async (entries: ChunkEntry[]) => {
    groups.push(entries.map((e) => e.part));
    most = Math.max(most, ++writing);
    await new Promise<void>((r) => waiting.push(r));
    writing--;
  };
  const release = async () => {
    while (waiting.length === 0) await sleep(1);
    waiting.shift()!();
    await sleep(0);
  };
  return { write, groups, release, most: () => most };
}

describe('chunk writer', () => {
  it('writes 16 chunks at once, one group at a time, gathering the next meanwhile', async () => {
    const w = heldWrite();
    const writer = new ChunkWriter(w.write);
    const stored: Promise<boolean>[] = [];
    for (let part = 0; part < 40; part++) stored.push(writer.add(part, new Uint8Array(10)));
    expect(w.groups).to.deep.equal([[...Array(16).keys()]]);
    expect(writer.queued).to.equal(40);
    await w.release();
    expect(await Promise.all(stored.slice(0, 16))).to.deep.equal(Array(16).fill(true));
    expect(w.groups.at(-1)).to.deep.equal([...Array(16).keys()].map((i) => 16 + i));
    await w.release();
    // The last 8 are not a full group: they wait for the idle time, then go.
    expect(w.groups).to.have.length(2);
    await sleep(GROUP.idleMs + 30);
    expect(w.groups.at(-1)).to.deep.equal([...Array(8).keys()].map((i) => 32 + i));
    await w.release();
    expect(await Promise.all(stored)).to.deep.equal(Array(40).fill(true));
    expect(w.most(), 'never two writes at once').to.equal(1);
    expect(writer.queued).to.equal(0);
  });

  it('ends a group at 1 MiB, and sends a lone chunk after the idle time', async () => {
    const groups: number[][] = [];
    const writer = new ChunkWriter(async (e) => void groups.push(e.map((c) => c.part)));
    const started = performance.now();
    expect(await writer.add(0, new Uint8Array(10))).to.equal(true);
    expect(performance.now() - started).to.be.at.least(GROUP.idleMs - 1);
    const big = Array.from({ length: 6 }, (_, i) => writer.add(1 + i, new Uint8Array(300 * KiB)));
    await Promise.all(big);
    expect(groups).to.deep.equal([[0], [1, 2, 3, 4], [5, 6]]);
  });

  it('makes a producer wait while a full group waits for the disk', async () => {
    const w = heldWrite();
    const writer = new ChunkWriter(w.write, { chunks: 2, bytes: 1 << 20, idleMs: 1000 });
    void writer.add(0, new Uint8Array(1));
    void writer.add(1, new Uint8Array(1)); // written at once: full
    await writer.room();
    void writer.add(2, new Uint8Array(1));
    await writer.room(); // one gathered: room for another
    void writer.add(3, new Uint8Array(1));
    let roomy = false;
    const room = writer.room().then(() => (roomy = true));
    await sleep(20);
    expect(roomy, 'two gathered while two are written').to.equal(false);
    await w.release();
    await room;
    expect(w.groups).to.deep.equal([
      [0, 1],
      [2, 3],
    ]);
    const flushed = writer.flush();
    await w.release();
    await flushed;
  });

  it('flushes without waiting, drops what is gathered, and reports a failed write', async () => {
    const groups: number[][] = [];
    let fail = false;
    const writer = new ChunkWriter(async (e) => {
      groups.push(e.map((c) => c.part));
      if (fail) throw new FileStoreFullError();
    });
    const limits = { ...GROUP, idleMs: 60_000 };
    const slow = new ChunkWriter(async (e) => void groups.push(e.map((c) => c.part)), limits);
    const first = slow.add(0, new Uint8Array(1));
    await sleep(10);
    expect(groups).to.deep.equal([]);
    await slow.flush();
    expect(await first).to.equal(true);
    const dropped = slow.add(1, new Uint8Array(1));
    slow.drop();
    expect(await dropped).to.equal(false);
    expect(slow.queued).to.equal(0);
    expect(groups).to.deep.equal([[0]]);

    fail = true;
    // 16 go at once and fail; the 2 gathered meanwhile are never written, nor what comes after.
    const lost = Array.from({ length: 18 }, (_, i) => writer.add(10 + i, new Uint8Array(1)));
    const errors = await Promise.all(lost.map((p) => p.catch((e: unknown) => e)));
    const error = errors[0];
    expect(error).to.be.instanceOf(FileStoreFullError);
    expect(errors.every((e) => e === error)).to.equal(true);
    expect(await writer.add(40, new Uint8Array(1)).catch((e: unknown) => e)).to.equal(error);
    expect(await writer.room().catch((e: unknown) => e)).to.equal(error);
    expect(await writer.flush().catch((e: unknown) => e)).to.equal(error);
    expect(groups.at(-1)).to.have.length(16);
    expect(writer.queued).to.equal(0);
  });

  it('stores a whole file through the real store in a few transactions', async () => {
    const { db, drop } = await freshDb();
    try {
      const bytes = new Uint8Array(40 * MIN_CHUNK_BYTES);
      crypto.getRandomValues(bytes.subarray(0, 65536));
      const chunks: ChunkEntry[] = [];
      const made = await makeManifest(new Blob([bytes]), {
        name: 'a.bin',
        type: 'application/octet-stream',
        chunk: MIN_CHUNK_BYTES,
        onChunk: async (part, b) => void chunks.push({ part, bytes: b }),
      });
      const id = made.manifest.list;
      await putFile(db, 'me', 'lobby', made.manifest, 'm1');
      let writes = 0;
      const writer = new ChunkWriter((entries) => {
        writes++;
        return putChunks(db, 'me', id, entries);
      });
      const stored = chunks.map(({ part, bytes: b }) => writer.add(part, b));
      await writer.flush();
      expect(await Promise.all(stored)).to.deep.equal(Array(40).fill(true));
      expect(writes).to.equal(3);
      expect((await getFile(db, 'me', id))?.held).to.equal(40);
      const back = new Uint8Array(await new Blob(await chunkBlobs(db, 'me', id)).arrayBuffer());
      expect(back).to.deep.equal(bytes);
    } finally {
      await drop();
    }
  });
});
