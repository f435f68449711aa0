import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { COPIED_MS } from '../../../../src/components/messages/format/code-block.js';
import {
  CACHE_SIZE,
  formatText,
  renderText,
  tokensOf,
} from '../../../../src/components/messages/format/render-text.js';
import { REL, mount } from './mount.js';

/** The element tree of `p` as a compact string: `<em>a</em>` … (text as is). */
function shape(node: Node): string {
  return [...node.childNodes]
    .filter((n) => n.nodeType !== Node.COMMENT_NODE) // Lit's markers
    .map((n) =>
      n instanceof Element
        ? `<${n.tagName.toLowerCase()}>${shape(n)}</${n.tagName.toLowerCase()}>`
        : (n.textContent ?? ''),
    )
    .join('');
}
const shapeOf = (text: string) => shape(mount(text).p);

describe('format: what renders', () => {
  afterEach(() => document.querySelectorAll('body > div').forEach((d) => d.remove()));

  it('renders plain text as one text node', () => {
    const { p } = mount('just words, no markers.');
    expect(p.children.length).to.equal(0);
    expect(p.textContent).to.equal('just words, no markers.');
  });

  it('renders emphasis, strong and code', () => {
    expect(shapeOf('an *em* and _em_ here')).to.equal('an <em>em</em> and <em>em</em> here');
    expect(shapeOf('**strong** words')).to.equal('<strong>strong</strong> words');
    expect(shapeOf('***both***')).to.equal('<em><strong>both</strong></em>');
    expect(shapeOf('run `npm test` now')).to.equal('run <code>npm test</code> now');
    expect(shapeOf('``a `tick` b``')).to.equal('<code>a `tick` b</code>');
  });

  it('formats nothing inside code', () => {
    expect(shapeOf('`*a* **b** https://example.com _c_`')).to.equal(
      '<code>*a* **b** https://example.com _c_</code>',
    );
  });

  it('keeps markers that are not closed or not around a word', () => {
    for (const text of ['*a', '**a', 'a*', '`a', 'a * b * c', 'snake_case_name', 'a_b_c_d']) {
      expect(shapeOf(text), text).to.equal(text);
    }
    expect(shapeOf('**a** *b')).to.equal('<strong>a</strong> *b');
  });

  it('links http, https, mailto, www. and email addresses', () => {
    const { p } = mount(
      'see https://example.com/a_(b), HTTP://Example.com, www.example.org/x, bob@example.com and mailto:ann@example.net.',
    );
    const links = [...p.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).to.deep.equal([
      'https://example.com/a_(b)',
      'HTTP://Example.com',
      'www.example.org/x',
      'bob@example.com',
      'mailto:ann@example.net',
    ]);
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.com/a_(b)',
      'http://example.com/',
      'https://www.example.org/x',
      'mailto:bob@example.com',
      'mailto:ann@example.net',
    ]);
    for (const a of links) {
      expect(a.target).to.equal('_blank');
      expect(a.rel).to.equal(REL);
    }
    // The sentence's own punctuation stays outside the links.
    expect(p.textContent).to.match(/ann@example\.net\.$/);
  });

  it('links Unicode domains, by their punycode', () => {
    const a = mount('https://пример.рф/путь').p.querySelector('a')!;
    expect(a.textContent).to.equal('https://пример.рф/путь');
    expect(new URL(a.href).hostname).to.equal('xn--e1afmkfd.xn--p1ai');
  });

  it('does not take file names for links', () => {
    expect(mount('open notes.md and setup.py').p.querySelectorAll('a').length).to.equal(0);
    for (const text of ['www.', 'www.b', 'xwww.example.com', 'a.www.example.com']) {
      expect(mount(text).p.querySelectorAll('a').length, text).to.equal(0);
    }
  });

  it('links www. names that start a word, once', () => {
    const { p } = mount('https://www.example.com/x and (www.example.org/y).');
    expect([...p.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://www.example.com/x',
      'https://www.example.org/y',
    ]);
    expect(p.textContent).to.equal('https://www.example.com/x and (www.example.org/y).');
  });

  it('puts links inside strong and emphasis', () => {
    expect(shapeOf('**see https://example.com/x**')).to.equal(
      '<strong>see <a>https://example.com/x</a></strong>',
    );
    expect(shapeOf('*www.example.com*')).to.equal('<em><a>www.example.com</a></em>');
  });

  it('keeps newlines', () => {
    const { p } = mount('one\ntwo\n\nfour');
    expect(p.textContent).to.equal('one\ntwo\n\nfour');
    expect(p.getBoundingClientRect().height).to.be.greaterThan(
      mount('one').p.getBoundingClientRect().height * 3,
    );
  });

  it('makes consecutive > lines one quote', () => {
    expect(shapeOf('> first\n> *second*\nafter\n> again')).to.equal(
      '<blockquote>first\n<em>second</em></blockquote>after<blockquote>again</blockquote>',
    );
    expect(shapeOf('>no space')).to.equal('>no space');
  });

  it('renders a fenced code block with its language and a copy button', () => {
    const { p } = mount('before\n```ts\nconst a = 1;\n  indented *no* `format`\n```\nafter');
    const code = p.querySelector('pre code')!;
    expect(code.textContent).to.equal('const a = 1;\n  indented *no* `format`');
    expect(p.querySelector('.fmt-lang')!.textContent).to.equal('ts');
    expect(p.querySelector('button')!.textContent).to.equal('Copy code');
    expect(getComputedStyle(p.querySelector('pre')!).fontFamily).to.match(/mono/i);
    expect(p.textContent).to.match(/^before/);
    expect(p.textContent).to.match(/after$/);
  });

  it('leaves an unclosed fence as text', () => {
    const text = '```js\nconst a = 1;';
    expect(shapeOf(text)).to.equal(text);
  });

  describe('the copy button', () => {
    let copied: string[];
    let fail = false;
    beforeEach(() => {
      copied = [];
      fail = false;
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: (text: string) =>
          fail ? Promise.reject(new Error('denied')) : (copied.push(text), Promise.resolve()),
      });
    });
    afterEach(
      () => delete (navigator.clipboard as unknown as Record<string, unknown>)['writeText'],
    );

    it('copies exactly the code and says "Copied" for a moment', async () => {
      const code = 'line 1\n\tline <2> & "3"\n';
      const { p } = mount('```\n' + code + '\n```');
      const button = p.querySelector('button')!;
      button.click();
      await new Promise((r) => setTimeout(r, 0));
      expect(copied).to.deep.equal([code]);
      expect(button.textContent).to.equal('Copied');
      await new Promise((r) => setTimeout(r, COPIED_MS + 50));
      expect(button.textContent).to.equal('Copy code');
    });

    it('says when copying failed', async () => {
      fail = true;
      const { p } = mount('```\nx\n```');
      const button = p.querySelector('button')!;
      button.click();
      await new Promise((r) => setTimeout(r, 0));
      expect(button.textContent).to.equal('Copy failed');
    });
  });

  it('parses a text once, and forgets the oldest past the cache size', () => {
    const first = tokensOf('cached *text*');
    expect(tokensOf('cached *text*')).to.equal(first);
    for (let i = 0; i < CACHE_SIZE; i++) tokensOf(`filler ${i}`);
    expect(tokensOf('cached *text*')).not.to.equal(first);
    expect(tokensOf('cached *text*')).to.deep.equal(first);
  });

  it('builds new nodes each time, so one text can show in two rows', () => {
    const a = formatText('**same** text');
    const b = formatText('**same** text');
    expect(a.firstChild).not.to.equal(b.firstChild);
    expect(a.textContent).to.equal('same text');
  });

  it('re-renders the same text without rebuilding it', () => {
    const p = document.body
      .appendChild(document.createElement('div'))
      .appendChild(document.createElement('p'));
    render(renderText('*stable* node'), p);
    const em = p.querySelector('em');
    render(renderText('*stable* node'), p);
    expect(p.querySelector('em')).to.equal(em);
    render(renderText('*other* node'), p);
    expect(p.querySelector('em')!.textContent).to.equal('other');
    render(renderText('plain now'), p);
    expect(p.textContent).to.equal('plain now');
  });
});
