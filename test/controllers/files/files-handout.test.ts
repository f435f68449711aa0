/**
 * How the files controller hands files out: an image keeps its type and gets a thumbnail URL,
 * every other file is bytes (`application/octet-stream`) saved through a detached download link
 * under its sanitised name; a file whose bytes do not add up to its SHA-256 fails in words and
 * is dropped; Remove leaves the message able to fetch it again.
 */
import { expect } from '@open-wc/testing';
import type { Manifest } from '../../../src/protocol/file-manifest.js';
import { getFile, heldParts } from '../../../src/store/files.js';
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

/** A small real PNG. */
async function png(): Promise<File> {
  const canvas = new OffscreenCanvas(300, 200);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#3a7';
  ctx.fillRect(0, 0, 300, 200);
  ctx.fillStyle = '#c33';
  ctx.fillRect(50, 50, 100, 60);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new File([blob], 'picture.png', { type: 'image/png' });
}

describe('files controller: handing files out', function () {
  this.timeout(30000);
  let made: FilesMember[] = [];
  afterEach(async () => {
    await dropAll(made);
    made = [];
  });
  async function pair(): Promise<[FilesMember, FilesMember]> {
    const hub = new MemoryHub();
    const room = freshRoom();
    made.push(await filesMember(hub, 'alice', room), await filesMember(hub, 'bob', room));
    return [made[0]!, made[1]!];
  }

  it('keeps an image its type and gives it a thumbnail URL', async () => {
    const [alice, bob] = await pair();
    const file = await png();
    expect(await alice.files.attach([file])).to.deep.equal([]);
    const m = alice.posted[0]!.file;
    expect([m.type, m.w, m.h]).to.deep.equal(['image/png', 300, 200]);
    const url = bob.files.thumbUrl(m);
    expect(url).to.match(/^blob:/);
    expect(bob.files.thumbUrl(m), 'cached').to.equal(url);
    const thumb = await (await fetch(url!)).blob();
    expect(thumb.type).to.equal(m.thumb!.type);
    expect((await createImageBitmap(thumb)).width).to.be.greaterThan(0);
    bob.files.fetch(m, 'the-message');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held');
    const blob = await bob.files.blob(m);
    expect(blob?.type).to.equal('image/png');
    expect(await digestOf(blob!)).to.equal(await digestOf(file));
    // Without a thumbnail, or one of a type we do not show: no URL.
    const { thumb: _t, ...bare } = m;
    expect(bob.files.thumbUrl(bare)).to.equal(undefined);
    const svg = { ...m, thumb: { ...m.thumb!, type: 'image/svg+xml' } } as unknown as Manifest;
    expect(bob.files.thumbUrl({ ...svg, list: 'x'.repeat(43) })).to.equal(undefined);
  });

  it('saves any other file as bytes under its sanitised name, through a detached link', async () => {
    const [alice, bob] = await pair();
    const file = randomFile(100_000, '../../etc/passwd.html', 'text/html');
    expect(await alice.files.attach([file])).to.deep.equal([]);
    const m = alice.posted[0]!.file;
    expect(await bob.files.blob(m), 'not held yet').to.equal(undefined);
    bob.files.fetch(m, 'the-message');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held');
    const clicked: HTMLAnchorElement[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      await bob.files.download(m);
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(clicked).to.have.length(1);
    const a = clicked[0]!;
    expect(a.isConnected, 'never put in the page').to.equal(false);
    expect(a.download).to.equal('_.._etc_passwd.html');
    const saved = await (await fetch(a.href)).blob();
    expect(saved.type).to.equal('application/octet-stream');
    expect(await digestOf(saved)).to.equal(await digestOf(file));
  });

  it('fails in words and drops the bytes when the whole file does not match', async () => {
    const [alice, bob] = await pair();
    const file = randomFile(200_000);
    expect(await alice.files.attach([file])).to.deep.equal([]);
    const real = alice.posted[0]!.file;
    // Every chunk checks against the list, but the whole-file hash is another file's.
    const doctored = { ...real, sha256: real.sha256.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    bob.files.fetch(doctored, 'the-message');
    await until(() => bob.files.stateOf(doctored).phase === 'failed', 'failed');
    expect(bob.files.stateOf(doctored).error).to.equal(
      'random.bin did not match its checksum, so its bytes were dropped.',
    );
    expect((await heldParts(bob.db, bob.owner, real.list)).size).to.equal(0);
    expect((await getFile(bob.db, bob.owner, real.list))?.complete).to.equal(false);
  });

  it('removes the bytes from this browser; the message can fetch them again', async () => {
    const [alice, bob] = await pair();
    const file = randomFile(150_000);
    expect(await alice.files.attach([file])).to.deep.equal([]);
    const m = alice.posted[0]!.file;
    bob.files.fetch(m, 'the-message');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held');
    await bob.files.remove(m);
    expect(bob.files.stateOf(m).phase).to.equal('missing');
    expect(await bob.files.blob(m)).to.equal(undefined);
    expect((await heldParts(bob.db, bob.owner, m.list)).size).to.equal(0);
    bob.files.fetch(m, 'the-message');
    await until(() => bob.files.stateOf(m).phase === 'held', 'held again');
    expect(await digestOf((await bob.files.blob(m))!)).to.equal(await digestOf(file));
  });
});
