import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { squeezeTemplates } from '../../scripts/squeeze-templates.js';

/** What the browser builds do to Lit templates (scripts/squeeze-templates.ts). */
describe('squeezeTemplates', () => {
  it('drops the indents after line breaks in html and svg templates, keeping the breaks', () => {
    const code = [
      'const a = html`<p>',
      '    ${x}',
      '  </p>`;',
      'const b = svg`<g>',
      '\t\t<path/></g>`;',
    ].join('\n');
    assert.equal(
      squeezeTemplates(code),
      ['const a = html`<p>', '${x}', '</p>`;', 'const b = svg`<g>', '<path/></g>`;'].join('\n'),
    );
  });

  it('reaches templates nested in values, and leaves the values themselves as they are', () => {
    const code = 'html`<ul>\n  ${items.map((i) => html`<li>\n    ${i}</li>`)}\n  </ul>`';
    assert.equal(
      squeezeTemplates(code),
      'html`<ul>\n${items.map((i) => html`<li>\n${i}</li>`)}\n</ul>`',
    );
    const inValue = 'html`${"a\\n   b"}\n  x`';
    assert.equal(squeezeTemplates(inValue), 'html`${"a\\n   b"}\nx`');
  });

  it('leaves other templates, strings, comments and regular expressions alone', () => {
    const code = [
      'const c = css`a {\n    color: red;\n  }`;',
      'const t = `line\n    indented`;',
      "const s = 'html`\\n   not a template';",
      '// html`\n//    in a comment`',
      'const r = /html`\\n   /;',
      'const o = other`<p>\n   kept</p>`;',
    ].join('\n');
    assert.equal(squeezeTemplates(code), code);
  });

  it('keeps white space inside a line and a line break with no indent', () => {
    const code = 'html`<b>a</b>   <i>b</i>\n<u>c</u>`';
    assert.equal(squeezeTemplates(code), code);
  });
});
