/**
 * The layering rules in eslint.config.js, tried against deliberate violations: each forbidden
 * import must be reported, and the allowed ones must pass, so a rule that silently stops
 * matching (a renamed folder, a broken pattern) fails here instead of letting the house rot.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The restricted-import messages ESLint reports for `code` placed at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: Array<{ file: string; from: string; allowed: boolean }> = [
  // The server shares exactly one folder with the browser.
  { file: 'signaling/x.ts', from: '../src/protocol/limits.js', allowed: true },
  { file: 'signaling/x.ts', from: '../src/transport/errors.js', allowed: false },
  { file: 'signaling/x.ts', from: '../src/internal/emitter.js', allowed: false },
  { file: 'signaling/x.ts', from: '../src/components/chat/parley-chat.js', allowed: false },
  // The store keeps data and reaches no transport, controller or view.
  { file: 'src/store/x.ts', from: '../protocol/chat-events.js', allowed: true },
  { file: 'src/store/x.ts', from: '../transport/types.js', allowed: false },
  { file: 'src/store/x.ts', from: '../controllers/room/delivery.js', allowed: false },
  { file: 'src/store/x.ts', from: '../components/shared/events.js', allowed: false },
  // The Node client: protocol, transports and host-agnostic controllers only.
  { file: 'src/node/x.ts', from: '../protocol/chat-events.js', allowed: true },
  { file: 'src/node/x.ts', from: '../transport/socketio.js', allowed: true },
  { file: 'src/node/x.ts', from: '../controllers/room/catch-up.js', allowed: true },
  { file: 'src/node/x.ts', from: '../controllers/room/room-sealing.js', allowed: false },
  { file: 'src/node/x.ts', from: '../store/db.js', allowed: false },
  { file: 'src/node/x.ts', from: '../components/shared/events.js', allowed: false },
  // The protocol imports nothing else of ours.
  { file: 'src/protocol/x.ts', from: './fields.js', allowed: true },
  { file: 'src/protocol/x.ts', from: '../internal/emitter.js', allowed: false },
  // Views go through controllers, from a feature's folder too.
  {
    file: 'src/components/chat/x.ts',
    from: '../../controllers/settings/settings.js',
    allowed: true,
  },
  { file: 'src/components/chat/x.ts', from: '../shared/events.js', allowed: true },
  { file: 'src/components/chat/x.ts', from: '../../transport/index.js', allowed: false },
  { file: 'src/components/chat/x.ts', from: '../../store/db.js', allowed: false },
  { file: 'src/components/x.ts', from: '../transport/index.js', allowed: false },
  // The interop client is written from the protocol document alone.
  { file: 'test/interop/x.ts', from: 'socket.io-client', allowed: true },
  { file: 'test/interop/x.ts', from: './doc-client.js', allowed: true },
  { file: 'test/interop/x.ts', from: '../../src/protocol/identity.js', allowed: false },
  { file: 'test/interop/x.ts', from: '../../signaling/peer-id.js', allowed: false },
  { file: 'test/interop/deeper/x.ts', from: '../../../src/transport/index.js', allowed: false },
];

describe('layering lint rules', () => {
  for (const { file, from, allowed } of cases) {
    it(`${allowed ? 'allows' : 'forbids'} ${file} → ${from}`, async () => {
      const found = await violations(file, `import { x } from '${from}';\nexport const y = x;\n`);
      assert.equal(found.length, allowed ? 0 : 1, found.join('\n'));
    });
  }
});
