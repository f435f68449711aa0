/** URL of a Parley server the test runner started (see web-test-runner.config.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

/** Asks the test runner for a relay's URL; `{ meshCap: 2 }` picks the one with a tiny mesh cap. */
export async function serverUrl(options?: { meshCap: 2 }): Promise<string> {
  const url = await executeServerCommand<string, { meshCap: 2 } | undefined>(
    'parley-server-url',
    options,
  );
  if (!url) throw new Error('the test runner did not start a Parley server');
  return url;
}
