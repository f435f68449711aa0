// Lint: typescript-eslint's recommended rules on every TypeScript source, plus the rule that
// keep the architecture honest: views never import transports or the store, the store never
// imports transports, the server imports only the shared protocol, which imports nothing of ours.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-server/', 'node_modules/', '.test-output/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.mocha } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/sw/**/*.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    // Chai assertions such as `expect(x).to.exist` are property reads by design.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['src/components/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/transport/*', '**/store/*', '**/signaling/*', 'socket.io-client', 'idb'],
              message: 'Views never reach transports or the store; go through a controller.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['signaling/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Browser and server share exactly one folder: the wire protocol.
              regex: '(^|/)src/(?!protocol/)',
              message: 'The server imports only what it shares with the browser: src/protocol/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Node client shares the protocol, the transports and the host-agnostic parts of the
    // room controller with the browser: never a view, the store (IndexedDB) or Lit.
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/components/*', '**/store/*', 'idb', 'lit', 'lit/*'],
              message:
                'The Node client imports protocol, transports and host-agnostic controllers.',
            },
            {
              regex:
                'controllers/(?!room/(intake|receipts|room-keys|catch-up|per-peer-budget)\\.js$|connection/ping-answer\\.js$|presence/here\\.js$)',
              message: 'Only host-agnostic controller modules may be imported from src/node/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/transport/*', '**/components/*', '**/controllers/*'],
              message: 'The store keeps data; it never reaches transports, views or controllers.',
            },
          ],
        },
      ],
    },
  },
  {
    // The interop client is written from docs/PROTOCOL.md alone: none of Parley's own code.
    files: ['test/interop/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(src|signaling)(/|$)',
              message:
                'The interop client knows Parley only from docs/PROTOCOL.md: no imports of src/ or signaling/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*'],
              message: 'The protocol is shared with the server: it imports nothing else of ours.',
            },
          ],
        },
      ],
    },
  },
);
