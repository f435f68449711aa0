/**
 * Key-file attacks that the bot withstands: a dangling symlink planted at the key path (so the
 * new private key would be written where another user reads it) and a key file others can
 * read. Each test fails if the attack works.
 */
import assert from 'node:assert/strict';
import { access, chmod, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKeyFile, loadOrCreateIdentity } from '../../src/node/index.js';
import { tempDir } from '../node/helpers.js';

describe('attack: key-file plants the bot withstands', () => {
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => ({ dir, remove } = await tempDir()));
  after(() => remove());

  it('a dangling symlink at the key path never receives the new private key', async () => {
    const target = join(dir, 'attacker-reads-this');
    const path = join(dir, 'bot.key');
    await symlink(target, path);
    await assert.rejects(loadOrCreateIdentity(path));
    await assert.rejects(access(target), 'no key file was written through the link');
  });

  it('a symlink to a key file others can read is refused', async () => {
    const exposed = join(dir, 'exposed.key');
    await createKeyFile(exposed);
    await chmod(exposed, 0o644);
    const path = join(dir, 'linked.key');
    await symlink(exposed, path);
    await assert.rejects(loadOrCreateIdentity(path), /symbolic link/);
  });
});
