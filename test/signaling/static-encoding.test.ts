/**
 * The pure rules under the static server's answers: which coding a hostile or odd
 * `Accept-Encoding` gets, and which file names count as hashed (cached for a year).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isHashed } from '../../signaling/static.js';
import { chooseCoding } from '../../signaling/static-encoding.js';

describe('chooseCoding', () => {
  it('skips malformed items instead of guessing', () => {
    assert.equal(chooseCoding('br;q=2, gzip'), 'gzip', 'q above 1');
    assert.equal(chooseCoding('br;q=0.0001, gzip;q=0.5'), 'gzip', 'four decimals');
    assert.equal(chooseCoding('br;level=3, gzip'), 'gzip', 'unknown parameter');
    assert.equal(chooseCoding('b r, gzip'), 'gzip', 'not a token');
    assert.equal(chooseCoding(';;;,,,'), 'identity');
    assert.equal(chooseCoding('BR;Q=0.9, GZIP;Q=0.8'), 'br', 'names and q are case-blind');
  });

  it('reads a coding named twice by its first mention', () => {
    assert.equal(chooseCoding('br;q=0, gzip, br'), 'gzip');
  });

  it('joins repeated header lines as one list', () => {
    assert.equal(chooseCoding(['gzip;q=0.5', 'br;q=0.4']), 'gzip');
  });

  it('offers only the forms the file has', () => {
    assert.equal(chooseCoding('br, gzip', ['gzip']), 'gzip');
    assert.equal(chooseCoding('br', ['gzip']), 'identity');
  });

  it('reads a bounded prefix of a huge header', () => {
    const huge = `${'x;q=0.1, '.repeat(200_000)}br`;
    assert.equal(chooseCoding(huge), 'identity', 'the br past the bound is not read');
    assert.equal(chooseCoding(`br, ${huge}`), 'br');
  });
});

describe('isHashed', () => {
  it('knows content-named files from names sites embed', () => {
    for (const name of [
      'assets/index-hSfdFGZL.js',
      'assets/anything.css',
      'lib/api-BPaXDeD8.js',
      'lib/parley-login-B_JT1P_O.js',
      'lib/connection-define-D30MReW-.js',
      'lib/api-BPaXDeD8.js.map',
    ]) {
      assert.ok(isHashed(join(...name.split('/'))), name);
    }
    for (const name of [
      'index.html',
      'sw.js',
      'lib/parley.js',
      'lib/elements.js',
      'lib/custom-elements.json',
      'lib/settings-controls.js',
      'lib/parley.js.map',
    ]) {
      assert.ok(!isHashed(join(...name.split('/'))), name);
    }
  });
});
