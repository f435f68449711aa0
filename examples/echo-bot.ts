/**
 * Echo bot: joins a room and answers every message it reads with the same words, so you can
 * see a bot at work. Its identity is kept in a key file (made on first run, readable by you
 * only). Run against `npm start`:
 *
 *   npx tsx examples/echo-bot.ts lobby --passphrase "correct horse battery"
 *
 * Options: `--server <url>` (default http://localhost:8080; repeat for fail-over),
 * `--passphrase <text>` or `--invite-key <key>` for a sealed room, `--key <file>` (default
 * echo-bot.key), `--name <name>` (default "echo bot").
 */
import { parseArgs } from 'node:util';
import { connect } from 'parley/node';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', multiple: true },
    passphrase: { type: 'string' },
    'invite-key': { type: 'string' },
    key: { type: 'string', default: 'echo-bot.key' },
    name: { type: 'string', default: 'echo bot' },
  },
});
const roomName = positionals[0];
if (!roomName) {
  console.error('usage: echo-bot.ts <room> [--passphrase …] [--server http://localhost:8080]');
  process.exit(2);
}

const client = await connect(values.server ?? ['http://localhost:8080'], {
  name: values.name,
  keyFile: values.key,
});
const room = await client.join(roomName, {
  passphrase: values.passphrase,
  inviteKey: values['invite-key'],
});
console.log(`echo bot ${client.id} is in "${room.name}"${room.encrypted ? ' (sealed)' : ''}`);

room.on('message', (m) => {
  // Our own words, and what came in a catch-up (said before we arrived), get no answer.
  if (m.mine || !m.live || m.text === undefined) return;
  console.log(`${m.author.name}: ${m.text}`);
  room.send(`${m.author.name} said: ${m.text}`.slice(0, 8000)).catch((err) => console.error(err));
});
room.on('state', (s) => console.log(`link: ${s}`));
room.on('error', (err) => console.error(`problem: ${err.message}`));

const stop = () => {
  client.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
