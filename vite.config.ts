import { defineConfig } from 'vite';

// The app page only; the Node server is bundled separately (scripts/build-server.mjs).
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
