/**
 * The clog row's attackers in a process of their own (forked by `bench/abuse-clog.ts`): eight
 * clogging members (test/attacks/clog-members.ts) join the room, then flood the victim on
 * command. Apart from the relay and the honest member's process, so what the flood costs there
 * is the relay's handling of it — not the attackers' own work sharing its event loop, as on
 * the internet, where they are on machines of their own.
 *
 * Commands (IPC): `{ do: 'start', victim }`, `{ do: 'stop' }` (answered with what was sent),
 * `{ do: 'close' }`. Arguments: the relay's port, the room, how many members.
 */
import { Cloggers } from '../../test/attacks/clog-members.js';

/** A command from the benchmark. */
export type ClogCommand = { do: 'start'; victim: string } | { do: 'stop' } | { do: 'close' };
/** A reply to the benchmark. */
export type ClogReply = { joined: true } | { failed: string } | { sent: number; errors: number };

const [port, room, count] = process.argv.slice(2);
const cloggers = new Cloggers();
const reply = (r: ClogReply) => process.send?.(r);

try {
  await cloggers.join(Number(port), room!, Number(count));
  reply({ joined: true });
} catch (err) {
  reply({ failed: String(err) });
  cloggers.close();
  process.exit(1);
}

process.on('message', (cmd: ClogCommand) => {
  if (cmd.do === 'start') cloggers.start(room!, cmd.victim);
  else if (cmd.do === 'stop') {
    cloggers.stop();
    reply({ sent: cloggers.sent, errors: cloggers.errors });
  } else {
    cloggers.close();
    process.exit(0);
  }
});
// The benchmark gone: nothing left to do here.
process.on('disconnect', () => {
  cloggers.close();
  process.exit(0);
});
