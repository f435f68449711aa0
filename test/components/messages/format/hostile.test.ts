import { expect } from '@open-wc/testing';
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, REL, elementsOf, mount } from './mount.js';

/** Inputs written to break out: none may yield markup or a link other than http(s)/mailto. */
const HOSTILE = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '   javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java&#x09;script:alert(1)',
  'javascript&colon;alert(1)',
  '&#106;avascript:alert(1)',
  'jav&#x61;script:alert(document.cookie)',
  '\u0000javascript:alert(1)',
  'javascript://example.com/%0aalert(1)',
  'javascript://www.example.com/%0aalert(1)',
  'mailto:javascript:alert(1)',
  'http://%6a%61vascript:alert(1)',
  'https://javascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://example.com/file',
  '//example.com/protocol-relative',
  '[x](javascript:alert(1))',
  '[click me](data:text/html,<script>alert(1)</script>)',
  '[safe-looking](https://evil.example/steal)',
  '![img](https://evil.example/x.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '**<b>bold</b>** *<i onmouseover=alert(1)>x</i>*',
  '`<img src=x onerror=alert(1)>`',
  '> <img src=x onerror=alert(1)>',
  '```html\n<script>alert(1)</script>\n```',
  '```<img src=x onerror=alert(1)>\ncode\n```',
  'https://example.com/"><script>alert(1)</script>',
  "https://example.com/' onmouseover='alert(1)",
  'https://example.com/<img src=x onerror=alert(1)>',
  '**https://example.com/a** and *javascript:alert(1)*',
  '\u202ehttps://evil.example\u202c',
  '${alert(1)} {{constructor.constructor("alert(1)")()}}',
  '*_**nested _deep **very *much*** markers**_*',
  '*'.repeat(5000),
  '_a'.repeat(3000),
  '`'.repeat(1000),
  '```\n'.repeat(2000),
  '```js\nan unclosed fence\n<b>x</b>',
  'x'.repeat(8000),
  ('**bold** https://example.com/' + 'p'.repeat(40) + ' _em_ `code` ').repeat(200).slice(0, 8000),
  '> '.repeat(4000),
];

describe('format: hostile input', () => {
  afterEach(() => document.querySelectorAll('body > div').forEach((d) => d.remove()));

  for (const input of HOSTILE) {
    it(`renders as text or safe links: ${JSON.stringify(input.slice(0, 60))}`, () => {
      const { p } = mount(input);
      for (const el of elementsOf(p)) {
        expect(ALLOWED_TAGS.has(el.tagName), el.tagName).to.equal(true);
        for (const { name } of el.attributes) {
          expect(ALLOWED_ATTRIBUTES.has(name), `${el.tagName}[${name}]`).to.equal(true);
        }
        if (el.hasAttribute('href')) expect(el.tagName).to.equal('A');
      }
      for (const a of p.querySelectorAll('a')) {
        expect(['https:', 'http:', 'mailto:']).to.include(new URL(a.href).protocol);
        expect(a.getAttribute('target')).to.equal('_blank');
        expect(a.getAttribute('rel')).to.equal(REL);
        // What a link says is where it goes: never a label hiding its target.
        expect(a.textContent).to.match(/^(https?:\/\/|mailto:|www\.|[^\s@]+@)/i);
      }
    });
  }

  it('turns no javascript:, data:, vbscript: or file: text into a link', () => {
    const { p } = mount(HOSTILE.slice(0, 21).join('\n'));
    const hrefs = [...p.querySelectorAll('a')].map((a) => a.href);
    for (const href of hrefs) expect(href).to.match(/^(https?:|mailto:)/);
    // The words themselves are all still there, as text.
    expect(p.textContent).to.include('javascript:alert(1)');
    expect(p.textContent).to.include('data:text/html;base64');
    expect(p.textContent).to.include('vbscript:msgbox(1)');
  });

  it('shows HTML as the characters typed', () => {
    for (const input of HOSTILE.filter((s) => s.startsWith('<'))) {
      const { p } = mount(input);
      expect(p.textContent).to.equal(input);
      expect(p.children.length).to.equal(0);
    }
  });

  it('shows a Markdown link as text; only its visible URL is linked', () => {
    const { p } = mount('[safe-looking](https://evil.example/steal)');
    expect(p.textContent).to.equal('[safe-looking](https://evil.example/steal)');
    const links = p.querySelectorAll('a');
    expect(links.length).to.equal(1);
    expect(links[0]!.textContent).to.equal('https://evil.example/steal');
    expect(mount('[x](javascript:alert(1))').p.querySelectorAll('a').length).to.equal(0);
  });

  it('keeps long words and long URLs inside the row', () => {
    const url = `https://example.com/${'segment'.repeat(80)}`;
    for (const text of [
      'a'.repeat(3000),
      url,
      `**${'b'.repeat(500)}**`,
      `\`${'c'.repeat(500)}\``,
    ]) {
      const { host, p } = mount(text, 240);
      expect(p.scrollWidth, text.slice(0, 20)).to.be.at.most(host.clientWidth);
      expect(document.documentElement.scrollWidth).to.be.at.most(window.innerWidth);
    }
  });

  it('scrolls a long code line inside its block, not the row', () => {
    const { host, p } = mount('```\n' + 'x = 1; '.repeat(100) + '\n```', 240);
    const pre = p.querySelector('pre')!;
    expect(pre.scrollWidth).to.be.greaterThan(pre.clientWidth);
    expect(getComputedStyle(pre).overflowX).to.equal('auto');
    expect(p.scrollWidth).to.be.at.most(host.clientWidth);
  });
});
