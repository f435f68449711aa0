/**
 * Archive bot: keeps a room's verified history in a file of JSON lines, one message per line
 * (its signed envelope, with its text where the bot can read it), each exactly once. After a
 * restart it reads its file, knows what it has, and asks the room only for what came since
 * its newest message. Run against `npm start`:
 *
 *   npx tsx examples/archive-bot.ts lobby --file lobby.jsonl
 *
 * Options: `--server <url>` (default http://localhost:8080; repeat for fail-over),
 * `--passphrase <text>` or `--invite-key <key>` for a sealed room, `--key <file>` (default
 * archive-bot.key), `--name <name>` (default "archive bot"), `--file <path>` (default
 * <room>.jsonl).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect } from 'parley/node';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', multiple: true },
    passphrase: { type: 'string' },
    'invite-key': { type: 'string' },
    key: { type: 'string', default: 'archive-bot.key' },
    name: { type: 'string', default: 'archive bot' },
    file: { type: 'string' },
  },
});
const roomName = positionals[0];
if (!roomName) {
  console.error(
    'usage: archive-bot.ts <room> [--file room.jsonl] [--server http://localhost:8080]',
  );
  process.exit(2);
}
const file = values.file ?? `${roomName}.jsonl`;

// What we kept before: each line's envelope is checked again when the room is joined.
const kept: unknown[] = [];
if (existsSync(file)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      kept.push((JSON.parse(line) as { envelope: unknown }).envelope);
    } catch {
      console.error(`skipping a line of ${file} that is not JSON`);
    }
  }
}

const client = await connect(values.server ?? ['http://localhost:8080'], {
  name: values.name,
  keyFile: values.key,
});
const room = await client.join(roomName, {
  passphrase: values.passphrase,
  inviteKey: values['invite-key'],
  history: kept,
  // Every id it has must stay known, or an old message in a catch-up would be new again.
  maxHistory: kept.length + 100_000,
});
console.log(`archiving "${room.name}" into ${file}: ${room.messages.length} kept before`);
if (room.loadRefused > 0) console.error(`${room.loadRefused} lines of ${file} failed the checks`);

// Each new verified message once (repeats never reach this listener). Written before the
// listener returns, so the receipt the client sends after it means "stored".
room.on('message', (m) => {
  const line = {
    id: m.id,
    ts: m.ts,
    author: m.author,
    kind: m.kind,
    text: m.text,
    sealed: m.sealed,
    envelope: m.envelope,
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
  console.log(`archived ${m.id}`);
});
room.on('error', (err) => console.error(`problem: ${err.message}`));

const stop = () => {
  client.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
