/**
 * Look-alike names by Unicode's confusables (UTS #39 skeletons from the `unhomoglyph` data) and
 * the mixed-script check: the names a review used to pass as "Alice" and "Wendy" on screen
 * meet the real ones; different names do not.
 */
import { expect } from '@open-wc/testing';
import '../support/confusables.js';
import { confusables } from '../../src/store/confusables.js';
import {
  lookalikeKey,
  mixedScripts,
  scriptName,
  skeleton,
  visibleName,
} from '../../src/store/name-key.js';

describe('look-alike names (UTS #39)', () => {
  let key: (name: string) => string;
  before(async () => {
    const table = await confusables();
    key = (name) => lookalikeKey(name, table);
  });

  it("uses the whole of Unicode's data, not a few letters", async () => {
    const table = await confusables();
    expect(Object.keys(table).length).to.be.greaterThan(6000);
    // Straight from confusables.txt: Cherokee A, Armenian o, the m that is "rn".
    expect(skeleton('\u13AAlice', table)).to.equal(skeleton('Alice', table));
    expect(skeleton('B\u0585b', table)).to.equal('Bob');
    expect(skeleton('Simon', table)).to.equal(skeleton('Sirnon', table));
  });

  it("takes the review's impostor names for the real ones", () => {
    const pairs: Array<[string, string]> = [
      ['A\u04CFice', 'Alice'], // Cyrillic palochka
      ['\u13AAlice', 'Alice'], // Cherokee A
      ['\u0410lice', 'Alice'], // Cyrillic A
      ['AIice', 'Alice'], // capital i
      ['B\u0585b', 'Bob'], // Armenian o
      ['VVendy', 'Wendy'],
      ['Alice\u3164', 'Alice'], // Hangul filler, invisible
      ['\u3164Al\u200Bice', 'Alice'], // and a zero-width space
      ['ALICE', 'alice'],
      // What a second review found passing: small capitals, modifier letters, punctuation.
      ['A\u029Fice', 'Alice'], // small capital L
      ['\u1D00\u029F\u026A\u1D04\u1D07', 'alice'],
      ['Alice\u02B9', 'Alice'], // modifier prime
      ['Alice\u02CA', 'Alice'],
      ['Bob\u02CB', 'Bob'],
      ['Alice.', 'Alice'],
      ['Alice_', 'Alice'],
    ];
    for (const [fake, real] of pairs) expect(key(fake), `${fake} / ${real}`).to.equal(key(real));
  });

  it('keeps different names apart', () => {
    const pairs: Array<[string, string]> = [
      ['Alice', 'Alicia'],
      ['Alice', 'Bob'],
      ['Wendy', 'Vendy'],
      ['Ann', 'Anna'],
      ['...', '!!!'], // nothing but marks: kept as they are
    ];
    for (const [a, b] of pairs) expect(key(a), `${a} / ${b}`).not.to.equal(key(b));
  });

  it('drops invisible characters from a name as seen', () => {
    expect(visibleName('  Alice\u3164 \u200D ')).to.equal('Alice');
    expect(visibleName('Ann  Lee')).to.equal('Ann Lee');
  });

  it('finds names that mix scripts, but not one script with common characters', () => {
    expect(mixedScripts('A\u04CFice')?.map(scriptName)).to.deep.equal(['Latin', 'Cyrillic']);
    expect(mixedScripts('\u13AAlice')?.map(scriptName)).to.deep.equal(['Cherokee', 'Latin']);
    for (const fine of ['Alice', 'José 2', 'Иван', '山田 やまだ', '김 金', 'O\u2019Brien'])
      expect(mixedScripts(fine), fine).to.equal(undefined);
  });
});
