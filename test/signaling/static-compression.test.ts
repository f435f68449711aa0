/**
 * Issue 25, goal 5: the built app served like a production site. A folder is precompressed by
 * scripts/compress.mjs as the build does, served by the real server on 127.0.0.1, and read
 * over real HTTP (node:http, which hands over the bytes as sent, not decoded): each
 * `Accept-Encoding` gets its coding, the bytes decompress to the file, `Vary`, caching of
 * hashed and unhashed names, 304s, HEAD, ranges, and no new way around the folder's edge.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ParleyServer } from '../../signaling/server.js';
import { COMPRESSIBLE } from '../../signaling/static-encoding.js';
import { startServer } from './helpers.js';

const COMPRESS = fileURLToPath(new URL('../../scripts/compress.mjs', import.meta.url));

/** Text that compresses well, `kb` KB of it, different per `seed`. */
const text = (seed: string, kb: number) =>
  Array.from({ length: kb * 20 }, (_, i) => `export const ${seed}${i} = "${seed} ${i}";`).join(
    '\n',
  );

/** The files of a built app in miniature, by path. */
const FILES: Record<string, string | Buffer> = {
  'index.html': `<!doctype html><title>Parley</title>\n<!-- ${text('page', 2)} -->`,
  'assets/index-AbCd_f12.js': text('app', 8),
  'assets/index-AbCd_f12.js.map': text('map', 8),
  'lib/parley.js': text('entry', 4),
  'lib/api-Bq9xK-2z.js': text('chunk', 8),
  'sw.js': text('worker', 2),
  'tiny.js': 'export const tiny = 1;',
  // Bytes no compressor can shrink (a server must not trust a name to promise gains).
  'noise.json': randomBytes(3000),
  'icon.png': Buffer.alloc(4096, 7),
};

