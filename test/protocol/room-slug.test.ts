/** Room names from what people type: the examples, other scripts, and hostile input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { RoomNameSchema } from '../../src/protocol/fields.js';
import { MAX_ROOM } from '../../src/protocol/limits.js';
import { slugRoom } from '../../src/protocol/room-slug.js';

/** The slug of `typed`, which must be a room name the protocol accepts. */
function valid(typed: string): string {
  const slug = slugRoom(typed);
  assert.ok(slug !== undefined, `${JSON.stringify(typed)} gives a name`);
  assert.ok(v.is(RoomNameSchema, slug), `${JSON.stringify(slug)} is a valid room name`);
  return slug;
}

describe('slugRoom', () => {
  it('makes the names people type into room names', () => {
    assert.equal(valid('Design Team'), 'design-team');
    assert.equal(valid('#design'), 'design');
    assert.equal(valid('  ## Design   Team  '), 'design-team');
    assert.equal(valid('release_notes__v2'), 'release-notes-v2');
    assert.equal(valid('v1.2...3'), 'v1.2.3');
    assert.equal(valid('a - . - b'), 'a-b');
  });

  it('keeps letters and digits of any script', () => {
    assert.equal(valid('Café Crème'), 'café-crème');
    assert.equal(valid('日本語 チーム'), '日本語-チーム');
    assert.equal(valid('Команда Дизайна'), 'команда-дизайна');
    assert.equal(valid('שלום עולם'), 'שלום-עולם');
    // NFKC: full-width letters and an ideographic space are ordinary ones.
    assert.equal(valid('Ｄｅｓｉｇｎ　Ｔｅａｍ'), 'design-team');
    // Composed and decomposed forms are one room.
    assert.equal(valid('Cafe\u0301'), valid('Caf\u00e9'));
  });

  it('drops what a room name may not hold, and says when nothing is left', () => {
    assert.equal(slugRoom('###'), undefined);
    assert.equal(slugRoom('!!!'), undefined);
    assert.equal(slugRoom(''), undefined);
    assert.equal(slugRoom('   '), undefined);
    assert.equal(slugRoom('-._-.'), undefined);
    assert.equal(slugRoom('🎉🎉'), undefined);
    assert.equal(valid('🎉 party 🎉'), 'party');
    assert.equal(valid('rock&roll!'), 'rockroll');
    assert.equal(valid('<script>alert(1)</script>'), 'scriptalert1script');
  });

  it('drops invisible marks: zero-width characters, direction marks and overrides', () => {
    assert.equal(valid('de\u200bsign\u200d'), 'design');
    assert.equal(valid('\u200f#design\u200e'), 'design');
    assert.equal(valid('\u202eteam\u202c'), 'team');
    assert.equal(valid('\ufeffdesign'), 'design');
    assert.equal(slugRoom('\u200b\u200c\u200d\u2060'), undefined);
  });

  it('cuts very long input to the longest room name, never inside a character', () => {
    assert.equal(valid('x'.repeat(10_000)).length, MAX_ROOM);
    // 63 letters then a word break: the cut must not end on '-'.
    assert.equal(valid(`${'a'.repeat(63)} bcd`), 'a'.repeat(63));
    // Letters outside the BMP are two code units each: 32 fit, not a lone half of the 33rd.
    const wide = valid('𠀀'.repeat(40));
    assert.equal(wide, '𠀀'.repeat(32));
    const odd = valid(`a${'𠀀'.repeat(40)}`);
    assert.equal(odd, `a${'𠀀'.repeat(31)}`);
    // A megabyte of separators and junk ends quickly and empty.
    assert.equal(slugRoom(' -_.!'.repeat(200_000)), undefined);
  });
});
