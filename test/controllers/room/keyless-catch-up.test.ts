/**
 * A newcomer to a passphrase room who has not typed the passphrase yet keeps the whole history
 * a catch-up brings — sealed, unread, to open once the passphrase is typed — not only as much
 * as the budgets for sealed messages arriving live allow (100 in a room with no key: the rest
 * were never stored, and typing the passphrase showed only the newest 100).
 */
import { expect } from '@open-wc/testing';
import { MemoryHub } from '../../../src/transport/memory.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

const PASSPHRASE = 'correct horse battery staple';
const COUNT = 140;

describe('a newcomer without the key', function () {
  this.timeout(60000);
  const member = suiteMembers();

  it('keeps all of the sealed history it caught up, and reads it once the passphrase comes', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const ann = await member(hub, 'Ann', room);
    expect(await ann.room.setPassphrase(PASSPHRASE)).to.equal(true);
    for (let i = 0; i < COUNT; i++) expect(ann.room.send(`history ${i}`)).to.equal(true);
    await until(() => ann.room.messages.length === COUNT, 'all sent', 30000);
    const cat = await member(hub, 'Cat', room);
    await until(() => cat.room.messages.length === COUNT, 'all caught up, sealed', 30000);
    expect(cat.room.messages.every((m) => m.unreadable)).to.equal(true);
    expect(cat.room.refused.overBudget ?? 0).to.equal(0);
    expect(await cat.room.setPassphrase(PASSPHRASE)).to.equal(true);
    await until(() => cat.room.messages.every((m) => !m.unreadable), 'all opened', 30000);
    expect(cat.room.messages.map((m) => m.text)).to.deep.equal(
      ann.room.messages.map((m) => m.text),
    );
  });
});
