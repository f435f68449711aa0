/**
 * What the search index costs on disk: indexing a few thousand chat-like messages (ids and
 * owner as long as real ones) in a fresh database grows the origin's storage by at most a
 * bound per message, measured with `navigator.storage.estimate()`. The estimate counts the
 * database's files: at this size the write log may still hold everything uncompressed (the
 * most it grows: ~1,800–2,000 bytes a message measured) or part of it may be compacted already
 * (~870–1,100). With owner and id in every word's entry it was ~3,300 (the same test).
 */
import { expect } from '@open-wc/testing';
import { applyIn, type IndexedMessage } from '../../src/store/search-index.js';
import { freshDb } from '../support/db.js';

/** Most bytes of storage growth per message indexed (at most ~2,000 measured, with room). */
const BYTES_PER_MESSAGE = 2600;
const OWNER = '0b6c7d2e-51f4-4c3a-9e8b-7a6f5d4c3b2a';
const VOCAB = (
  'the a to and is it you that of in for on we this be are with have can just so but not ' +
  'what at meeting tomorrow deploy server release review branch lunch coffee thanks please ' +
  'issue fixed broken test build link docs later today morning call agenda notes budget'
).split(' ');

/** A made-up chat message `i`: 6 to 16 words, a 58-character id, a time a second apart. */
function message(i: number): IndexedMessage {
  let x = (i + 1) * 2654435761;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0), x);
  const words = Array.from({ length: 6 + (next() % 11) }, () => VOCAB[next() % VOCAB.length]);
  words.push(`w${next() % 5000}`);
  const id = `${i.toString(36).padStart(8, '0')}-${'f'.repeat(49)}`;
  const from = { id: 'ann', name: 'Ann' };
  return { kind: 'message', id, room: 'lobby', ts: 1.7e12 + i * 1000, from, text: words.join(' ') };
}

describe('the search index on disk', () => {
  it('grows storage by a bounded number of bytes per message', async function () {
    this.timeout(60_000);
    const { db, drop } = await freshDb();
    try {
      const n = 3000;
      const before = (await navigator.storage.estimate()).usage ?? 0;
      for (let i = 0; i < n; i += 500) {
        const tx = db.transaction(['searchDocs', 'searchPending'], 'readwrite');
        const items = Array.from({ length: 500 }, (_, k) => message(i + k));
        const docs = tx.objectStore('searchDocs');
        await applyIn(docs, tx.objectStore('searchPending'), OWNER, items);
        await tx.done;
      }
      const after = (await navigator.storage.estimate()).usage ?? 0;
      const perMessage = (after - before) / n;
      console.log(`search index: ${perMessage.toFixed(0)} bytes per message`);
      expect(await db.count('searchDocs')).to.equal(n);
      expect(perMessage).to.be.below(BYTES_PER_MESSAGE);
    } finally {
      await drop();
    }
  });
});
