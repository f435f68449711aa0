/**
 * Custom Elements Manifest of Parley's elements (`npm run build` writes
 * `dist/lib/custom-elements.json`): attributes, properties, events, CSS parts and CSS custom
 * properties, read from the components' sources and their JSDoc (`@fires`, `@csspart`, …).
 *
 * The component files do not register themselves; `src/define.ts` maps tag names to classes
 * in one object literal. The plugin below reads that map, so the manifest names each element's
 * tag and records the definitions as `define.ts` makes them.
 */

/** `{ 'parley-chat': ParleyChat, … }` from the object literal assigned to `elements` in define.ts. */
function tagNamesFromDefine() {
  /** @type {Map<string, string>} class name → tag name */
  const tags = new Map();
  /** @type {Map<string, string>} class name → module path it is imported from */
  const sources = new Map();
  return {
    name: 'parley-tag-names-from-define',
    analyzePhase({ ts, node }) {
      const file = node.getSourceFile?.().fileName ?? '';
      if (!file.endsWith('src/define.ts')) return;
      if (ts.isImportDeclaration(node) && node.importClause?.namedBindings) {
        const from = node.moduleSpecifier.text.replace(/^\.\//, 'src/').replace(/\.js$/, '.ts');
        const bindings = node.importClause.namedBindings;
        if (ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) sources.set(el.name.text, from);
        }
      }
      if (
        ts.isVariableDeclaration(node) &&
        node.name.getText() === 'elements' &&
        node.initializer
      ) {
        let init = node.initializer;
        while (ts.isAsExpression(init) || ts.isSatisfiesExpression?.(init)) init = init.expression;
        if (!ts.isObjectLiteralExpression(init)) return;
        for (const prop of init.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isStringLiteral(prop.name)) continue;
          tags.set(prop.initializer.getText(), prop.name.text);
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      if (tags.size === 0)
        throw new Error('custom-elements manifest: no tag names in src/define.ts');
      const found = new Set();
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          const tag = decl.kind === 'class' ? tags.get(decl.name) : undefined;
          if (!tag) continue;
          decl.tagName = tag;
          decl.customElement = true;
          found.add(decl.name);
        }
      }
      const missing = [...tags.keys()].filter((name) => !found.has(name));
      if (missing.length) {
        throw new Error(`custom-elements manifest: no class found for ${missing.join(', ')}`);
      }
      // The analyzer sees `customElements.define(tag, ctor)` in define.ts's loop and records a
      // definition named "tag"; replace it with the real ones.
      const definitions = [...tags].map(([name, tag]) => ({
        kind: 'custom-element-definition',
        name: tag,
        declaration: { name, module: sources.get(name) ?? '' },
      }));
      const define = customElementsManifest.modules.find((m) => m.path === 'src/define.ts');
      if (define) {
        define.exports = [
          ...(define.exports ?? []).filter((e) => e.kind !== 'custom-element-definition'),
          ...definitions,
        ];
      } else {
        customElementsManifest.modules.push({
          kind: 'javascript-module',
          path: 'src/define.ts',
          declarations: [],
          exports: definitions,
        });
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
  globs: ['src/components/*.ts', 'src/define.ts'],
  exclude: ['src/components/*.styles.ts'],
  outdir: 'dist/lib',
  litelement: true,
  // The `customElements` field of package.json is kept by hand; never rewrite package.json.
  packagejson: false,
  plugins: [tagNamesFromDefine(), publicApiOnly()],
};
