/**
 * Lit templates as the browser builds ship them: the indentation after each line break in the
 * text of an `html` or `svg` tagged template is dropped (the line break stays). The templates
 * ship as source text, so every indent is downloaded; a run of white space with a line break in
 * it renders as before wherever white space collapses, which is everywhere in our templates
 * (the elements that keep white space, message text and code blocks, are filled from values,
 * never from template text). Found with TypeScript's own parser, so strings, comments and
 * regular expressions that look like templates are left alone.
 */
import ts from 'typescript';

/** The text pieces of every `html`/`svg` tagged template in `code`, as [start, end) offsets. */
function templateTexts(code: string): Array<[number, number]> {
  const file = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const spans: Array<[number, number]> = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      (node.tag.text === 'html' || node.tag.text === 'svg')
    ) {
      const t = node.template;
      const pieces = ts.isNoSubstitutionTemplateLiteral(t)
        ? [t]
        : [t.head, ...t.templateSpans.map((s) => s.literal)];
      for (const p of pieces) spans.push([p.getStart(file), p.getEnd()]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return spans;
}

/** `code` with the indentation after line breaks taken out of its Lit templates' text. */
export function squeezeTemplates(code: string): string {
  const spans = templateTexts(code).sort((a, b) => b[0] - a[0]);
  let out = code;
  for (const [start, end] of spans) {
    const text = out.slice(start, end).replace(/\n[ \t]+/g, '\n');
    out = out.slice(0, start) + text + out.slice(end);
  }
  return out;
}
