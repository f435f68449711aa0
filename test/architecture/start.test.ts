/**
 * `npm start` builds once: again only when a source is newer than the build, or a piece of the
 * build is missing (scripts/start.mjs). Tried on a copy of the layout in a temporary folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildReason, INPUTS, OUTPUTS } from '../../scripts/start.mjs';

describe('npm start builds once', () => {
  const root = mkdtempSync(join(tmpdir(), 'parley-start-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, at: number) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'x');
    utimesSync(file, at / 1000, at / 1000);
  };
  const t0 = Date.now() - 60_000;

  it('builds when the build is missing, not when it is newer than every source', () => {
    write('src/components/chat/parley-chat.ts', t0);
    write('package.json', t0);
    assert.equal(buildReason(root), `missing ${OUTPUTS[0]}`);
    for (const out of OUTPUTS) write(out, t0 + 1000);
    assert.equal(buildReason(root), undefined);
  });

  it('builds again when any source is newer than the oldest piece of the build', () => {
    write('src/protocol/version.ts', t0 + 2000);
    assert.equal(buildReason(root), 'sources changed');
    write(OUTPUTS[1]!, t0 + 3000);
    assert.equal(buildReason(root), 'sources changed', 'one piece rebuilt is not the build');
    for (const out of OUTPUTS) write(out, t0 + 3000);
    assert.equal(buildReason(root), undefined);
    assert.ok(INPUTS.includes('signaling'));
  });
});
