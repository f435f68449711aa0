/**
 * The archive bot example (examples/archive-bot.ts, run as its own process, `parley/node` from
 * the source): its file holds each message of the room exactly once — across a server
 * restart (messages sent while the server was down arrive once it is back, catch-up repeats
 * are dropped) and across a restart of the bot itself (it reads its file and asks only for
 * what is newer).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../support/server.js';
import type { ParleyServer } from '../../signaling/server.js';
import { EnvelopeSchema } from '../../src/protocol/chat-events.js';
import { verifyEnvelope } from '../../src/protocol/signed-envelope.js';
import * as v from 'valibot';
import type { ParleyClient, TransportState } from '../../src/node/index.js';
import { bot, tempDir, waitFor } from './helpers.js';

/** The archive bot as a child process; `archived` fires with each id it reports. */
function startArchiveBot(url: string, dir: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'examples/archive-bot.ts',
      'archive-room',
      '--server',
      url,
      '--file',
      join(dir, 'archive.jsonl'),
      '--key',
      join(dir, 'archive.key'),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      // `parley/node` from the source (tsx maps it, see tsconfig.source.json), so this suite
      // needs no build; the e2e suite runs the examples against the built package.
      env: { ...process.env, TSX_TSCONFIG_PATH: 'test/node/tsconfig.source.json' },
    },
  );
  const events = new EventEmitter();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^archived (\S+)$/.exec(line);
    if (process.env.PARLEY_TEST_LOGS === '1') console.error(`archive bot: ${line}`);
    if (m) events.emit('archived', m[1]);
    else if (line.startsWith('archiving')) events.emit('ready');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A bot that dies is reported at once, not after a wait.
  child.once('exit', (code) => events.emit('ready', new Error(`the archive bot exited (${code})`)));
  return {
    child,
    /** Resolves once the bot joined the room. */
    ready: () =>
      waitFor(
        (fn: (x: unknown) => void) => {
          events.on('ready', fn);
          return () => void events.off('ready', fn);
        },
        undefined,
        30_000,
        'the archive bot in its room',
      ).then((x) => {
        if (x instanceof Error) throw x;
      }),
    /** Ids this process reported. */
    seen: new Set<string>(),
    events,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('archive bot', () => {
  let server: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  let writer: ParleyClient;
  let archiver: ReturnType<typeof startArchiveBot> | undefined;

  before(async () => {
    ({ dir, remove } = await tempDir());
    server = await startTestServer({ host: '127.0.0.1' });
  });
  after(async () => {
    writer?.close();
    await archiver?.stop();
    await server.close();
    await remove();
  });

  /** Waits until the running archiver reported every id in `ids`. */
  async function archived(ids: readonly string[]): Promise<void> {
    const a = archiver!;
    const missing = () => ids.filter((id) => !a.seen.has(id));
    if (missing().length === 0) return;
    await waitFor(
      (fn: (id: string) => void) => (
        a.events.on('archived', fn),
        () => a.events.off('archived', fn)
      ),
      () => missing().length === 0,
      30_000,
      `archive of ${missing().join(', ')}`,
    );
  }

  function track(a: ReturnType<typeof startArchiveBot>) {
    a.events.on('archived', (id: string) => a.seen.add(id));
    return a;
  }

  it('holds each message exactly once across a server restart and a bot restart', async () => {
    const port = server.port;
    archiver = track(startArchiveBot(server.url, dir));
    await archiver.ready();
    writer = await bot(server.url, 'writer');
    const room = await writer.join('archive-room');
    const sent: string[] = [];
    for (const text of ['one', 'two', 'three']) sent.push(await room.send(text));
    await archived(sent);

    // The server goes away; the writer keeps writing; the server comes back on the same port.
    const offline = waitFor(
      (fn: (s: TransportState) => void) => room.on('state', fn),
      (s) => s === 'offline',
    );
    await server.close();
    await offline;
    for (const text of ['four', 'five']) sent.push(await room.send(text));
    server = await startTestServer({ host: '127.0.0.1', port });
    await archived(sent);

    // The bot restarts: it reads its file and asks only for what is newer.
    await archiver.stop();
    sent.push(await room.send('six, while the archiver was away'));
    archiver = track(startArchiveBot(server.url, dir));
    await archiver.ready();
    await archived(sent.slice(-1));
    sent.push(await room.send('seven'));
    await archived(sent.slice(-1));
    // Nothing it had before was reported again by the new process.
    assert.deepEqual([...archiver.seen].sort(), sent.slice(-2).sort());

    const lines = (await readFile(join(dir, 'archive.jsonl'), 'utf8')).trim().split('\n');
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual([...ids].sort(), [...sent].sort(), 'each message exactly once');
    for (const line of lines) {
      const { envelope, text } = JSON.parse(line) as { envelope: unknown; text: string };
      const env = v.parse(EnvelopeSchema, envelope);
      assert.ok(await verifyEnvelope(env), 'every line holds a verified envelope');
      assert.equal((env.body as { text: string }).text, text);
    }
  });
});
