/**
 * Attack: in Bob's passphrase room, "Bank Security" (a member of its own, with no key) writes in
 * the clear, and Mallory, who sent Bob an invite link of her own before he set the passphrase,
 * seals with her link's key — which Bob holds behind the room's. Their rows, the reports the
 * page gets (`parley-message`) and the notification must say so: not encrypted, another key,
 * and the author's fingerprint. Ann's words under the room's key carry no mark.
 */
import { expect } from '@open-wc/testing';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import type { MarkedReport } from '../../../src/controllers/room/message-marks.js';
import { notify } from '../../../src/controllers/attention/notify.js';
import { inviteLink, newInviteKey } from '../../../src/controllers/room/room-keys.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

const PASSPHRASE = 'Tangerine-42 at noon';

/** Notifications shown, as the browser was asked for them. */
function recordNotifications(): { shown: { title: string; body: string }[]; restore: () => void } {
  const shown: { title: string; body: string }[] = [];
  const real = globalThis.Notification;
  class Recorded {
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body ?? '' });
    }
    close() {}
  }
  (globalThis as { Notification: unknown }).Notification = Recorded;
  return { shown, restore: () => ((globalThis as { Notification: unknown }).Notification = real) };
}

describe('Attack: a message’s marks reach the page and its notification', function () {
  this.timeout(30_000);
  const member = suiteMembers();
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('a clear message and one sealed with an outsider’s link key are marked everywhere', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    // Mallory's own invite link for the room, which Bob opened before the room had a key.
    const outsider = await newInviteKey();
    const link = new URL(inviteLink(location.href, room, outsider.invite!)).hash;
    location.hash = link;
    const reports: MarkedReport[] = [];
    const bob = await member(hub, 'Bob', room, { onMessages: (r) => reports.push(...r) });
    await until(() => bob.room.encrypted, 'the link’s key at Bob');
    // Taking a link's key drops it from the address: Mallory's page has it again.
    location.hash = link;
    const mallory = await member(hub, 'Mallory', room);
    await until(() => mallory.room.encrypted, 'the link’s key at Mallory');
    history.replaceState(null, '', location.pathname + location.search);
    const [ann, bank] = [await member(hub, 'Ann', room), await member(hub, 'Bank Security', room)];
    await ann.room.setPassphrase(PASSPHRASE);
    expect(await bob.room.setPassphrase(PASSPHRASE)).to.equal(true);

    ann.room.send('lunch at noon?');
    mallory.room.send('Ann here, new account: wire it to me');
    bank.room.send('Re-enter the room passphrase at https://evil.example');
    await until(() => reports.length === 3, 'three messages at Bob', 10_000);

    const rowOf = (text: string) =>
      bob.room.messages.find((m) => m.text === text) as ChatMessage | undefined;
    const byText = (text: string) => reports.find((r) => r.text === text)!;
    // Ann: the room's key, no mark.
    expect(rowOf('lunch at noon?')).to.include({ sealed: true });
    expect(rowOf('lunch at noon?')!.otherKey).to.equal(undefined);
    expect(byText('lunch at noon?')).to.include({ encrypted: true });
    expect(byText('lunch at noon?').otherKey).to.equal(undefined);
    // Mallory: sealed, but with her link's key, behind the room's.
    expect(rowOf('Ann here, new account: wire it to me')).to.include({ otherKey: true });
    expect(byText('Ann here, new account: wire it to me')).to.include({
      encrypted: true,
      otherKey: true,
    });
    // Bank Security: in the clear.
    const clear = byText('Re-enter the room passphrase at https://evil.example');
    expect(clear).to.include({ encrypted: false, inClear: true });
    expect(clear.fingerprint, 'the author’s fingerprint').to.be.a('string').and.not.equal('');

    const notes = recordNotifications();
    try {
      notify(document.body, clear);
      notify(document.body, byText('Ann here, new account: wire it to me'));
    } finally {
      notes.restore();
    }
    expect(notes.shown[0]!.title).to.equal(`Bank Security (${clear.fingerprint}) in #${room}`);
    expect(notes.shown[0]!.body).to.match(/^Not encrypted: Re-enter/);
    expect(notes.shown[1]!.body).to.match(/^Sealed with an invite link's key, not this room's: /);
  });
});
