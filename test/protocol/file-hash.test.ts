/**
 * File manifests and chunk checks (src/protocol/file-hash.ts): chunking at its boundaries,
 * the hash list inline (≤ 64 chunks) or as part -1 (65 and more), sealed and clear files,
 * tampered or misplaced chunks refused, and the incremental whole-file SHA-256 (with its speed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64Url } from '../../src/protocol/encoding.js';
import {
  WholeHash,
  checkChunk,
  checkList,
  cleanMime,
  inlineList,
  makeManifest,
  sha256,
  storedBytesOf,
  type MadeFile,
} from '../../src/protocol/file-hash.js';
import {
  CHUNK_BYTES,
  MAX_FILE_CEILING,
  MAX_INLINE_PARTS,
  ManifestSchema,
  partsOf,
} from '../../src/protocol/file-manifest.js';
import { SEAL_OVERHEAD, openChunk } from '../../src/protocol/file-seal.js';
import { roomKeyOfRaw } from '../../src/protocol/room-key.js';
import * as v from 'valibot';

/** `n` random bytes (getRandomValues fills at most 64 KiB a call). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/** Makes the manifest of `bytes`, keeping every stored chunk. */
async function make(
  bytes: Uint8Array,
  extra: Partial<Parameters<typeof makeManifest>[1]> = {},
): Promise<MadeFile & { stored: Uint8Array[] }> {
  const stored: Uint8Array[] = [];
  const made = await makeManifest(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
    name: 'data.bin',
    type: 'application/octet-stream',
    ...extra,
    onChunk: async (part, chunk) => {
      assert.equal(part, stored.length, 'parts in order');
      stored.push(chunk.slice());
    },
  });
  return { ...made, stored };
}

const b64sha = async (bytes: Uint8Array) => toBase64Url(await sha256(bytes));

