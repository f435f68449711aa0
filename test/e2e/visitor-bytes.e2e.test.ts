import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  VISITOR_BUDGET_KB,
  describeMoment,
  measureVisitorBytes,
  type VisitorBytes,
} from '../../bench/visitor-bytes.js';
import { defaultStaticDir } from '../../signaling/config.js';
import { useAppAndBrowser } from './harness.js';

/**
 * The ceiling of the room moment, KB gzip (1 KB = 1,000 bytes), under the budget of
 * bench/visitor-bytes.ts. Set to 89.6 at 263af0c (88.06 KB after the toolbar, the room list's
 * view and Engine.IO's long-polling left the room's chunk); raised back to 90 by the lead when
 * issue 26's defences in the room's path (receipt filter and members' lane, held sealed
 * budgets, the pacer's lanes, marks and arrival times: ~1.2 KB) and the revert of 3f0339f
 * (+0.26 KB) took the room to 89.48 KB. Later work took it to 94.99 KB; then the member list
 * and the contacts waiting until the room is settled (-3.8), the guest accounts' code on its
 * own path (-0.7) and a registration's export seal sealed once in the room (-1.1) brought it
 * to 89.41 KB: the ceiling stays at the budget (89.41 + 1.5 is over it). Lowered as bytes leave.
 */
const IN_ROOM_CEILING_KB = 90;

/** The build the app server serves (as the harness picks it), for the library's manifest. */
const staticDir = process.env.PARLEY_STATIC_DIR || defaultStaticDir;

/**
 * The size budget of an embedded chat, as a visitor's browser fetches it from the built app:
 * gzip bytes of every file from the Parley server before the login box is usable, and until the
 * chat is in its room over Socket.IO (bench/visitor-bytes.ts measures; the budgets live there).
 * A size, not a timing: a build fetches the same files by each moment as long as the chat loads
 * its chunks stage by stage (src/components/shared/load-order.ts); a file that lands on either
 * side of a moment with the machine's speed is a race in that order, to be fixed there.
 */
describe('what a visitor fetches for an embedded chat', { timeout: 120_000 }, () => {
  const app = useAppAndBrowser();
  let measured: VisitorBytes;

  it('measures both moments on a shop page of another origin', async () => {
    measured = await measureVisitorBytes(app.browser, app.server.url, join(staticDir, 'lib'));
    // The entry came from the Parley server, and the room needed more than the login.
    assert.ok(measured.loginUsable.files.some((f) => f.path === '/lib/parley.js'));
    assert.ok(measured.inRoom.files.length > measured.loginUsable.files.length);
    console.log(describeMoment('login usable', measured.loginUsable));
    console.log(describeMoment('in the room', measured.inRoom));
  });

  it(`fetches at most ${VISITOR_BUDGET_KB.loginUsable} KB gzip before the login box is usable`, () => {
    assert.ok(measured, 'not measured');
    assert.ok(measured.loginUsable.pass, describeMoment('login usable', measured.loginUsable));
  });

  it(`fetches at most ${IN_ROOM_CEILING_KB} KB gzip until in the room over Socket.IO`, () => {
    assert.ok(measured, 'not measured');
    assert.ok(IN_ROOM_CEILING_KB <= VISITOR_BUDGET_KB.inRoom, 'the ceiling is under the budget');
    assert.ok(
      measured.inRoom.gzip <= IN_ROOM_CEILING_KB * 1000,
      describeMoment('in the room', measured.inRoom),
    );
  });
});
