/**
 * Custom Elements Manifest of Parley's elements (`npm run build` writes
 * `dist/lib/custom-elements.json`): attributes, properties, events, CSS parts and CSS custom
 * properties, read from the components' sources and their JSDoc (`@fires`, `@csspart`, …).
 *
 * The component files do not register themselves; the analyzer reads each tag name from the
 * `customElements.define` calls in `src/define.ts`.
 */

/**
 * Points each definition at the module the manifest lists: the analyzer resolves define.ts's
 * `import { ParleyChat } from './components/chat/parley-chat.js'` to the URL path
 * `/src/components/chat/parley-chat.js`, while the class's module is `src/components/chat/parley-chat.ts`.
 */
function sourceModulePaths() {
  return {
    name: 'parley-source-module-paths',
    packageLinkPhase({ customElementsManifest }) {
      const paths = new Set(customElementsManifest.modules.map((m) => m.path));
      for (const mod of customElementsManifest.modules) {
        for (const { declaration } of mod.exports ?? []) {
          const source = declaration?.module?.replace(/^\//, '').replace(/\.js$/, '.ts');
          if (source && paths.has(source)) declaration.module = source;
        }
      }
    },
  };
}

/** Drops private members (fields, methods, `#names`): the manifest documents the public API. */
function publicApiOnly() {
  return {
    name: 'parley-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.members) continue;
          decl.members = decl.members.filter(
            (m) => m.privacy !== 'private' && !m.name.startsWith('#'),
          );
        }
      }
    },
  };
}

export default {
  globs: ['src/components/**/*.ts', 'src/define.ts'],
  exclude: ['src/components/**/*.styles.ts'],
  outdir: 'dist/lib',
  litelement: true,
  // The `customElements` field of package.json is kept by hand; never rewrite package.json.
  packagejson: false,
  plugins: [sourceModulePaths(), publicApiOnly()],
};
