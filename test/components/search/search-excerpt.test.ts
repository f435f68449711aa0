/** The excerpt of a search result: cut around the first match, matches marked, ranges checked. */
import { expect } from '@open-wc/testing';
import {
  cleanMarks,
  excerpt,
  EXCERPT_REACH,
  type Run,
} from '../../../src/components/search/search-excerpt.js';

const joined = (runs: Run[]) => runs.map((r) => r.text).join('');
const marked = (runs: Run[]) => runs.filter((r) => r.mark).map((r) => r.text);

describe('search excerpt', () => {
  it('keeps a short text whole, marking each range', () => {
    const runs = excerpt('Café au lait, café noir', [
      [0, 4],
      [14, 18],
    ]);
    expect(runs).to.deep.equal([
      { text: 'Café', mark: true },
      { text: ' au lait, ', mark: false },
      { text: 'café', mark: true },
      { text: ' noir', mark: false },
    ]);
  });

  it('cuts a long text around the first match, between words, with "…"', () => {
    const before = 'lorem ipsum '.repeat(30);
    const after = ' dolor sit amet'.repeat(30);
    const text = `${before}needle${after}`;
    const at = before.length;
    const runs = excerpt(text, [[at, at + 6]]);
    const shown = joined(runs);
    expect(shown.startsWith('…')).to.equal(true);
    expect(shown.endsWith('…')).to.equal(true);
    expect(marked(runs)).to.deep.equal(['needle']);
    const inner = shown.slice(1, -1);
    expect(inner.length).to.be.at.most(2 * EXCERPT_REACH + 6);
    expect(inner.length).to.be.at.least(2 * EXCERPT_REACH + 6 - 2 * 16);
    // Whole words at both ends.
    expect(inner).to.match(/^(lorem|ipsum) /);
    expect(inner).to.match(/ (dolor|sit|amet)$/);
    expect(text.includes(inner)).to.equal(true);
  });

  it('marks only what is inside the window and starts at the beginning without a match', () => {
    const text = `${'a'.repeat(10)} first ${'b '.repeat(200)}last`;
    const runs = excerpt(text, [
      [11, 16],
      [text.length - 4, text.length],
    ]);
    expect(marked(runs)).to.deep.equal(['first']);
    const none = excerpt('x'.repeat(500), []);
    expect(joined(none)).to.equal(`${'x'.repeat(EXCERPT_REACH)}…`);
  });

  it('never cuts a character made of two code units in half', () => {
    // Both cuts (80 code units from the match) fall between the halves of an emoji.
    const text = `${'😀'.repeat(100)}zmatchz${'😀'.repeat(100)}`;
    const runs = excerpt(text, [[201, 206]]);
    const shown = joined(runs);
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    expect(lone.test(shown)).to.equal(false);
    expect(shown.startsWith('…😀')).to.equal(true);
    expect(shown.endsWith('😀…')).to.equal(true);
    expect(marked(runs)).to.deep.equal(['match']);
  });

  it('checks the ranges: outside, empty, reversed, overlapping and unordered ones', () => {
    expect(
      cleanMarks(10, [
        [8, 20],
        [-5, 2],
        [4, 4],
        [6, 3],
        [1, 3],
        [2.5, 4],
      ]),
    ).to.deep.equal([
      [0, 3],
      [8, 10],
    ]);
    expect(
      joined(
        excerpt('abcdef', [
          [1, 3],
          [2, 5],
        ]),
      ),
    ).to.equal('abcdef');
    expect(
      marked(
        excerpt('abcdef', [
          [1, 3],
          [2, 5],
        ]),
      ),
    ).to.deep.equal(['bcde']);
  });
});
