/**
 * Files end to end (issue 23), with real Chromium and the built app: a file attached with the
 * "Attach file" button arrives with the same SHA-256 over the relay and over WebRTC (saved
 * through the Download control); a PNG shows as a preview on the other side; a transfer cut by
 * a dead server or a transport switch goes on from where it stopped; a newcomer fetches a file
 * from a member other than its sender after the sender left; a hostile member serving
 * corrupted chunks cannot corrupt it; an SVG with a script and an HTML file are only offered as
 * downloads; a file over the limit is refused before any chunk leaves.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import type { Page, WebSocket as PwSocket } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { DocClient } from '../interop/doc-client.js';
import { provenJoin } from '../support/identity.js';
import {
  chooseTransport,
  connectedOn,
  rosterShows,
  say,
  startAppServer,
  suiteUsers,
  useAppAndBrowser,
  type User,
} from './harness.js';

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const MB = 1024 * 1024;

/** Attaches `files` through the composer's "Attach file" button and its file picker. */
async function attach(
  page: Page,
  files: Array<{ name: string; mimeType: string; buffer: Buffer }>,
) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach file' }).click();
  await (await chooser).setFiles(files);
}

/** The conversation's row showing file `name`. */
const fileRow = (page: Page, name: string) => page.locator('li.msg', { hasText: name });

/** Presses the row's Download and returns the saved file's bytes and suggested name. */
async function download(page: Page, name: string, timeout = 60_000) {
  const row = fileRow(page, name);
  await row.waitFor({ timeout: 20_000 });
  const saved = page.waitForEvent('download', { timeout });
  await row.getByRole('button', { name: 'Download', exact: true }).click();
  const file = await saved;
  return { bytes: await readFile((await file.path())!), name: file.suggestedFilename() };
}

/**
 * Counts the binary WebSocket frames (chunks over the relay) a page receives from now on: the
 * page is reloaded, so its connection is made while we listen (still signed in after it).
 */
async function countBinaryFrames(page: Page): Promise<{ n: number; sent: number }> {
  const count = { n: 0, sent: 0 };
  const big = (payload: string | Buffer) => typeof payload !== 'string' && payload.length > 1024;
  page.on('websocket', (ws: PwSocket) => {
    ws.on('framereceived', (f) => big(f.payload) && count.n++);
    ws.on('framesent', (f) => big(f.payload) && count.sent++);
  });
  await page.reload();
  await connectedOn(page);
  return count;
}

/** The percentage a row's progress shows now (undefined when none shows). */
async function percent(page: Page, name: string): Promise<number | undefined> {
  const bar = fileRow(page, name).locator('progress');
  if ((await bar.count()) === 0) return undefined;
  const [value, max] = await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max]);
  return (100 * value!) / max!;
}

