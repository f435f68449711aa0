/**
 * A message written while its room is still opening (its keys and history loading — a room
 * switch from the room list, a slow disk) waits for the room: it is sent once the room is
 * open, sealed with the room's key, never in the clear and never refused.
 */
import { expect } from '@open-wc/testing';
import { MemoryHub } from '../../../src/transport/memory.js';
import { uniqueDbName } from '../../support/db.js';
import { suiteMembers, until } from '../room-harness.js';

const PASSPHRASE = 'correct horse battery staple';

/** Keeps a read-write transaction on `store` of database `name` open until released. */
function holdStore(name: string, store: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(store, 'readwrite');
      let held = true;
      // A transaction lives while it has requests: chain reads until released.
      const spin = () => {
        if (held) tx.objectStore(store).count().onsuccess = spin;
      };
      spin();
      tx.oncomplete = () => db.close();
      resolve(() => (held = false));
    };
  });
}

describe('a room still opening', function () {
  this.timeout(30000);
  const member = suiteMembers();

  it('sends what was written meanwhile once it is open, sealed with the room key', async () => {
    const hub = new MemoryHub();
    const dbName = uniqueDbName();
    let room = 'vault';
    const ann = await member(hub, 'Ann', room, { fixedRoom: () => room }, dbName);
    expect(await ann.room.setPassphrase(PASSPHRASE)).to.equal(true);
    room = 'lobby';
    ann.room.openRoom(room);
    await until(() => ann.room.room === 'lobby' && !ann.room.encrypted, 'in the lobby');
    await until(() => ann.transport.state === 'open', 'lobby joined');

    // Back to the encrypted room while its keys cannot load yet.
    const release = await holdStore(dbName, 'roomKeys');
    room = 'vault';
    ann.room.openRoom(room);
    await new Promise((r) => setTimeout(r, 50));
    expect(ann.room.send('written while the room opened'), 'taken, not refused').to.equal(true);
    expect(ann.room.error).to.equal(undefined);
    release();

    await until(
      () => ann.room.messages.some((m) => m.text === 'written while the room opened'),
      'sent once open',
    );
    const db = await ann.session.db!;
    await until(() => ann.room.saving === 0, 'stored');
    const stored = (await db.getAll('messages')).filter((m) => m.room === 'vault');
    expect(stored).to.have.length(1);
    expect('text' in stored[0]!.body, 'sealed, never in the clear').to.equal(false);
  });
});
