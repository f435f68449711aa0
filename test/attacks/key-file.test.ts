/**
 * Attacks on a bot's key file (src/node/key-file.ts) by another user of the same machine who
 * can write where the key path points (a shared or world-writable folder): a key file of theirs
 * (they know its private key) must never become the bot's identity. Each test fails when the
 * attack works.
 */
import assert from 'node:assert/strict';
import { chmod, chown, rename, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKeyFile, loadIdentity } from '../../src/node/index.js';
import { tempDir } from '../node/helpers.js';

describe('attack: key files planted by another user', () => {
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => ({ dir, remove } = await tempDir()));
  after(() => remove());

  it('a key file owned by another user is refused, even when we can read it (root)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to make a file of another owner');
    const path = join(dir, 'planted.key');
    const theirs = await createKeyFile(path); // "their" key: they made it, they know it
    await chown(path, 65534, 65534); // owned by nobody, mode 0600: only its owner (and root) reads
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    let loaded: string | undefined;
    try {
      loaded = (await loadIdentity(path)).id;
    } catch {
      loaded = undefined;
    }
    assert.notEqual(
      loaded,
      theirs.id,
      'a bot running as root took a key file another user made (and can sign with) as its identity',
    );
  });

  it('a path swapped between the mode check and the read cannot hand over a readable key', async () => {
    // The attacker's two files: a private one (mode 0600, passes the check) and a key file of
    // theirs anyone can read (mode 0644, refused by the check if looked at).
    const privateOne = join(dir, 'private.key');
    const exposed = join(dir, 'exposed.key');
    await createKeyFile(privateOne);
    const known = await createKeyFile(exposed);
    await chmod(exposed, 0o644);
    const path = join(dir, 'bot.key');
    await symlink(privateOne, path);
    let stop = false;
    let taken = 0;
    let tries = 0;
    // Swap `bot.key` between the two targets as fast as renames go, while the bot loads it.
    const swapper = (async () => {
      let flip = false;
      while (!stop) {
        const tmp = join(dir, 'swap');
        await symlink(flip ? privateOne : exposed, tmp).catch(() => undefined);
        await rename(tmp, path).catch(() => undefined);
        flip = !flip;
      }
    })();
    const end = Date.now() + 4000;
    while (Date.now() < end && taken === 0 && tries < 5000) {
      tries++;
      try {
        if ((await loadIdentity(path)).id === known.id) taken++;
      } catch {
        // refused (exposed) or malformed mid-swap: the defence held this time
      }
    }
    stop = true;
    await swapper;
    assert.equal(
      taken,
      0,
      `after ${tries} loads the bot took the world-readable key file (mode 0644, which the ` +
        `check refuses) as its identity: stat and read look at the path twice`,
    );
  });
});
