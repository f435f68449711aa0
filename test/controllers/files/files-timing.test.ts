/**
 * Where a file's time goes in this browser, printed for the record (the machine is shared, so
 * only numbers of one run compare): attaching a file (read, hash, store) and fetching it from
 * another member over in-page transports into real IndexedDB. The bytes must arrive whole.
 */
import { expect } from '@open-wc/testing';
import type { Manifest } from '../../../src/protocol/file-manifest.js';
import {
  digestOf,
  dropAll,
  filesMember,
  randomFile,
  until,
  type FilesMember,
} from './files-harness.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { freshRoom } from '../../transport/contract.js';

const MiB = 1024 * 1024;
const SIZE = 16 * MiB;

describe('files timing', function () {
  this.timeout(120_000);
  let made: FilesMember[] = [];
  afterEach(async () => {
    await dropAll(made);
    made = [];
  });

  it(`attaches and fetches ${SIZE / MiB} MiB, whole, and prints how long each took`, async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const alice = await filesMember(hub, 'alice', room);
    const bob = await filesMember(hub, 'bob', room);
    made.push(alice, bob);
    const file = randomFile(SIZE);
    let started = performance.now();
    expect(await alice.files.attach([file])).to.deep.equal([]);
    const attachMs = performance.now() - started;
    const m: Manifest = alice.posted.at(-1)!.file;
    started = performance.now();
    bob.files.fetch(m, 'message-of-the-file');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held', 100_000);
    const fetchMs = performance.now() - started;
    expect(await digestOf((await bob.files.blob(m))!)).to.equal(await digestOf(file));
    const rate = (ms: number) => (SIZE / MiB / (ms / 1000)).toFixed(2);
    console.log(
      `files timing, ${SIZE / MiB} MiB: attach ${attachMs.toFixed(0)} ms (${rate(attachMs)} MiB/s), ` +
        `fetch ${fetchMs.toFixed(0)} ms (${rate(fetchMs)} MiB/s)`,
    );
  });
});