describe('file manifests', () => {
  for (const [label, size, parts] of [
    ['1 byte', 1, 1],
    ['exactly one chunk', CHUNK_BYTES, 1],
    ['one chunk and a byte', CHUNK_BYTES + 1, 2],
    ['64 chunks (the list inline)', 64 * CHUNK_BYTES, 64],
    ['65 chunks (the list as part -1)', 64 * CHUNK_BYTES + 7, 65],
  ] as const) {
    it(`cuts ${label} into ${parts} chunk(s) whose hashes check`, async () => {
      const bytes = randomBytes(size);
      const { manifest: m, list, stored } = await make(bytes);
      assert.ok(v.is(ManifestSchema, m));
      assert.equal(m.size, size);
      assert.equal(m.chunk, CHUNK_BYTES);
      assert.equal(partsOf(m), parts);
      assert.equal(stored.length, parts);
      assert.equal(m.sha256, await b64sha(bytes));
      assert.equal(m.sealed, undefined);
      assert.equal(m.nonce, undefined);
      assert.equal(list.length, parts * 32);
      assert.equal(m.list, await b64sha(list));
      assert.ok(await checkList(m, list));
      if (parts <= MAX_INLINE_PARTS) {
        assert.deepEqual(inlineList(m), list);
      } else {
        assert.equal(m.hashes, undefined);
        assert.equal(inlineList(m), undefined);
      }
      // Clear chunks are the file's own bytes, every one `chunk` long but the last.
      assert.deepEqual(Buffer.concat(stored), Buffer.from(bytes));
      for (let part = 0; part < parts; part++) {
        assert.equal(
          stored[part]!.length,
          part < parts - 1 ? CHUNK_BYTES : size - part * CHUNK_BYTES,
        );
        assert.equal(storedBytesOf(m, part), stored[part]!.length);
        assert.ok(await checkChunk(m, list, part, stored[part]!), `part ${part}`);
      }
    });
  }

  it('names a clear file by its content: the same bytes, the same address', async () => {
    const bytes = randomBytes(3 * CHUNK_BYTES);
    const [a, b] = [await make(bytes), await make(bytes, { name: 'other.bin' })];
    assert.equal(a.manifest.list, b.manifest.list);
  });

  it('refuses a tampered, misplaced, cut or out-of-range chunk, and a wrong list', async () => {
    const { manifest: m, list, stored } = await make(randomBytes(2 * CHUNK_BYTES + 5));
    const bent = stored[1]!.slice();
    bent[100]! ^= 0x80;
    assert.equal(await checkChunk(m, list, 1, bent), false, 'one bit flipped');
    assert.equal(await checkChunk(m, list, 0, stored[1]!), false, 'another part');
    assert.equal(await checkChunk(m, list, 2, stored[2]!.subarray(0, 4)), false, 'cut short');
    assert.equal(await checkChunk(m, list, 3, stored[2]!), false, 'beyond the last');
    assert.equal(await checkChunk(m, list, -1, stored[0]!), false, 'the list part');
    assert.equal(await checkChunk(m, list, 0.5, stored[0]!), false, 'not an integer');
    const badList = list.slice();
    badList[0]! ^= 1;
    assert.equal(await checkList(m, badList), false);
    assert.equal(await checkList(m, list.subarray(0, 64)), false, 'too short');
    assert.equal(await checkChunk(m, badList, 0, stored[0]!), false, 'checked against a bad list');
    const lying = { ...m, hashes: toBase64Url(badList) };
    assert.equal(inlineList(lying), undefined, 'inline hashes that do not match `list`');
  });

  it('seals each chunk (fresh IV, the file’s nonce) and hashes the sealed form', async () => {
    const room = await roomKeyOfRaw(randomBytes(32));
    const bytes = randomBytes(2 * CHUNK_BYTES + 1);
    const seal = { key: room.key, kid: room.kid };
    const { manifest: m, list, stored } = await make(bytes, { seal });
    assert.ok(v.is(ManifestSchema, m));
    assert.equal(m.sealed, room.kid);
    assert.match(m.nonce ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.equal(m.sha256, await b64sha(bytes), 'the whole hash is of the plaintext');
    assert.deepEqual(inlineList(m), list);
    const plain: Uint8Array[] = [];
    for (let part = 0; part < 3; part++) {
      assert.equal(stored[part]!.length, storedBytesOf(m, part));
      assert.ok(await checkChunk(m, list, part, stored[part]!));
      const opened = await openChunk(room.key, m.nonce!, part, stored[part]!);
      assert.ok(opened, `part ${part} opens`);
      plain.push(opened);
    }
    assert.equal(stored[2]!.length, 1 + SEAL_OVERHEAD);
    assert.deepEqual(Buffer.concat(plain), Buffer.from(bytes));
    assert.equal(await openChunk(room.key, m.nonce!, 1, stored[0]!), undefined, 'not as part 1');
    // The same file sealed again is another file (its own nonce and IVs).
    const again = await make(bytes, { seal });
    assert.notEqual(again.manifest.nonce, m.nonce);
    assert.notEqual(again.manifest.list, m.list);
    assert.equal(await openChunk(room.key, again.manifest.nonce!, 0, stored[0]!), undefined);
    // A clear chunk's length is wrong for a sealed manifest, and the other way round.
    const clear = await make(bytes);
    assert.equal(await checkChunk(m, list, 0, clear.stored[0]!), false);
    assert.equal(await checkChunk(clear.manifest, clear.list, 0, stored[0]!), false);
  });

  it('reads one chunk at a time: the next only once the last was taken', async () => {
    const blob = new Blob([randomBytes(5 * CHUNK_BYTES) as Uint8Array<ArrayBuffer>]);
    let taking = false;
    let reads = 0;
    const watched = {
      size: blob.size,
      slice: (start?: number, end?: number) => {
        assert.equal(taking, false, 'read while the last chunk was being written');
        reads++;
        return blob.slice(start, end);
      },
    } as Blob;
    await makeManifest(watched, {
      name: 'x',
      type: 'x/y',
      onChunk: async () => {
        taking = true;
        await new Promise((r) => setTimeout(r, 5));
        taking = false;
      },
    });
    assert.equal(reads, 5);
    const failing = makeManifest(blob, {
      name: 'x',
      type: 'x/y',
      onChunk: (part) => (part === 2 ? Promise.reject(new Error('disk full')) : Promise.resolve()),
    });
    await assert.rejects(failing, /disk full/);
  });

  it('cleans the name and type, keeps the thumbnail and size, refuses empty and huge files', async () => {
    const thumb = { type: 'image/webp' as const, data: 'AAAA', w: 10, h: 8 };
    const { manifest: m } = await make(randomBytes(10), {
      name: '../../etc/\u202epasswd',
      type: 'Image/PNG; charset=binary',
      thumb,
      w: 1000,
      h: 800,
    });
    assert.equal(m.name, '_.._etc_passwd', 'no separators, no bidi override, no leading dots');
    assert.equal(m.type, 'image/png');
    assert.deepEqual(m.thumb, thumb);
    assert.deepEqual([m.w, m.h], [1000, 800]);
    assert.equal(cleanMime('text/html<script>'), 'application/octet-stream');
    assert.equal(cleanMime(''), 'application/octet-stream');
    assert.equal(cleanMime('TEXT/Plain'), 'text/plain');
    const none = { name: 'x', type: 'x/y', onChunk: async () => {} };
    await assert.rejects(makeManifest(new Blob([]), none), /empty/);
    const huge = {
      size: MAX_FILE_CEILING + 1,
      slice: () => assert.fail('read'),
    } as unknown as Blob;
    await assert.rejects(makeManifest(huge, none), /larger than 128 MB/);
    const blob = new Blob(['abc']);
    await assert.rejects(makeManifest(blob, { ...none, chunk: 1000 }), /chunk/);
  });
});

describe('the whole-file hash', () => {
  it('equals WebCrypto’s SHA-256 of the whole, however the pieces fall', async () => {
    const bytes = randomBytes(300_001);
    const want = await b64sha(bytes);
    for (const step of [1, 63, 64, 65, 4096, 65536, 300_001]) {
      const whole = new WholeHash();
      for (let i = 0; i < bytes.length; i += step) whole.update(bytes.subarray(i, i + step));
      assert.equal(whole.digest(), want, `pieces of ${step}`);
    }
    const empty = new WholeHash();
    assert.equal(empty.digest(), await b64sha(new Uint8Array(0)));
  });
});
