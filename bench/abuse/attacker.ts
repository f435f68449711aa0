/**
 * The attackers of the abuse benchmark, in a process of their own (forked by `bench/abuse.ts`):
 * were they in the benchmark's process, their work — 500 handshakes, 15 floods — would delay
 * the honest clients' timers and callbacks there, and the benchmark would time itself rather
 * than the server. Told a scenario and the server's port, it sets its clients up, says `ready`,
 * and on `go` runs the abuse until the given time, then reports what it did (the benchmark
 * stops it by its PID; it also exits when the benchmark goes).
 */
import WebSocket from 'ws';
import { envelope } from '../../test/signaling/helpers.js';
import { round } from '../stats.js';
import { Raw } from './raw-client.js';
import {
  CONN_ATTEMPTS,
  CONN_BATCH,
  CONN_EVERY_MS,
  FLOOD_EVERY_MS,
  FLOOD_TEXT,
  PAUSED,
  SENDERS,
  STORM_EVERY_MS,
  type AttackCommand,
  type AttackReply,
  type Scenario,
} from './scenarios.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The abuse of one scenario: its clients are set up first, then `begin()` starts the measured
 * phase and tells when it ends; returns what the abuse did.
 */
async function abuse(
  kind: Scenario,
  port: number,
  clients: Raw[],
  begin: () => Promise<number>,
): Promise<Record<string, number>> {
  if (kind === 'paused') {
    const readers: Raw[] = [];
    for (let i = 0; i < PAUSED; i++) {
      const r = new Raw();
      clients.push(r);
      await r.connect(port);
      await r.join('flood', `Paused ${i}`);
      readers.push(r);
    }
    const senders: Raw[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const s = new Raw();
      clients.push(s);
      await s.connect(port);
      await s.join('flood', `Sender ${i}`);
      senders.push(s);
    }
    const pongs = setInterval(() => {
      for (const r of readers) if (r.ws.readyState === WebSocket.OPEN) r.ws.send('3');
    }, 500);
    for (const r of readers) (r.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const until = await begin();
    let sent = 0;
    const text = 'x'.repeat(FLOOD_TEXT);
    while (Date.now() < until) {
      for (const s of senders) {
        s.send(['relay:emit', 'flood', 'chat:message', [envelope('flood', text)]]);
        sent++;
      }
      await sleep(FLOOD_EVERY_MS);
    }
    clearInterval(pongs);
    return {
      sent,
      sentMiB: round((sent * FLOOD_TEXT) / 2 ** 20, 1),
      sendersDropped: senders.filter((s) => s.closed).length,
    };
  }
  if (kind === 'storm') {
    const s = new Raw();
    clients.push(s);
    await s.connect(port);
    const request = await s.join('storm', 'Stormer');
    const until = await begin();
    let accepted = 0;
    let limited = 0;
    let other = 0;
    while (Date.now() < until && !s.closed) {
      const [reply] = (await s.call(['relay:join', request]).catch(() => [undefined])) as [
        { ok: boolean; error?: { code: string } } | undefined,
      ];
      if (reply?.ok) accepted++;
      else if (reply?.error?.code === 'rate-limited') limited++;
      else other++;
      await sleep(STORM_EVERY_MS);
    }
    return { joins: accepted + limited + other, accepted, limited, other, dropped: +s.closed };
  }
  const until = await begin();
  let opened = 0;
  let refused = 0;
  for (let i = 0; i < CONN_ATTEMPTS && Date.now() < until; i += CONN_BATCH) {
    const batch = Array.from({ length: Math.min(CONN_BATCH, CONN_ATTEMPTS - i) }, () => {
      const c = new Raw();
      clients.push(c);
      return c.connect(port).then((ok) => (ok ? opened++ : refused++));
    });
    await Promise.all(batch);
    await sleep(CONN_EVERY_MS);
  }
  await sleep(Math.max(0, until - Date.now()));
  return { attempts: opened + refused, opened, refused };
}

const tell = (reply: AttackReply) => process.send?.(reply);

/** The go-ahead from the benchmark: when the measured phase ends. */
let go: (until: number) => void = () => {};
const started = new Promise<number>((resolve) => (go = resolve));

process.on('message', (cmd: AttackCommand) => {
  if (cmd.type === 'go') return go(cmd.until);
  const clients: Raw[] = [];
  const begin = () => (tell({ type: 'ready' }), started);
  abuse(cmd.kind, cmd.port, clients, begin)
    .then(
      (did) => tell({ type: 'done', did }),
      (err: unknown) => tell({ type: 'failed', error: String(err) }),
    )
    .finally(() => clients.forEach((c) => c.close()));
});
// The benchmark gone (or done with us): nothing is left to do here.
process.on('disconnect', () => process.exit(0));
