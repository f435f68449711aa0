/**
 * `npm run keeper -- --server URL`: runs a keeper (keeper.ts) against a Parley server that was
 * started with the same `PARLEY_KEEPER_TOKEN`. `npm start` runs one beside its server by
 * itself. `PARLEY_KEEPER=off` starts nothing. Logs one JSON line per event; stops on
 * SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { jsonLogger } from '../signaling/log.js';
import { keeperConfig, type KeeperConfig } from './config.js';
import { Keeper } from './keeper.js';

async function main(): Promise<void> {
  if (process.env.PARLEY_KEEPER === 'off') {
    console.log('keeper: off (PARLEY_KEEPER=off)');
    return;
  }
  const { values } = parseArgs({ options: { server: { type: 'string', multiple: true } } });
  let config: KeeperConfig;
  try {
    config = keeperConfig(process.env, values.server ?? []);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  // A write that failed ends the process before its receipt can leave (exit code 70).
  const keeper = await Keeper.start(config, jsonLogger, () => process.exit(70));
  const stop = () => {
    // Never hang: whatever is still open after 3 s is cut.
    setTimeout(() => process.exit(0), 3000).unref();
    void keeper.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('keeper: failed to start —', err instanceof Error ? err.message : err);
  process.exit(1);
});
