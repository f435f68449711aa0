/**
 * `history-max` on `<parley-chat>`: the room keeps that many messages in this browser, and the
 * Settings field shows the page's number, disabled.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { openParleyDb } from '../../../src/store/db.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import {
  chatDbs,
  connected,
  mountChat,
  register,
  shadow,
  shownMessages,
  typeAndEnter,
} from './chat-helpers.js';

/** How many messages database `name` holds for `room`, whoever owns them. */
async function storedIn(name: string, room: string): Promise<number> {
  const db = await openParleyDb(name);
  try {
    return (await db.getAll('messages')).filter((m) => m.room === room).length;
  } finally {
    db.close();
  }
}

describe('<parley-chat history-max>', function () {
  this.timeout(30000);
  const newDb = chatDbs();

  it('prunes the room to the attribute’s number, and Settings says the page set it', async () => {
    const hub = new MemoryHub();
    const [annDb, bobDb] = [newDb(), newDb()];
    const ann = await mountChat(hub, annDb, 'kept');
    ann.historyMax = 5;
    const bob = await mountChat(hub, bobDb, 'kept');
    await register(ann, 'Ann');
    await register(bob, 'Bob');
    await Promise.all([connected(ann), connected(bob)]);
    for (let i = 0; i < 12; i++) await typeAndEnter(bob, `bob ${i}`);
    await waitUntil(() => shownMessages(ann).length === 12, 'Ann sees all 12', { timeout: 8000 });
    let count = -1;
    await waitUntil(
      async () => (count = await storedIn(annDb, 'kept')) === 5,
      `Ann keeps 5 (has ${count})`,
      { timeout: 10000, interval: 200 },
    );
    expect(await storedIn(bobDb, 'kept'), 'Bob, without the attribute, keeps all').to.equal(12);

    const settings = shadow(ann).querySelector('parley-settings')!;
    [...shadow(ann).querySelectorAll<HTMLButtonElement>('header button')]
      .find((b) => b.textContent?.trim() === 'Settings')!
      .click();
    await waitUntil(() => shadow(settings).querySelector('dialog')?.open, 'settings open');
    const field = shadow(settings).querySelector<HTMLInputElement>('#history-max')!;
    expect(field.labels?.[0]?.textContent?.trim()).to.equal('Messages kept per room');
    expect([field.value, field.disabled]).to.deep.equal(['5', true]);
    expect(shadow(settings).querySelector('#history-max-hint')?.textContent?.trim()).to.equal(
      'Set by this page.',
    );
  });
});
