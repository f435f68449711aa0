/** URL of the Parley server the test runner started (see web-test-runner.config.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

/** Asks the test runner for the relay's URL. */
export async function serverUrl(): Promise<string> {
  const url = await executeServerCommand<string, undefined>('parley-server-url');
  if (!url) throw new Error('the test runner did not start a Parley server');
  return url;
}
