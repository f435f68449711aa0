/**
 * The API of one element as Markdown tables, from the Custom Elements Manifest that
 * `npm run build` writes — so the README's API tables are the manifest's, never typed by hand:
 *
 *   node scripts/api-table.mjs [--check FILE | --write FILE] [tag] [manifest]
 *
 * `tag` defaults to `parley-chat`, `manifest` to `dist/lib/custom-elements.json`. Tables:
 * attributes (with their properties), properties without an attribute, events, CSS parts and
 * CSS custom properties; an empty section is left out. Without a flag it prints them.
 * `--write FILE` puts them between FILE's `<!-- api-table:start -->` and
 * `<!-- api-table:end -->` lines (`npm run api` does that to README.md and formats it);
 * `--check FILE` exits 1 when what is there differs (column padding aside), which `npm test`
 * runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = ['--check', '--write'].includes(args[0] ?? '') ? args.splice(0, 2) : [];
const [mode, target] = flag;
const [tag = 'parley-chat', manifestPath = 'dist/lib/custom-elements.json'] = args;
const START = '<!-- api-table:start -->';
const END = '<!-- api-table:end -->';

/** Text fit for one Markdown table cell. */
const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (text) => (text ? `\`${cell(text)}\`` : '');

/** A Markdown table; columns empty in every row are left out. */
function table(head, rows) {
  if (rows.length === 0) return '';
  const keep = head.map((_, i) => rows.some((r) => r[i]));
  const line = (r) => `| ${r.filter((_, i) => keep[i]).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A line with table padding taken out, for comparing tables however they are aligned. */
const bare = (line) =>
  line
    .trim()
    .replace(/ *\| */g, '|')
    .replace(/\|-+(?=\|)/g, '|-');

/** Replaces (`write`) or compares (`check`) the block between the markers in `file`. */
function sync(file, tables) {
  const path = resolve(root, file);
  const text = readFileSync(path, 'utf8');
  const [start, end] = [text.indexOf(START), text.indexOf(END)];
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} block`);
  const inside = text.slice(start + START.length, end);
  if (mode === '--write') {
    writeFileSync(
      path,
      `${text.slice(0, start + START.length)}\n\n${tables}\n\n${text.slice(end)}`,
    );
    return;
  }
  const lines = (t) => t.split('\n').map(bare).filter(Boolean);
  const [want, have] = [lines(tables), lines(inside)];
  const at = want.findIndex((line, i) => line !== have[i]);
  if (at >= 0 || want.length !== have.length) {
    const i = at >= 0 ? at : Math.min(want.length, have.length);
    throw new Error(
      `${file}'s API tables differ from the manifest at line ${i + 1} of the block:\n` +
        `  manifest: ${want[i] ?? '(nothing)'}\n  ${file}: ${have[i] ?? '(nothing)'}\n` +
        'run `npm run api` to rewrite them',
    );
  }
  console.log(`api-table: ${file} matches the manifest (${want.length} lines)`);
}

function main() {
  const manifest = JSON.parse(readFileSync(resolve(root, manifestPath), 'utf8'));
  const decl = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.customElement && d.tagName === tag);
  if (!decl) throw new Error(`no <${tag}> in ${manifestPath}`);

  const fields = (decl.members ?? []).filter(
    (m) => m.kind === 'field' && !m.static && m.privacy === undefined,
  );
  const byName = new Map(fields.map((f) => [f.name, f]));
  const attributes = (decl.attributes ?? []).map((a) => {
    const field = byName.get(a.fieldName ?? '');
    return [
      code(a.name),
      code(a.fieldName),
      code(a.type?.text ?? field?.type?.text),
      code(a.default ?? field?.default),
      cell(a.description ?? field?.description) + (field?.reflects ? ' (reflected)' : ''),
    ];
  });
  const withAttribute = new Set((decl.attributes ?? []).map((a) => a.fieldName));
  const properties = fields
    .filter((f) => !withAttribute.has(f.name))
    .map((f) => [code(f.name), code(f.type?.text), code(f.default), cell(f.description)]);
  const events = (decl.events ?? []).map((e) => [code(e.name), cell(e.description)]);
  const parts = (decl.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]);
  const props = (decl.cssProperties ?? []).map((p) => [
    code(p.name),
    code(p.default),
    cell(p.description),
  ]);

  const sections = [
    ['Attributes', table(['attribute', 'property', 'type', 'default', 'meaning'], attributes)],
    ['Properties (no attribute)', table(['property', 'type', 'default', 'meaning'], properties)],
    ['Events', table(['event', 'meaning'], events)],
    ['CSS parts', table(['part', 'what'], parts)],
    ['CSS custom properties', table(['property', 'default', 'meaning'], props)],
  ].filter(([, body]) => body);
  const intro = decl.summary ? `\`<${tag}>\`: ${cell(decl.summary)}\n\n` : '';
  const tables = intro + sections.map(([title, body]) => `**${title}**\n\n${body}`).join('\n\n');
  if (mode) sync(target ?? 'README.md', tables);
  else console.log(tables);
}

try {
  main();
} catch (err) {
  console.error(`api-table: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
}