async function builtApp(compress: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-compression-'));
  for (const [path, body] of Object.entries(FILES)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  if (compress) await promisify(execFile)(process.execPath, [COMPRESS, dir]);
  return dir;
}

/** An answer as it came over the wire: status, headers and the body's bytes, undecoded. */
interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request to `base` + `path`, sent as written (no path normalising, no decoding). */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Raw> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body decoded by its Content-Encoding. */
function decoded(res: Raw): Buffer {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  assert.equal(coding, undefined, 'only br and gzip are ever sent');
  return res.body;
}

const original = (path: string) => Buffer.from(FILES[path]!);

describe('precompressed at build (scripts/compress.mjs)', () => {
  it('keeps the extension list of the server', async () => {
    const script = (await import(COMPRESS)) as { COMPRESSIBLE: string[] };
    assert.deepEqual([...script.COMPRESSIBLE].sort(), [...COMPRESSIBLE].sort());
  });

  it('writes .br and .gz next to text assets only, dated like them, and tidies on a re-run', async () => {
    const dir = await builtApp(true);
    try {
      const has = (p: string) =>
        stat(join(dir, p)).then(
          (s) => s.isFile(),
          () => false,
        );
      for (const path of ['index.html', 'assets/index-AbCd_f12.js', 'lib/parley.js', 'sw.js']) {
        for (const suffix of ['.br', '.gz']) {
          assert.ok(await has(path + suffix), `${path}${suffix}`);
          const [a, b] = await Promise.all([stat(join(dir, path)), stat(join(dir, path + suffix))]);
          assert.ok(Math.abs(a.mtimeMs - b.mtimeMs) < 1, `${path}${suffix} dated as its file`);
        }
        const br = brotliDecompressSync(await readFile(join(dir, `${path}.br`)));
        const gz = gunzipSync(await readFile(join(dir, `${path}.gz`)));
        assert.ok(br.equals(original(path)) && gz.equals(original(path)), path);
      }
      // Too small to gain, not text, or not made smaller: no copies.
      for (const path of ['tiny.js', 'icon.png', 'noise.json']) {
        assert.ok(!(await has(`${path}.br`)) && !(await has(`${path}.gz`)), path);
      }
      // A copy whose original is gone is removed by the next run.
      await rm(join(dir, 'sw.js'));
      await promisify(execFile)(process.execPath, [COMPRESS, dir]);
      assert.ok(!(await has('sw.js.br')) && !(await has('sw.js.gz')));
      assert.ok(await has('lib/parley.js.br'));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('compressed answers of the server', () => {
  let server: ParleyServer;
  let dir: string;
  before(async () => {
    dir = await builtApp(true);
    server = await startServer({ staticDir: dir });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true });
  });
  const fetchRaw = (path: string, headers?: Record<string, string>, method?: string) =>
    get(server.url, path, headers, method);

  it('picks the coding by Accept-Encoding, q-values honoured, and the bytes are the file', async () => {
    const path = 'assets/index-AbCd_f12.js';
    for (const [accept, coding] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['br;q=0.5, gzip;q=0.8', 'gzip'],
      ['gzip;q=0.2, *', 'br'],
      ['br;q=0, *;q=0.5', 'gzip'],
      ['br, identity;q=0.5', 'br'],
      ['gzip;q=0.4, identity', undefined],
      ['identity', undefined],
      ['deflate', undefined],
      ['br;q=0, gzip;q=0', undefined],
      ['*;q=0', undefined],
      ['', undefined],
    ] as const) {
      const res = await fetchRaw(`/${path}`, { 'accept-encoding': accept });
      assert.equal(res.status, 200, accept);
      assert.equal(res.headers['content-encoding'], coding, accept);
      assert.equal(Number(res.headers['content-length']), res.body.length, accept);
      assert.ok(decoded(res).equals(original(path)), `${accept}: the bytes are the file's`);
      assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', accept);
      assert.equal(res.headers.vary, 'Accept-Encoding', accept);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', accept);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'/, accept);
    }
    const br = await fetchRaw(`/${path}`, { 'accept-encoding': 'br' });
    assert.ok(br.body.length < original(path).length / 3, 'brotli makes it much smaller');
  });

  it('a client sending no Accept-Encoding gets the file as it is', async () => {
    for (const path of ['index.html', 'lib/parley.js', 'assets/index-AbCd_f12.js']) {
      const res = await fetchRaw(`/${path}`);
      assert.equal(res.headers['content-encoding'], undefined, path);
      assert.ok(res.body.equals(original(path)), path);
      assert.equal(res.headers.vary, 'Accept-Encoding', path);
    }
  });

  it('the page and the library are compressed too, with their own headers', async () => {
    const page = await fetchRaw('/', { 'accept-encoding': 'br' });
    assert.equal(page.headers['content-encoding'], 'br');
    assert.ok(decoded(page).equals(original('index.html')));
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    const lib = await fetchRaw('/lib/parley.js', { 'accept-encoding': 'gzip' });
    assert.equal(lib.headers['content-encoding'], 'gzip');
    assert.ok(decoded(lib).equals(original('lib/parley.js')));
    assert.equal(lib.headers['access-control-allow-origin'], '*');
  });

  it('says Vary on every compressible answer, and not on images', async () => {
    for (const path of ['/tiny.js', '/noise.json', '/', '/some/deep/link']) {
      const res = await fetchRaw(path, { 'accept-encoding': 'br' });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.vary, 'Accept-Encoding', path);
    }
    const tiny = await fetchRaw('/tiny.js', { 'accept-encoding': 'br' });
    assert.equal(tiny.headers['content-encoding'], undefined, 'too small to compress');
    const png = await fetchRaw('/icon.png', { 'accept-encoding': 'br, gzip' });
    assert.equal(png.headers['content-encoding'], undefined, 'images are never compressed');
    assert.equal(png.headers.vary, undefined);
    assert.ok(png.body.equals(original('icon.png')));
  });

  it('caches hashed names for a year and makes the page and entry files revalidate', async () => {
    const year = 'public, max-age=31536000, immutable';
    for (const [path, cache] of [
      ['/assets/index-AbCd_f12.js', year],
      ['/lib/api-Bq9xK-2z.js', year],
      ['/', 'no-cache'],
      ['/index.html', 'no-cache'],
      ['/lib/parley.js', 'no-cache'],
      ['/sw.js', 'no-cache'],
    ] as const) {
      for (const accept of ['br', 'gzip', 'identity']) {
        const res = await fetchRaw(path, { 'accept-encoding': accept });
        assert.equal(res.headers['cache-control'], cache, `${path} (${accept})`);
        assert.match(res.headers.etag ?? '', /^"[\w-]+"$/, `${path} (${accept}): a strong ETag`);
      }
    }
  });

  it('answers 304 to the ETag of the same coding, and the bytes to another', async () => {
    for (const path of ['/', '/lib/parley.js', '/assets/index-AbCd_f12.js']) {
      const tags = new Set<string>();
      for (const accept of ['br', 'gzip', 'identity']) {
        const first = await fetchRaw(path, { 'accept-encoding': accept });
        const etag = first.headers.etag!;
        tags.add(etag);
        for (const match of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
          const again = await fetchRaw(path, { 'accept-encoding': accept, 'if-none-match': match });
          assert.equal(again.status, 304, `${path} ${accept} ${match}`);
          assert.equal(again.body.length, 0);
          assert.equal(again.headers.etag, etag);
          assert.equal(again.headers.vary, 'Accept-Encoding');
          assert.equal(again.headers['cache-control'], first.headers['cache-control']);
        }
        const changed = await fetchRaw(path, {
          'accept-encoding': accept,
          'if-none-match': '"something-else"',
        });
        assert.equal(changed.status, 200, `${path} ${accept}: another version`);
      }
      assert.equal(tags.size, 3, `${path}: one ETag per coding`);
      const [brTag] = tags;
      const plain = await fetchRaw(path, { 'if-none-match': brTag! });
      assert.equal(plain.status, 200, `${path}: a brotli ETag does not vouch for the plain file`);
      assert.equal(plain.headers['content-encoding'], undefined);
    }
    const page = await fetchRaw('/', { 'accept-encoding': 'br' });
    const since = await fetchRaw('/', {
      'accept-encoding': 'br',
      'if-modified-since': page.headers['last-modified']!,
    });
    assert.equal(since.status, 304, 'If-Modified-Since');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    for (const accept of ['br', 'gzip', '']) {
      const full = await fetchRaw('/lib/api-Bq9xK-2z.js', { 'accept-encoding': accept });
      const head = await fetchRaw('/lib/api-Bq9xK-2z.js', { 'accept-encoding': accept }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      for (const name of ['content-length', 'content-encoding', 'etag', 'vary', 'cache-control']) {
        assert.equal(head.headers[name], full.headers[name], `${accept}: ${name}`);
      }
    }
  });

  it('serves ranges of the coding chosen, and refuses those past the end', async () => {
    const path = '/assets/index-AbCd_f12.js';
    const whole = await fetchRaw(path, { 'accept-encoding': 'br' });
    for (const [range, start, end] of [
      ['bytes=0-9', 0, 9],
      ['bytes=100-', 100, whole.body.length - 1],
      ['bytes=-20', whole.body.length - 20, whole.body.length - 1],
      ['bytes=5-999999999', 5, whole.body.length - 1],
    ] as const) {
      const res = await fetchRaw(path, { 'accept-encoding': 'br', range });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers['content-encoding'], 'br', range);
      assert.equal(res.headers['content-range'], `bytes ${start}-${end}/${whole.body.length}`);
      assert.ok(res.body.equals(whole.body.subarray(start, end + 1)), range);
    }
    const plain = await fetchRaw(path, { range: 'bytes=0-5' });
    assert.equal(plain.status, 206);
    assert.ok(plain.body.equals(original(path.slice(1)).subarray(0, 6)));
    const past = await fetchRaw(path, { 'accept-encoding': 'br', range: 'bytes=99999999-' });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${whole.body.length}`);
    // If-Range naming another version, or several ranges: the whole body, 200.
    const whole200: Record<string, string>[] = [
      { range: 'bytes=0-9', 'if-range': '"old"' },
      { range: 'bytes=0-1, 5-6' },
    ];
    for (const headers of whole200) {
      const res = await fetchRaw(path, { 'accept-encoding': 'br', ...headers });
      assert.equal(res.status, 200);
      assert.ok(res.body.equals(whole.body));
    }
    const sameVersion = await fetchRaw(path, {
      'accept-encoding': 'br',
      range: 'bytes=0-9',
      'if-range': whole.headers.etag!,
    });
    assert.equal(sameVersion.status, 206);
  });

  it('still serves nothing outside its folder, and never a copy or a hidden map by name', async () => {
    for (const path of [
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../package.json',
      '/../../../../etc/passwd',
    ]) {
      const res = await fetchRaw(path, { 'accept-encoding': 'br, gzip' });
      const body = decoded(res).toString();
      assert.ok(!body.includes('root:') && !body.includes('"dependencies"'), path);
    }
    for (const path of [
      '/lib/parley.js.br',
      '/index.html.gz',
      '/assets/index-AbCd_f12.js.map',
      '/assets/index-AbCd_f12.js.map.br',
      '/assets/index-AbCd_f12.js.map.gz',
    ]) {
      const res = await fetchRaw(path, { 'accept-encoding': 'br, gzip' });
      assert.equal(res.status, 404, path);
    }
  });
});

describe('a folder built without precompressing', () => {
  let server: ParleyServer;
  let dir: string;
  before(async () => {
    dir = await builtApp(false);
    server = await startServer({ staticDir: dir });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true });
  });

  it('is compressed on the fly, the same bytes to every request, ranges included', async () => {
    const path = 'lib/api-Bq9xK-2z.js';
    for (const coding of ['br', 'gzip'] as const) {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => get(server.url, `/${path}`, { 'accept-encoding': coding })),
      );
      for (const res of answers) {
        assert.equal(res.headers['content-encoding'], coding);
        assert.equal(res.headers.vary, 'Accept-Encoding');
        assert.equal(Number(res.headers['content-length']), res.body.length);
        assert.ok(decoded(res).equals(original(path)));
        assert.ok(res.body.equals(answers[0]!.body));
        assert.equal(res.headers.etag, answers[0]!.headers.etag);
      }
      const part = await get(server.url, `/${path}`, {
        'accept-encoding': coding,
        range: 'bytes=2-7',
      });
      assert.equal(part.status, 206);
      assert.ok(part.body.equals(answers[0]!.body.subarray(2, 8)));
    }
    const noise = await get(server.url, '/noise.json', { 'accept-encoding': 'br' });
    assert.equal(noise.headers['content-encoding'], undefined, 'not sent compressed: no gain');
  });

  it('never sends the old copy of a file rebuilt after compressing', async () => {
    const other = await builtApp(true);
    const again = await startServer({ staticDir: other });
    try {
      const path = join(other, 'lib', 'parley.js');
      const fresh = text('rebuilt', 4);
      // A later timestamp, as a rebuild gives (file systems keep whole ticks).
      await new Promise((r) => setTimeout(r, 20));
      await writeFile(path, fresh);
      for (const accept of ['br', 'gzip']) {
        const res = await get(again.url, '/lib/parley.js', { 'accept-encoding': accept });
        assert.equal(decoded(res).toString(), fresh, accept);
      }
    } finally {
      await again.close();
      await rm(other, { recursive: true });
    }
  });
});
