/**
 * The form of a file an answer sends: the file itself, its precompressed brotli or gzip copy
 * made at build (scripts/compress.mjs: `<file>.br`, `<file>.gz`), or — for a folder built
 * without that step — a copy compressed here, once, and kept in a small cache.
 *
 * Why compress on the fly at all: a folder built with `vite build` alone (the end-to-end
 * suites' own builds, a deployment that skipped the step) would otherwise go out uncompressed,
 * three to four times the bytes, silently. The files are few and bounded (the build's
 * output), each is compressed once at a fast setting on libuv's thread pool (never blocking
 * the relay) and the cache is bounded in bytes. Dev mode does not come here: Vite serves the
 * sources. Only text assets are compressed; images and the like are sent as they are.
 *
 * Each form has its own ETag (the bytes differ), made of the original's size and modification
 * time (as common servers do: no hashing per request) and the form's own size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { chooseCoding, COMPRESSIBLE, type Coding } from './static-encoding.js';

/** Files smaller than this go out as they are (as in scripts/compress.mjs). */
export const MIN_COMPRESS_BYTES = 1024;
/** A compressed form is used only when at most this share of the original. */
const MAX_RATIO = 0.9;
/** Files larger than this are not compressed here (the build step does those). */
const LIVE_MAX_FILE = 4 * 1024 * 1024;
/** Bytes the on-the-fly cache may hold, all files and forms together. */
const LIVE_CACHE_BYTES = 16 * 1024 * 1024;

/** What an answer sends and how to describe it. */
export interface Representation {
  coding: Coding;
  /** Strong validator of these exact bytes, quoted. */
  etag: string;
  /** The original file's modification time. */
  lastModified: Date;
  /** Bytes of the body. */
  size: number;
  /** The bytes: an open file (read from the start) or a buffer compressed here. */
  body: { handle: FileHandle } | { bytes: Buffer };
}

type Compressed = Exclude<Coding, 'identity'>;
const SUFFIX: Record<Compressed, string> = { br: '.br', gzip: '.gz' };
/** Both compressed forms, brotli first (it wins a tie). */
const FORMS: readonly Compressed[] = ['br', 'gzip'];

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
/** Fast settings: ~2/3 of the maximum's saving for a small share of its time. */
const compressLive: Record<Compressed, (data: Buffer) => Promise<Buffer>> = {
  br: (data) =>
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  gzip: (data) => gz(data, { level: 6 }),
};

const base36 = (n: number) => Math.trunc(n).toString(36);

/** Copies compressed here, keyed by file and coding, valid while the file is unchanged. */
export class LiveCache {
  private readonly entries = new Map<string, { stamp: string; bytes: Buffer | null }>();
  private readonly pending = new Map<string, Promise<Buffer | null>>();
  private bytes = 0;

  constructor(private readonly maxBytes = LIVE_CACHE_BYTES) {}

  /**
   * `data` (the file `file` as stamped by `stamp`) compressed with `coding`; null when that does
   * not pay. Concurrent asks for the same form share one compression.
   */
  async get(file: string, stamp: string, coding: Compressed, data: () => Promise<Buffer>) {
    const key = `${coding}\0${file}`;
    const hit = this.entries.get(key);
    if (hit?.stamp === stamp) {
      // Most recently used last: the first entries are the ones evicted.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.bytes;
    }
    const flight = `${key}\0${stamp}`;
    let job = this.pending.get(flight);
    if (!job) {
      job = data()
        .then((raw) => compressLive[coding](raw).then((c) => ({ raw, c })))
        .then(({ raw, c }) => {
          const bytes = c.length <= raw.length * MAX_RATIO ? c : null;
          this.store(key, stamp, bytes);
          return bytes;
        })
        .finally(() => this.pending.delete(flight));
      this.pending.set(flight, job);
    }
    return job;
  }

  private store(key: string, stamp: string, bytes: Buffer | null) {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes?.length ?? 0;
      this.entries.delete(key);
    }
    if ((bytes?.length ?? 0) > this.maxBytes) return;
    this.entries.set(key, { stamp, bytes });
    this.bytes += bytes?.length ?? 0;
    for (const [k, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= entry.bytes?.length ?? 0;
    }
  }
}

/** Opens `path` if it is a regular file; its handle and size/time, else undefined. */
async function openFile(path: string) {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, stats };
  } catch {
    // Missing or unreadable: there is no such form.
  }
  await handle?.close();
  return undefined;
}

/**
 * The form of `file` to send for a request accepting `acceptEncoding`; the caller closes
 * `body.handle` once sent. A precompressed copy counts only when dated like the file, to the
 * millisecond (copies get their original's time at build), so a file rebuilt without its copies never goes out in
 * its old compressed bytes.
 */
export async function representationOf(
  file: string,
  acceptEncoding: string | string[] | undefined,
  live: LiveCache,
): Promise<Representation | undefined> {
  const original = await openFile(file);
  if (!original) return undefined;
  const { handle, stats } = original;
  const stamp = `${base36(stats.size)}-${base36(stats.mtimeMs)}`;
  const lastModified = stats.mtime;
  const plain: Representation = {
    coding: 'identity',
    etag: `"${stamp}"`,
    lastModified,
    size: stats.size,
    body: { handle },
  };
  if (!COMPRESSIBLE.has(extname(file)) || stats.size < MIN_COMPRESS_BYTES) return plain;

  const copies = new Map<Compressed, NonNullable<Awaited<ReturnType<typeof openFile>>>>();
  for (const coding of FORMS) {
    const copy = await openFile(file + SUFFIX[coding]);
    if (copy && Math.abs(copy.stats.mtimeMs - stats.mtimeMs) < 1) {
      copies.set(coding, copy);
    } else await copy?.handle.close();
  }
  if (copies.size) {
    const coding = chooseCoding(acceptEncoding, [...copies.keys()]);
    for (const [other, copy] of copies) if (other !== coding) await copy.handle.close();
    const copy = coding === 'identity' ? undefined : copies.get(coding);
    if (!copy) return plain;
    await handle.close();
    const tag = `${stamp}-${coding === 'br' ? 'br' : 'gz'}-${base36(copy.stats.size)}`;
    return { coding, etag: `"${tag}"`, lastModified, size: copy.stats.size, body: copy };
  }

  const coding = chooseCoding(acceptEncoding);
  if (coding === 'identity' || stats.size > LIVE_MAX_FILE) return plain;
  // A failed compression is not the visitor's problem: the file goes out as it is.
  const bytes = await live.get(file, stamp, coding, () => handle.readFile()).catch(() => null);
  if (!bytes) return plain;
  await handle.close();
  const tag = `${stamp}-${coding === 'br' ? 'br5' : 'gz6'}-${base36(bytes.length)}`;
  return { coding, etag: `"${tag}"`, lastModified, size: bytes.length, body: { bytes } };
}
