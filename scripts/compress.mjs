/**
 * Precompresses a built folder for the server (signaling/static.ts):
 *
 *   node scripts/compress.mjs [folder]     (default: dist/, which holds dist/lib/ too)
 *
 * Next to every text asset (`.html .js .css .json .svg .webmanifest .map`, the server's
 * COMPRESSIBLE list) of at least MIN_BYTES it writes `<file>.br` (brotli, quality 11) and
 * `<file>.gz` (gzip, level 9), each only when it saves at least a tenth of the bytes; a copy
 * that no longer earns its place, or whose original is gone, is removed, so the script can run
 * again on the same folder. Each copy gets its original's modification time: the server uses a
 * copy only when both times agree (within a millisecond), so a file rebuilt without recompressing is never served in
 * its old compressed form. Copies are written under a temporary name and renamed, so a running
 * server never reads half a file.
 */
import { readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Extensions worth compressing; signaling/static-encoding.ts holds the same list (tested). */
export const COMPRESSIBLE = ['.html', '.js', '.css', '.json', '.svg', '.webmanifest', '.map'];
/** Files smaller than this are sent as they are: the saving would be lost in the headers. */
export const MIN_BYTES = 1024;
/** A copy is kept only when at most this share of the original's size. */
export const MAX_RATIO = 0.9;

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** The two precompressed forms: the suffix the server looks for, and how to make it. */
const FORMS = [
  {
    suffix: '.br',
    make: (data) =>
      brotli(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
  },
  { suffix: '.gz', make: (data) => gz(data, { level: 9 }) },
];

/** Every file under `dir`, recursively (symbolic links are not followed). */
async function* filesUnder(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

async function exists(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function removeIfThere(path) {
  await unlink(path).catch((err) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/** Writes `data` to `path` through a temporary name, dated `mtime` (seconds, to the µs). */
async function writeCopy(path, data, mtime) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await utimes(temporary, mtime, mtime);
  await rename(temporary, path);
}

/**
 * Compresses every compressible file under `dir`; returns what was done, per file: its size
 * and each kept copy's (a missing form was not worth it).
 */
export async function compressFolder(dir) {
  const all = [];
  for await (const file of filesUnder(dir)) all.push(file);
  const done = [];
  // zlib works on libuv's thread pool: a few files at once keep every core busy.
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const row = await compressOne(all[next++]);
      if (row) done.push(row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, availableParallelism()) }, worker));
  return done.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** Compresses `file` (or tidies it, if it is a copy): its row, or undefined if not a text asset. */
async function compressOne(file) {
  const suffix = FORMS.find((f) => file.endsWith(f.suffix))?.suffix;
  if (suffix) {
    // A copy whose original is gone (or never was compressible) would be served by nobody.
    const original = file.slice(0, -suffix.length);
    if (!COMPRESSIBLE.includes(extname(original)) || !(await exists(original))) {
      await removeIfThere(file);
    }
    return undefined;
  }
  if (!COMPRESSIBLE.includes(extname(file))) return undefined;
  const info = await stat(file);
  const data = info.size >= MIN_BYTES ? await readFile(file) : undefined;
  const row = { file, size: info.size };
  for (const form of FORMS) {
    const copy = data ? await form.make(data) : undefined;
    if (copy && copy.length <= data.length * MAX_RATIO) {
      await writeCopy(file + form.suffix, copy, info.mtimeMs / 1000);
      row[form.suffix.slice(1)] = copy.length;
    } else await removeIfThere(file + form.suffix);
  }
  return row;
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = resolve(process.argv[2] ?? join(root, 'dist'));
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    console.error(`compress: ${dir} is not a folder (build first)`);
    process.exit(1);
  }
  const rows = await compressFolder(dir);
  const sum = (key) => rows.reduce((n, r) => n + (r[key] ?? (key === 'size' ? 0 : r.size)), 0);
  const kb = (n) => (n / 1000).toFixed(1);
  console.log(
    `compress: ${rows.length} files in ${dir}: ${kb(sum('size'))} KB, ` +
      `${kb(sum('br'))} KB brotli, ${kb(sum('gz'))} KB gzip (files not worth it counted as they are)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
