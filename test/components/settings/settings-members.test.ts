/**
 * Members in Settings' *This room*: "Remove from room", "Make admin" and "Change the room's
 * key" mark a change (the row says what Save will do; the same button takes it back), Cancel
 * forgets it, Save makes it — one key change for a removal, not two. The slotted parts as
 * `<parley-chat>` renders them, over a room whose member calls are recorded (the whole chain,
 * with real members and keys, is the removal e2e test).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import '../../../src/components/settings/settings-define.js';
import type { PresenceController } from '../../../src/controllers/presence/presence-controller.js';
import type { MemberEntry } from '../../../src/components/settings/settings-members.js';
import {
  SlottedParts,
  type SettingsRoom,
} from '../../../src/components/settings/settings-slotted.js';

const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

const member = (id: string, name: string, more: Partial<MemberEntry> = {}): MemberEntry => ({
  id,
  name,
  key: `key-${id}`,
  admin: false,
  creator: false,
  self: false,
  canRemove: true,
  ...more,
});

/** A room of Alice (who made it), Bob and Carol, recording what it is asked to do. */
function room(answers: { remove?: boolean } = {}) {
  const calls: string[] = [];
  const r: SettingsRoom = {
    room: 'x7f3kq9w2m4p8r6t',
    encrypted: true,
    locked: 0,
    refused: { forged: 0, conflicts: 0, malformed: 0, overBudget: 0 },
    error: undefined,
    roomKind: 'private',
    keyMismatch: undefined,
    members: [
      member('a', 'Alice', { creator: true, admin: true, self: true, canRemove: false }),
      member('b', 'Bob'),
      member('c', 'Carol'),
    ],
    canManage: true,
    setPassphrase: async () => true,
    previewPassphrase: async () => ({ opens: 0, sealed: 0 }),
    copyInviteLink: async () => undefined,
    removeMember: async (id) => (calls.push(`remove ${id}`), answers.remove ?? true),
    makeAdmin: async (id) => (calls.push(`admin ${id}`), true),
    changeKey: async () => (calls.push('rekey'), true),
  };
  return { r, calls };
}

/** The slotted parts rendered into a container, re-rendered on each update as the chat does. */
async function mount(r: SettingsRoom, roster: unknown[] = []) {
  const box = await fixture<HTMLDivElement>(html`<div></div>`);
  const shown: { parts?: SlottedParts } = {};
  const host = {
    addController: () => undefined,
    removeController: () => undefined,
    requestUpdate: () => shown.parts && render(shown.parts.render(), box),
    updateComplete: Promise.resolve(true),
  };
  const presence = { roster, contacts: undefined } as unknown as PresenceController;
  const parts = new SlottedParts(host, r, presence, () => 'Board');
  shown.parts = parts;
  host.requestUpdate();
  const lock = box.querySelector('parley-room-lock')!;
  await lock.updateComplete;
  return { parts, lock };
}

type Lock = HTMLElement & { updateComplete: Promise<boolean> };

/** The row of `name` in the list. */
const row = (lock: Lock, name: string) =>
  [...lock.shadowRoot!.querySelectorAll('li.member')].find((li) =>
    squash(li.querySelector('.member-name')?.textContent).startsWith(name),
  )!;

async function press(lock: Lock, where: Element | ShadowRoot, name: string) {
  const button = [...where.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => squash(b.textContent) === name,
  );
  if (!button) throw new Error(`no "${name}"`);
  button.click();
  await lock.updateComplete;
  return button;
}

describe("Settings' members: marked until Save", () => {
  it('marks a removal, takes it back, and Cancel forgets it: nobody is removed', async () => {
    const { r, calls } = room();
    const { parts, lock } = await mount(r);
    expect(squash(row(lock, 'Alice').textContent)).to.equal('Alice (you, made the room)');
    expect(row(lock, 'Alice').querySelectorAll('button').length, 'nothing to do to us').to.equal(0);
    const button = await press(lock, row(lock, 'Carol'), 'Remove from room');
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(squash(row(lock, 'Carol').textContent)).to.contain(
      'Will be removed when you save — a new room key goes to everyone else.',
    );
    await press(lock, row(lock, 'Carol'), 'Remove from room');
    expect(squash(row(lock, 'Carol').textContent)).not.to.contain('Will be removed');
    await press(lock, row(lock, 'Carol'), 'Remove from room');
    parts.forget(); // what Cancel does
    await lock.updateComplete;
    expect(squash(row(lock, 'Carol').textContent)).not.to.contain('Will be removed');
    expect(await parts.apply(), 'a Save after Cancel').to.equal(true);
    expect(calls).to.deep.equal([]);
  });

  it('Save makes admins, then removals, with one new key for a removal', async () => {
    const { r, calls } = room();
    const { parts, lock } = await mount(r);
    await press(lock, row(lock, 'Bob'), 'Make admin');
    expect(squash(row(lock, 'Bob').textContent)).to.contain('Will be admin when you save.');
    await press(lock, row(lock, 'Carol'), 'Remove from room');
    await press(lock, lock.shadowRoot!, "Change the room's key");
    expect(await parts.apply()).to.equal(true);
    expect(calls).to.deep.equal(['admin b', 'remove c']);
    await lock.updateComplete;
    expect(squash(lock.shadowRoot!.textContent)).not.to.contain('when you save');
  });

  it('Save changes the key when that alone was asked', async () => {
    const { r, calls } = room();
    const { parts, lock } = await mount(r);
    const button = await press(lock, lock.shadowRoot!, "Change the room's key");
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(await parts.apply()).to.equal(true);
    expect(calls).to.deep.equal(['rekey']);
  });

  it('says, as an alert, what could not be done', async () => {
    const { r } = room({ remove: false });
    const { parts, lock } = await mount(r);
    await press(lock, row(lock, 'Carol'), 'Remove from room');
    expect(await parts.apply()).to.equal(false);
    await lock.updateComplete;
    const alert = lock.shadowRoot!.querySelector('[role=alert]');
    await waitUntil(() => alert?.textContent?.includes('Could not remove'), 'no alert');
    expect(squash(alert!.textContent)).to.equal('Could not remove Carol.');
  });

  it('shows the short fingerprint of a member here now, to tell namesakes apart', async () => {
    const { r } = room();
    const here = { key: 'key-c', name: 'Carol', trust: { fingerprint: '48213' } };
    const { lock } = await mount(r, [here]);
    expect(squash(row(lock, 'Carol').querySelector('.member-name')?.textContent)).to.equal(
      'Carol 48213',
    );
    expect(squash(row(lock, 'Bob').querySelector('.member-name')?.textContent)).to.equal('Bob');
  });
});
