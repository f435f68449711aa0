/**
 * A bot and a person: the echo bot example (examples/echo-bot.ts, its own process, the built
 * `parley/node`) answers a browser user in a passphrase room — the bot's words arrive sealed,
 * checked by the browser like anyone's, and only ciphertext crosses the relay.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { provenJoin, testSigner } from '../support/identity.js';
import { stopChild } from '../support/processes.js';
import {
  openUser,
  say,
  signUp,
  useAppAndBrowser,
  type User,
  enterPassphrase,
  shows,
} from './harness.js';

const PASSPHRASE = 'correct horse battery staple';

describe('the echo bot', { timeout: 180_000 }, () => {
  const app = useAppAndBrowser();
  const users: User[] = [];
  const frames: string[] = [];
  let recorder: Socket | undefined;
  let echo: ChildProcess | undefined;
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-echo-'));
    // A third connection in the room: what the relay carries, as anyone there would see it.
    recorder = io(app.server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const socket = recorder;
    socket.onAny((event: string, ...args: unknown[]) =>
      frames.push(JSON.stringify([event, ...args])),
    );
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    await socket.emitWithAck(
      'relay:join',
      await provenJoin(socket, 'bots', 'Recorder', await testSigner()),
    );
  });
  after(async () => {
    recorder?.disconnect();
    if (echo) await stopChild(echo, 'SIGTERM', 5000);
    await Promise.all(users.map((u) => u.context.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a browser user in a passphrase room', async () => {
    const key = join(dir, 'echo.key');
    echo = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'examples/echo-bot.ts',
        'bots',
        '--passphrase',
        PASSPHRASE,
        '--server',
        app.server.url,
        '--key',
        key,
        '--name',
        'Echo',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: echo.stdout! });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (l) => l.startsWith('echo bot') && resolve());
      echo!.once('exit', (code) => reject(new Error(`the echo bot exited (${code})`)));
    });
    assert.equal((await stat(key)).mode & 0o777, 0o600, 'its key file is its owner’s only');

    const alice = await openUser(app.browser, `${app.server.url}/#room=bots`);
    users.push(alice);
    await signUp(alice.page, 'Alice');
    await enterPassphrase(alice.page, PASSPHRASE);
    await say(alice.page, 'is anybody there');
    await shows(alice.page, 'Alice said: is anybody there');
    // The bot shows in the roster by its name, like any member.
    await alice.page.getByText('Echo').first().waitFor();

    const messages = frames.filter((f) => f.includes('"chat:message"'));
    assert.ok(messages.length >= 2, `the recorder heard both messages (${messages.length})`);
    for (const f of frames) assert.ok(!f.includes('anybody'), `plaintext crossed the relay: ${f}`);
    assert.ok(
      messages.every((f) => f.includes('"enc":"aes-256-gcm/1"')),
      'sealed bodies',
    );
    assert.deepEqual(alice.problems, []);
  });
});
