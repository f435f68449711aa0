/**
 * Hostile message texts against the formatter (parse-text.ts and its parts) and the search
 * index's words (search-terms.ts): the longest text a member may send or edit, built to make
 * a parser or an index do the most work. Each test fails if a bound goes: an edit longer than
 * a message, emphasis nested or paired without limit, a message adding words to the index
 * without limit, or parsing and highlighting that grow faster than the text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseText } from '../../src/components/messages/format/parse-text.js';
import type { Block, Inline } from '../../src/components/messages/format/tokens.js';
import { MAX_TEXT } from '../../src/protocol/limits.js';
import { readEvent } from '../../src/protocol/message-events.js';
import {
  distinctWords,
  markRanges,
  MAX_QUERY_TERMS,
  MAX_WORD,
  MAX_WORDS,
  queryTerms,
} from '../../src/store/search-terms.js';

/** How deeply `em`/`strong` nest in `tokens`. */
function depth(tokens: readonly Inline[]): number {
  let d = 0;
  for (const t of tokens) {
    if (typeof t !== 'object') continue;
    if ('em' in t) d = Math.max(d, 1 + depth(t.em));
    if ('strong' in t) d = Math.max(d, 1 + depth(t.strong));
  }
  return d;
}
/** Every `em`/`strong` token in `tokens`, nested ones included. */
function emphases(tokens: readonly Inline[]): number {
  let n = 0;
  for (const t of tokens) {
    if (typeof t !== 'object') continue;
    if ('em' in t) n += 1 + emphases(t.em);
    if ('strong' in t) n += 1 + emphases(t.strong);
  }
  return n;
}
const inlineOf = (blocks: Block[]) =>
  blocks.flatMap((b) => ('text' in b ? b.text : 'quote' in b ? b.quote : []));

/** The longest texts, each shaped against one part of the parser. */
const HOSTILE: Record<string, string> = {
  'one word': 'a'.repeat(MAX_TEXT),
  backticks: '`'.repeat(MAX_TEXT),
  'backtick runs of every length': Array.from({ length: 130 }, (_, i) => '`'.repeat(i + 1) + 'a')
    .join('')
    .slice(0, MAX_TEXT),
  'unclosed fences': '```js\n'.repeat(MAX_TEXT / 6),
  'quote lines between text lines': '> a\nb\n'.repeat(MAX_TEXT / 6),
  'closers with no opener': 'a* '.repeat(MAX_TEXT / 3),
  'nested openers then closers': '*a '.repeat(MAX_TEXT / 6) + 'b* '.repeat(MAX_TEXT / 6),
  'strong nesting': '**a '.repeat(MAX_TEXT / 8) + 'b** '.repeat(MAX_TEXT / 8),
  // Within the marker runs looked at: 50 openers, then 50 closers.
  'nested 50 deep': '*a '.repeat(50) + 'b* '.repeat(50),
  'alternating markers': '*_'.repeat(MAX_TEXT / 2),
  'URLs end to end': 'http://a.b/'.repeat(MAX_TEXT / 11),
  'Markdown links': '[a](http://x)'.repeat(MAX_TEXT / 13),
  'www names': 'www.a.b '.repeat(MAX_TEXT / 8),
  'at signs and dots': 'a@b.'.repeat(MAX_TEXT / 4),
  everything: '**`_> http://a.b* '.repeat(MAX_TEXT / 18),
};

describe('attack: hostile texts against the formatter', () => {
  it('an edit longer than a message is not an edit', () => {
    const target = `${'E'.repeat(22)}x`;
    assert.ok(readEvent('edit', { kind: 'edit', target, text: 'a'.repeat(MAX_TEXT) }));
    assert.equal(
      readEvent('edit', { kind: 'edit', target, text: 'a'.repeat(MAX_TEXT + 1) }),
      undefined,
    );
  });

  it('emphasis nests at most 6 deep and pairs a bounded number of markers', () => {
    for (const name of ['nested openers then closers', 'strong nesting', 'nested 50 deep']) {
      const tokens = inlineOf(parseText(HOSTILE[name]!));
      assert.ok(depth(tokens) <= 6, `${name}: nested ${depth(tokens)} deep`);
    }
    // 2,000 pairs of `*a*`: only the first marker runs are looked at (200: 100 pairs).
    const pairs = inlineOf(parseText('*a* '.repeat(MAX_TEXT / 4)));
    const n = emphases(pairs);
    assert.ok(n > 0 && n <= 100, `${n} emphases paired`);
    // The rest stays as typed: no character is lost.
    const flat = (t: readonly Inline[]): string =>
      t
        .map((x) =>
          typeof x === 'string'
            ? x
            : 'em' in x
              ? `*${flat(x.em)}*`
              : 'strong' in x
                ? `**${flat(x.strong)}**`
                : 'code' in x
                  ? x.code
                  : x.text,
        )
        .join('');
    assert.equal(flat(pairs), '*a* '.repeat(MAX_TEXT / 4));
  });

  it(`parses each of ${Object.keys(HOSTILE).length} longest hostile texts in bounded time`, () => {
    const times: string[] = [];
    let total = 0;
    for (const [name, text] of Object.entries(HOSTILE)) {
      assert.ok(text.length <= MAX_TEXT, name);
      const started = performance.now();
      parseText(text);
      const took = performance.now() - started;
      total += took;
      times.push(`${name} ${took.toFixed(1)} ms`);
      // Measured at most ~40 ms each (linkify-it on URLs) on a loaded 2-CPU machine.
      assert.ok(took < 2_000, `${name}: ${took.toFixed(0)} ms`);
    }
    assert.ok(total < 5_000, times.join('; '));
  });
});

describe('attack: hostile texts against the search index', () => {
  it(`a message adds at most ${MAX_WORDS} words of at most ${MAX_WORD} code units`, () => {
    const distinct = Array.from({ length: 1500 }, (_, i) => `w${i}`).join(' ');
    assert.ok(distinct.length <= MAX_TEXT);
    for (const text of [
      distinct,
      'a'.repeat(MAX_TEXT),
      '漢'.repeat(MAX_TEXT),
      '😀a'.repeat(2000),
    ]) {
      const words = distinctWords(text);
      assert.ok(words.length <= MAX_WORDS, `${words.length} words`);
      for (const w of words) {
        assert.ok(w.length <= MAX_WORD, `a word of ${w.length}`);
        // Never half a surrogate pair.
        assert.doesNotThrow(() => encodeURIComponent(w));
      }
    }
    assert.equal(distinctWords(distinct).length, MAX_WORDS);
  });

  it('a query keeps at most MAX_QUERY_TERMS words, and highlighting stays linear', () => {
    assert.ok(queryTerms('a b c d e f g h i j k l m n o p').length <= MAX_QUERY_TERMS);
    const text = 'a '.repeat(MAX_TEXT / 2);
    const started = performance.now();
    const ranges = markRanges(text, queryTerms('a b c d e f g h'));
    const took = performance.now() - started;
    assert.equal(ranges.length, MAX_TEXT / 2);
    // Measured ~10 ms.
    assert.ok(took < 2_000, `${took.toFixed(0)} ms`);
  });
});
