import { expect } from '@open-wc/testing';
import {
  distinctWords,
  fold,
  MAX_WORD,
  MAX_WORDS,
  markRanges,
  queryTerms,
  wordsOf,
} from '../../src/store/search-terms.js';

/** The marked parts of `text`. */
const marked = (text: string, query: string) =>
  markRanges(text, queryTerms(query)).map(([s, e]) => text.slice(s, e));

describe('search words (search-terms)', () => {
  it('folds case and accents: Café, CAFÉ and cafe are one word', () => {
    expect(fold('Café')).to.equal('cafe');
    expect(wordsOf('CAFÉ Crème brûlée')).to.deep.equal(['cafe', 'creme', 'brulee']);
    // Decomposed input (e + combining acute) folds the same as precomposed.
    expect(wordsOf('cafe\u0301')).to.deep.equal(['cafe']);
    expect(wordsOf('ＡＢＣ ﬁne Ǆ')).to.deep.equal(['abc', 'fine', 'dz']);
    expect(wordsOf('Ἀθῆναι Straße İstanbul')).to.deep.equal(['αθηναι', 'straße', 'istanbul']);
  });

  it('splits on anything but letters and digits', () => {
    expect(wordsOf("l'été, 2024-05: re-send!! (ok)")).to.deep.equal([
      'l',
      'ete',
      '2024',
      '05',
      're',
      'send',
      'ok',
    ]);
    expect(wordsOf('   ...  ')).to.deep.equal([]);
  });

  it('survives emoji, CJK and very long words, and bounds what it keeps', () => {
    expect(wordsOf('👍🏽 hello 👨‍👩‍👧 world 🎉')).to.deep.equal(['hello', 'world']);
    expect(wordsOf('東京タワーに行きました')).to.deep.equal(['東京タワーに行きました']);
    // Hangul decomposes into its letters (jamo): a query folds the same way, so it still matches.
    const [seoul] = wordsOf('서울');
    expect(seoul!.normalize('NFC')).to.equal('서울');
    expect(seoul!.startsWith(wordsOf('서')[0]!)).to.equal(true);
    const long = wordsOf('x'.repeat(10_000))[0]!;
    expect(long.length).to.equal(MAX_WORD);
    // A cut never splits a surrogate pair (𠀀 is one letter in two code units).
    const astral = wordsOf('a' + '𠀀'.repeat(40))[0]!;
    expect(astral.length).to.be.at.most(MAX_WORD);
    expect(/[\ud800-\udbff]$/.test(astral)).to.equal(false);
    const many = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    expect(distinctWords(many)).to.have.length(MAX_WORDS);
    expect(distinctWords('a b a B')).to.deep.equal(['a', 'b']);
  });

  it('makes query terms: distinct, folded, longest first, prefixes of others dropped', () => {
    expect(queryTerms('Ca CAFÉ crème')).to.deep.equal(['creme', 'cafe']);
    expect(queryTerms('  ,, ')).to.deep.equal([]);
    expect(queryTerms('the the THE')).to.deep.equal(['the']);
    expect(queryTerms('a b c d e f g h i j k')).to.have.length(8);
  });

  it('marks whole words of the original text that begin with a term', () => {
    expect(marked('Le Café est CAFÉINÉ, pas le cacao', 'cafe')).to.deep.equal(['Café', 'CAFÉINÉ']);
    const text = 'Un cafe\u0301 noir';
    expect(markRanges(text, queryTerms('CAFÉ'))).to.deep.equal([[3, 8]]);
    expect(marked('Nothing here matches', 'zebra')).to.deep.equal([]);
    expect(marked('plan the lunch, lunchtime!', 'lun pla')).to.deep.equal([
      'plan',
      'lunch',
      'lunchtime',
    ]);
    expect(markRanges('anything', [])).to.deep.equal([]);
    expect(marked('👍 東京タワー 👍', '東京')).to.deep.equal(['東京タワー']);
  });
});
