/**
 * How every test and benchmark starts Chromium: Debian's package, never a downloaded build,
 * with the flags that keep it headless, unsandboxed as root, and quiet on the network.
 */
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); scripts/ensure-chromium.sh installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for headless runs here: root needs --no-sandbox; the rest stop background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Debian's Chromium with these flags through playwright-core (the caller closes it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
