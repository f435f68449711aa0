/**
 * Prints the API of one element as Markdown tables, from the Custom Elements Manifest that
 * `npm run build` writes:
 *
 *   node scripts/api-table.mjs [tag] [manifest]
 *
 * `tag` defaults to `parley-chat`, `manifest` to `dist/lib/custom-elements.json`. Tables:
 * attributes (with their properties), properties without an attribute, events, CSS parts and
 * CSS custom properties; an empty section is left out.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [tag = 'parley-chat', manifestPath = 'dist/lib/custom-elements.json'] = process.argv.slice(2);

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
  console.log(intro + sections.map(([title, body]) => `**${title}**\n\n${body}`).join('\n\n'));
}

try {
  main();
} catch (err) {
  console.error(`api-table: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
}
