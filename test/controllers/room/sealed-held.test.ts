/**
 * The budgets of sealed messages no key opens (sealed-held.ts) bound what arrives live, not the
 * room's history: a newcomer who has not typed the passphrase yet keeps every message of a
 * catch-up answer it asked for, and history read back from storage does not use up the live
 * budgets (before, 100 of 2,000 were kept and the rest never stored; after a reload the stored
 * ones refused every new sealed message).
 */
import { expect } from '@open-wc/testing';
import { HeldLedger, HELD_BUDGET } from '../../../src/controllers/room/sealed-held.js';
import type { StoredMessage } from '../../../src/store/schema.js';

/** A sealed message of `bytes` characters by `author`. */
const sealedMsg = (i: number, author = 'alice', bytes = 600): StoredMessage =>
  ({
    id: `${author}-${i}`,
    room: 'r',
    owner: 'me',
    from: { id: author, name: author, key: 'k' },
    ts: i,
    seq: i,
    body: { sealed: 'x'.repeat(bytes), kid: 'k1' },
    sig: `sig-${i}`,
    status: 'received',
  }) as unknown as StoredMessage;

describe('sealed messages held aside', () => {
  it('keeps all of a catch-up answer we asked for in a room with no key', () => {
    const ledger = new HeldLedger();
    let kept = 0;
    for (let i = 0; i < 2000; i++) if (ledger.hold(sealedMsg(i), false, 'asked')) kept++;
    expect(kept).to.equal(2000);
    // A live one still fits its own budgets.
    expect(ledger.hold(sealedMsg(0, 'bob'), false, 'live')).to.equal(true);
  });

  it('does not let history read back from storage use up the live budgets', () => {
    const ledger = new HeldLedger();
    for (let i = 0; i < 2000; i++)
      expect(ledger.hold(sealedMsg(i), false, 'stored')).to.equal(true);
    expect(ledger.hold(sealedMsg(1, 'bob'), false, 'live')).to.equal(true);
  });

  it('holds live junk to the budgets: count and bytes without a key, per author with one', () => {
    const keyless = new HeldLedger();
    let kept = 0;
    for (let i = 0; i < 500; i++)
      if (keyless.hold(sealedMsg(i, `junk${i}`, 100), false, 'live')) kept++;
    expect(kept).to.equal(HELD_BUDGET.keylessCount);
    const big = new HeldLedger();
    kept = 0;
    for (let i = 0; i < 50; i++)
      if (big.hold(sealedMsg(i, `junk${i}`, 33_000), false, 'live')) kept++;
    expect(kept).to.equal(Math.floor(HELD_BUDGET.keylessBytes / 33_050));
    const keyed = new HeldLedger();
    kept = 0;
    for (let i = 0; i < 50; i++)
      if (keyed.hold(sealedMsg(i, 'mallory', 33_000), true, 'live')) kept++;
    expect(kept).to.equal(Math.floor(HELD_BUDGET.authorBytes / 33_050));
    // What a key opened leaves the budgets: room for another.
    keyed.delete('mallory-0');
    expect(keyed.hold(sealedMsg(99, 'mallory', 33_000), true, 'live')).to.equal(true);
  });

  it('never holds more than the overall count, however they came', () => {
    const ledger = new HeldLedger({ ...HELD_BUDGET, count: 10 });
    let kept = 0;
    for (let i = 0; i < 20; i++) if (ledger.hold(sealedMsg(i), true, 'asked')) kept++;
    expect(kept).to.equal(10);
  });
});
