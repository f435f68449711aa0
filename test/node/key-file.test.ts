/**
 * A bot's key file: made on first run with mode 0600, the same identity on the next run,
 * refused (saying why) when others can read it, and refused when it is not a key file.
 */
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeyFileError, loadIdentity, loadOrCreateIdentity } from '../../src/node/index.js';
import { SignaturePurposes, signerOf, verify } from '../../src/protocol/identity.js';
import { tempDir } from './helpers.js';

describe('key file', () => {
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => ({ dir, remove } = await tempDir()));
  after(() => remove());

  it('is made on first run, readable by its owner only, and gives the same identity again', async () => {
    const path = join(dir, 'bot.key');
    const first = await loadOrCreateIdentity(path);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const again = await loadOrCreateIdentity(path);
    assert.equal(again.id, first.id);
    assert.equal(again.publicKey, first.publicKey);
    // The key signs, and it cannot be read back out of the process.
    assert.equal(again.privateKey.extractable, false);
    const sig = await signerOf(again).sign(SignaturePurposes.envelope, ['x']);
    assert.ok(await verify(first.publicKey, SignaturePurposes.envelope, ['x'], sig));
    assert.ok(!(await readFile(path, 'utf8')).includes(first.id), 'the file holds keys, not ids');
  });

  it('is refused when others can read it, and says why', async () => {
    const path = join(dir, 'open.key');
    await loadOrCreateIdentity(path);
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      await chmod(path, mode);
      await assert.rejects(loadIdentity(path), (err: unknown) => {
        assert.ok(err instanceof KeyFileError);
        assert.equal(err.code, 'exposed');
        assert.match(err.message, new RegExp(`mode is ${mode.toString(8)}`));
        assert.match(err.message, /chmod 600/);
        return true;
      });
      // Also when asked to make one if missing: an exposed file is never replaced silently.
      await assert.rejects(loadOrCreateIdentity(path), KeyFileError);
    }
    await chmod(path, 0o600);
    await loadIdentity(path);
  });

  it('is refused when it is not a key file, or its halves do not match', async () => {
    const path = join(dir, 'bad.key');
    await writeFile(path, 'not json', { mode: 0o600 });
    await assert.rejects(loadIdentity(path), /not a key file/);
    const a = JSON.parse(await readFile(join(dir, 'bot.key'), 'utf8')) as Record<string, string>;
    await loadOrCreateIdentity(join(dir, 'other.key'));
    const b = JSON.parse(await readFile(join(dir, 'other.key'), 'utf8')) as Record<string, string>;
    await writeFile(path, JSON.stringify({ ...a, publicKey: b.publicKey }), { mode: 0o600 });
    await assert.rejects(loadIdentity(path), /does not match/);
  });
});