/** A tiny valid PNG of `w`×`h` red pixels. */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.alloc(w * 3, 0).fill(Buffer.from([220, 30, 40])),
  ]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('files between people', { timeout: 300_000 }, () => {
  const app = useAppAndBrowser();
  const open = suiteUsers(app);
  const sockets: Socket[] = [];
  after(() => sockets.forEach((s) => s.close()));

  for (const [how, transport] of [
    ['the relay', undefined],
    ['WebRTC', 'WebRTC (peer-to-peer)'],
  ] as const) {
    it(`a 5 MB file sent over ${how} arrives with the same SHA-256, saved through Download`, async () => {
      const room = `#room=files-${transport ? 'rtc' : 'relay'}`;
      const [ada, bob] = [await open(room, 'Ada'), await open(room, 'Bob')];
      if (transport) {
        await chooseTransport(ada.page, transport);
        await chooseTransport(bob.page, transport);
        await rosterShows(ada.page, 'Bob', 'direct');
      }
      const data = randomBytes(5 * MB);
      await attach(ada.page, [
        { name: 'random.bin', mimeType: 'application/octet-stream', buffer: data },
      ]);
      const got = await download(bob.page, 'random.bin');
      assert.equal(got.bytes.length, data.length);
      assert.equal(sha(got.bytes), sha(data));
      assert.equal(got.name, 'random.bin');
      assert.deepEqual([...ada.problems, ...bob.problems], []);
    });
  }

  it('a PNG shows as an image preview on the other side, and opens larger', async () => {
    const [cat, dan] = [await open('#room=files-png', 'Cat'), await open('#room=files-png', 'Dan')];
    await attach(cat.page, [
      { name: 'red.png', mimeType: 'image/png', buffer: png(640, 400) },
      { name: 'minutes.pdf', mimeType: 'application/pdf', buffer: randomBytes(180_000) },
    ]);
    const thumb = dan.page.getByRole('img', { name: 'red.png' }).first();
    await thumb.waitFor({ timeout: 20_000 });
    // The thumbnail travelled with the message: decoded, with pixels.
    await dan.page.waitForFunction(
      (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
      await thumb.elementHandle(),
    );
    await fileRow(dan.page, 'minutes.pdf').waitFor();
    await dan.page.screenshot({ path: 'docs/screenshot-files.png' });
    await thumb.click();
    const viewer = dan.page.getByRole('dialog', { name: 'red.png' });
    await viewer.waitFor({ timeout: 20_000 });
    const full = viewer.getByRole('img', { name: 'red.png' });
    await dan.page.waitForFunction(
      (el) => (el as HTMLImageElement).naturalWidth === 640,
      await full.elementHandle(),
      { timeout: 20_000 },
    );
    await dan.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });

  it('an SVG with a script and an HTML file are offered only as downloads and run nothing', async () => {
    const [eve, fay] = [
      await open('#room=files-evil', 'Eve'),
      await open('#room=files-evil', 'Fay'),
    ];
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    );
    const html = Buffer.from(
      '<html><body><script>alert(3)</script><img src=x onerror=alert(4)></body></html>',
    );
    await attach(eve.page, [
      { name: 'evil.svg', mimeType: 'image/svg+xml', buffer: svg },
      { name: 'evil.html', mimeType: 'text/html', buffer: html },
    ]);
    for (const name of ['evil.svg', 'evil.html']) {
      const row = fileRow(fay.page, name);
      await row.waitFor({ timeout: 20_000 });
      assert.equal(await row.locator('img, iframe, object, embed').count(), 0, name);
      const got = await download(fay.page, name);
      assert.equal(sha(got.bytes), sha(name.endsWith('svg') ? svg : html));
    }
    // Nothing ran: no dialog, no script error, on either side.
    assert.deepEqual([...eve.problems, ...fay.problems], []);
  });

  it('a member of the version before files keeps every other message, live and through catch-up', async () => {
    const room = 'files-old';
    const rae = await open(`#room=${room}`, 'Rae');
    // A 1.0 client written from docs/PROTOCOL.md: older than files (1.2).
    const old = await DocClient.start({ url: app.server.url, room, name: 'Old Bot' });
    try {
      await rosterShows(rae.page, 'Old Bot', 'relay');
      await say(rae.page, 'before the file');
      await attach(rae.page, [
        { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
      ]);
      await fileRow(rae.page, 'a.txt').waitFor();
      await say(rae.page, 'after the file');
      await old.message('before the file');
      await old.message('after the file');
      // The file message itself is kept (a kind it does not know), not refused.
      await old.until(() => old.received.length === 3 || undefined, 'three messages kept');
      assert.deepEqual(
        old.received.map((r) => r.text),
        ['before the file', undefined, 'after the file'],
      );
      // A second old member who comes later gets all three through catch-up.
      const late = await DocClient.start({ url: app.server.url, room, name: 'Late Bot' });
      try {
        const raeHello = await late.member('Rae');
        late.askHistory(raeHello.id);
        await late.until(() => late.received.length === 3 || undefined, 'catch-up of three');
        assert.deepEqual(
          late.received.map((r) => r.text).sort(),
          ['after the file', 'before the file', undefined].sort(),
        );
      } finally {
        late.close();
      }
    } finally {
      old.close();
    }
  });

  it('a member serving corrupted chunks cannot corrupt the file', async () => {
    const room = 'files-hostile';
    const [lea, max] = [await open(`#room=${room}`, 'Lea'), await open(`#room=${room}`, 'Max')];
    // A raw client in the room, with a valid identity of its own, that claims to hold every
    // file and answers every request with garbage of the right length.
    const liar = io(app.server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(liar);
    await new Promise<void>((r) => liar.once('connect', () => r()));
    const reply = await liar.emitWithAck('relay:join', await provenJoin(liar, room, 'Liar'));
    assert.equal(reply.ok, true);
    let served = 0;
    liar.on('relay:event', (from: string, ev: string, args: unknown[]) => {
      const [p] = args as [{ room: string; files?: string[]; file?: string; parts?: number[] }];
      if (ev === 'file:who')
        for (const file of p.files ?? [])
          liar.emit('relay:to', from, 'file:have', [{ room, file, all: true, list: true }]);
      if (ev === 'file:want')
        for (const part of p.parts ?? []) {
          served++;
          liar.emit('relay:bytes', from, { room, file: p.file, part }, randomBytes(64 * 1024));
        }
    });
    await rosterShows(max.page, 'Liar', 'relay');
    const data = randomBytes(5 * MB); // 80 chunks: more than one holder's window
    await attach(lea.page, [
      { name: 'contract.bin', mimeType: 'application/octet-stream', buffer: data },
    ]);
    const got = await download(max.page, 'contract.bin', 120_000);
    assert.equal(sha(got.bytes), sha(data));
    assert.ok(served > 0, 'the liar was asked, and served garbage');
  });

  it('a newcomer fetches the file from a member other than its sender, after the sender left', async () => {
    const room = '#room=files-newcomer';
    const [gus, hal] = [await open(room, 'Gus'), await open(room, 'Hal')];
    const data = randomBytes(MB + 12345);
    await attach(gus.page, [{ name: 'notes.pdf', mimeType: 'application/pdf', buffer: data }]);
    assert.equal(sha((await download(hal.page, 'notes.pdf')).bytes), sha(data));
    await gus.context.close();
    await rosterShows(hal.page, 'Gus', 'relay').catch(() => undefined);
    const ivy = await open(room, 'Ivy');
    const got = await download(ivy.page, 'notes.pdf');
    assert.equal(sha(got.bytes), sha(data));
  });
});

describe('files: limits, hostile members, interruptions', { timeout: 300_000 }, () => {
  // A slow byte budget, so a transfer can be cut halfway; a 1 MiB cap on files.
  const app = useAppAndBrowser({ bytesRate: 512 * 1024, bytesBurst: 128 * 1024, maxFile: MB });
  const open = suiteUsers(app);

  it('a file over the limit is refused with a clear message before any chunk leaves', async () => {
    const [jan, kim] = [await open('#room=files-big', 'Jan'), await open('#room=files-big', 'Kim')];
    const frames = await countBinaryFrames(kim.page);
    const sent = await countBinaryFrames(jan.page);
    await attach(jan.page, [
      { name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(2 * MB) },
    ]);
    await jan.page
      .getByText(/big\.bin is 2(\.0)? MB — files here can be at most 1(\.0)? MB/)
      .waitFor();
    await kim.page.waitForTimeout(1000);
    assert.equal(await fileRow(kim.page, 'big.bin').count(), 0);
    assert.equal(await fileRow(jan.page, 'big.bin').count(), 0);
    assert.equal(frames.n, 0);
    assert.equal(sent.sent, 0);
  });

  it('a transfer cut by a dead server goes on from where it stopped once the server is back', async () => {
    const room = '#room=files-outage';
    const [ned, oda] = [await open(room, 'Ned'), await open(room, 'Oda')];
    const frames = await countBinaryFrames(oda.page);
    const data = randomBytes(MB); // 16 chunks at 64 KiB; 2 s at the suite's byte budget
    await attach(ned.page, [
      { name: 'outage.bin', mimeType: 'application/octet-stream', buffer: data },
    ]);
    const row = fileRow(oda.page, 'outage.bin');
    await row.waitFor({ timeout: 20_000 });
    const saved = oda.page.waitForEvent('download', { timeout: 120_000 });
    await row.getByRole('button', { name: 'Download', exact: true }).click();
    await oda.page.waitForFunction(() => true); // let the first chunks come
    await row.locator('progress').waitFor();
    for (let i = 0; i < 100 && ((await percent(oda.page, 'outage.bin')) ?? 0) < 30; i++)
      await oda.page.waitForTimeout(50);
    const before = frames.n;
    const { port } = new URL(app.server.url);
    await app.server.close();
    await oda.page.waitForTimeout(1500);
    app.server = await startAppServer(Number(port), {
      bytesRate: 512 * 1024,
      bytesBurst: 128 * 1024,
      maxFile: MB,
    });
    const file = await saved;
    const bytes = await readFile((await file.path())!);
    assert.equal(sha(bytes), sha(data));
    assert.ok(before >= 4, `some chunks came before the outage (${before})`);
    // Started over, it would have moved all 16 chunks again after the outage.
    assert.ok(
      frames.n - before <= 16 - before + 4,
      `${frames.n - before} chunks after the outage, ${before} before`,
    );
  });

  it('a transfer goes on where it stopped across a transport switch (progress never goes back)', async () => {
    const room = '#room=files-switch';
    const [pia, quy] = [await open(room, 'Pia'), await open(room, 'Quy')];
    const data = randomBytes(MB);
    await attach(pia.page, [
      { name: 'switch.bin', mimeType: 'application/octet-stream', buffer: data },
    ]);
    const row = fileRow(quy.page, 'switch.bin');
    await row.waitFor({ timeout: 20_000 });
    const saved = quy.page.waitForEvent('download', { timeout: 120_000 });
    await row.getByRole('button', { name: 'Download', exact: true }).click();
    await row.locator('progress').waitFor();
    for (let i = 0; i < 100 && ((await percent(quy.page, 'switch.bin')) ?? 0) < 30; i++)
      await quy.page.waitForTimeout(50);
    const atSwitch = (await percent(quy.page, 'switch.bin')) ?? 0;
    assert.ok(atSwitch >= 30 && atSwitch < 100, `switched at ${atSwitch}%`);
    let lowest = 100;
    const watching = (async () => {
      for (let i = 0; i < 400; i++) {
        const p = await percent(quy.page, 'switch.bin').catch(() => undefined);
        if (p === undefined) break;
        lowest = Math.min(lowest, p);
        await quy.page.waitForTimeout(25);
      }
    })();
    await chooseTransport(quy.page, 'WebRTC (peer-to-peer)');
    const file = await saved;
    await watching;
    assert.equal(sha(await readFile((await file.path())!)), sha(data));
    assert.ok(lowest >= atSwitch, `progress went back from ${atSwitch}% to ${lowest}%`);
  });
});

export type { User };
