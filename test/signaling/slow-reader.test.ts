/**
 * Issue 14, item 1: a client that stops reading but keeps answering pings (blind `3` pongs) is
 * dropped once what waits for it passes `PARLEY_MAX_QUEUED` (1 MiB): its room sees it leave, the
 * server logs "too slow", and the server's memory stays flat while senders flood it. The server
 * runs in its own process (from the sources) so its RSS is its own.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { freePort, stopChild } from '../support/processes.js';
import { envelope, provenJoin, until } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOM = 'slow-reader';
/** The most the senders send between them if nobody is dropped (enough to show the leak). */
const FLOOD_BYTES = 160 * 1024 * 1024;
const RSS_BOUND_MIB = 60;

function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kib) / 1024);
}

/** `tsx signaling/server.ts` on a free loopback port; its stderr kept for "too slow" lines. */
async function spawnSourceServer(env: Record<string, string>) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'signaling/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const warnings: string[] = [];
  let rest = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!.slice(-10_000);
    for (const line of lines) if (warnings.length < 100) warnings.push(line);
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 300) throw new Error('the server did not start within 15 s');
    await sleep(50);
  }
  return { port, child, warnings };
}

/** A raw engine.io/Socket.IO client over `ws` that joins ROOM with a proof. */
class RawMember {
  ws!: WebSocket;
  selfId = '';
  texts: string[] = [];
  closed = false;

  async join(port: number, name: string): Promise<this> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    this.ws = ws;
    ws.on('error', () => {});
    ws.on('close', () => (this.closed = true));
    const sid = await new Promise<string>((resolve, reject) => {
      setTimeout(() => reject(new Error('no Socket.IO connect')), 5000);
      ws.on('message', (data) => {
        const text = String(data);
        if (text.startsWith('0{')) ws.send('40');
        else if (text === '2') ws.send('3');
        else if (text.startsWith('40{'))
          resolve((JSON.parse(text.slice(2)) as { sid: string }).sid);
        else if (this.texts.length < 1000 && !text.includes('"relay:event"')) this.texts.push(text);
      });
    });
    const request = await provenJoin({ id: sid }, ROOM, name);
    ws.send(`421${JSON.stringify(['relay:join', request])}`);
    await until(() => this.texts.some((t) => t.startsWith('431')), `${name}'s join`, 5000);
    const reply = JSON.parse(this.texts.find((t) => t.startsWith('431'))!.slice(3)) as [
      { ok: boolean; selfId: string },
    ];
    assert.ok(reply[0].ok, `${name} joined`);
    this.selfId = reply[0].selfId;
    return this;
  }

  /** Whether a `relay:presence` frame said that `id` left. */
  sawLeave(id: string): boolean {
    return this.texts.some(
      (t) => t.startsWith('42["relay:presence"') && t.includes(`{"leave":"${id}"`),
    );
  }
}

describe('a client that stops reading', () => {
  const children: ChildProcess[] = [];
  const members: RawMember[] = [];
  const timers: Array<ReturnType<typeof setInterval>> = [];
  after(async () => {
    timers.forEach(clearInterval);
    members.forEach((m) => m.ws?.terminate());
    await Promise.all(children.map((c) => stopChild(c)));
  });

  it('is dropped as too slow while senders flood it; the server memory stays flat', async (t) => {
    const server = await spawnSourceServer({
      PARLEY_RATE: '10000',
      PARLEY_BURST: '10000',
      PARLEY_STATIC_DIR: '/nonexistent',
    });
    children.push(server.child);
    const pid = server.child.pid!;

    const watcher = await new RawMember().join(server.port, 'Watcher');
    const slow = await new RawMember().join(server.port, 'Slow');
    const senders = await Promise.all(
      Array.from({ length: 5 }, (_, i) => new RawMember().join(server.port, `Sender ${i}`)),
    );
    members.push(watcher, slow, ...senders);

    // The slow one reads nothing more, but keeps telling the server it is alive.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const pongs = setInterval(
      () => slow.ws.readyState === WebSocket.OPEN && slow.ws.send('3'),
      500,
    );
    timers.push(pongs);

    await sleep(500);
    const rssStart = rssMiB(pid);
    let rssPeak = rssStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 50);
    timers.push(sampler);

    // Every sender sends ~8 KiB messages to the slow member only, as fast as it can write.
    const frame = `42${JSON.stringify(['relay:to', slow.selfId, 'chat:sync-res', [{ room: ROOM, messages: [envelope(ROOM, 'x'.repeat(8000))] }]])}`;
    const dropped = () => watcher.sawLeave(slow.selfId);
    let sent = 0;
    await Promise.all(
      senders.map(async (s) => {
        while (!dropped() && sent < FLOOD_BYTES && !s.closed) {
          if (s.ws.bufferedAmount > 256 * 1024) await sleep(2);
          else {
            s.ws.send(frame);
            sent += frame.length;
            if (sent % (64 * frame.length) < frame.length) await new Promise(setImmediate);
          }
        }
      }),
    );
    await until(dropped, 'the slow member to leave the room', 5000).catch(() => {});
    await sleep(500);
    clearInterval(sampler);
    const rssEnd = rssMiB(pid);
    t.diagnostic(
      `sent ${(sent / 2 ** 20).toFixed(1)} MiB; server RSS start ${rssStart} MiB, ` +
        `peak ${rssPeak} MiB, end ${rssEnd} MiB`,
    );

    assert.ok(dropped(), 'the room saw the slow member leave');
    assert.ok(
      senders.every((s) => !s.closed),
      'the senders, who read, are still connected',
    );
    const line = server.warnings.find((l) => l.includes('"reason":"too slow"'));
    assert.ok(line, 'the server logged why');
    const queued = (JSON.parse(line) as { queued: number }).queued;
    assert.ok(queued > 1024 * 1024 && queued < 2 * 1024 * 1024, `dropped at ${queued} bytes`);
    assert.ok(
      rssPeak - rssStart < RSS_BOUND_MIB,
      `server RSS stays within +${RSS_BOUND_MIB} MiB: ${rssStart} → peak ${rssPeak} MiB`,
    );
  });
});
