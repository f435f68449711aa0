/** URL of a Parley server the test runner started (see web-test-runner.config.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

/** Which of the test runner's relays: a tiny mesh cap, a 32 KiB payload cap, rooms of two. */
export type ServerChoice = { meshCap: 2 } | { maxPayload: 32768 } | { maxMembers: 2 };

/** Asks the test runner for a relay's URL; without a choice, the one with production defaults. */
export async function serverUrl(options?: ServerChoice): Promise<string> {
  const url = await executeServerCommand<string, ServerChoice | undefined>(
    'parley-server-url',
    options,
  );
  if (!url) throw new Error('the test runner did not start a Parley server');
  return url;
}
