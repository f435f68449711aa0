/**
 * The room list inside `<parley-chat>`: typed names made rooms with their titles, a draft per
 * room kept across switches through the list, and where the list is not shown.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import {
  chatDbs,
  loginOf,
  memoryFactory,
  mountChat,
  register,
  shadow,
  shownMessages,
  typeAndEnter,
} from './chat-helpers.js';

/** A chat that picks its room from the address, as a page of its own would. */
async function pageChat(hub: MemoryHub, db: string, rooms?: string) {
  location.hash = '#room=lobby';
  return fixture<ParleyChat>(
    html`<parley-chat
      style="height: 500px; width: 1100px"
      db-name=${db}
      transport="memory"
      rooms=${rooms ?? 'list'}
      .transportFactory=${memoryFactory(hub)}
    ></parley-chat>`,
  );
}

const roomList = (chat: ParleyChat) => shadow(chat).querySelector('parley-rooms');
/** The titles in the list (none while its element is still loading). */
const titles = (chat: ParleyChat) =>
  [...(roomList(chat)?.shadowRoot?.querySelectorAll('.title') ?? [])].map((t) =>
    t.textContent!.trim(),
  );
/** The quiet lines of the conversation. */
const linesOf = (chat: ParleyChat) =>
  [...shadow(shadow(chat).querySelector('parley-messages')!).querySelectorAll('.line')].map((l) =>
    l.textContent!.trim(),
  );
const SHARED = "This room's history was shared with you by the members here";
const PUBLIC = "Anyone who knows this room's name can join and read its history";
const field = (chat: ParleyChat) =>
  shadow(shadow(chat).querySelector('parley-composer')!).querySelector('textarea')!;

/** The top bar's "New room" form, once its element is loaded. */
async function roomForm(chat: ParleyChat) {
  await customElements.whenDefined('parley-new-room');
  const form = shadow(chat).querySelector('parley-new-room')!;
  await form.updateComplete;
  return form;
}

/** Types `typed` in the top bar's room form and submits it: a public room unless told. */
async function join(chat: ParleyChat, typed: string, isPublic = true) {
  const form = await roomForm(chat);
  const box = shadow(form).querySelector<HTMLInputElement>('input[type=checkbox]')!;
  if (box.checked !== isPublic) box.click();
  await form.updateComplete;
  const input = shadow(form).querySelector<HTMLInputElement>('input[name=room]')!;
  input.value = typed;
  input.form!.requestSubmit();
  await chat.updateComplete;
}

async function pick(chat: ParleyChat, title: string) {
  await waitUntil(() => titles(chat).includes(title), `${title} in the list`, { timeout: 5000 });
  const buttons = [...shadow(roomList(chat)!).querySelectorAll<HTMLButtonElement>('button.open')];
  buttons.find((b) => b.querySelector('.title')!.textContent!.trim() === title)!.click();
  await waitUntil(
    () => shadow(chat).querySelector('h1')!.textContent!.includes(title),
    `${title} on screen`,
  );
}

describe('<parley-chat> room list', function () {
  this.timeout(20000);
  const newDb = chatDbs();
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('makes typed names rooms, keeping what was typed as the title', async () => {
    const chat = await pageChat(new MemoryHub(), newDb());
    await register(chat, 'Ann');
    await waitUntil(() => titles(chat).includes('lobby'), 'the list', { timeout: 5000 });
    await join(chat, 'Design Team');
    expect(location.hash).to.equal('#room=design-team');
    await waitUntil(() => titles(chat)[0] === 'Design Team', 'Design Team first');
    expect(shadow(chat).querySelector('h1')!.textContent!.replace(/\s+/g, '')).to.equal(
      '#DesignTeam',
    );
    await join(chat, '#Ops');
    expect(location.hash).to.equal('#room=ops');
    await waitUntil(() => titles(chat).join() === 'Ops,Design Team,lobby', titles(chat).join());
    await join(chat, '###');
    expect(chat.shadowRoot!.textContent).to.contain('a room name needs a letter or a digit');
    await expect(chat).to.be.accessible();
  });

  it('makes a private room by default from the top bar and from the list, titled as typed', async () => {
    const chat = await pageChat(new MemoryHub(), newDb());
    await register(chat, 'Ann');
    await waitUntil(() => titles(chat).includes('lobby'), 'the list', { timeout: 5000 });
    const form = await roomForm(chat);
    const submit = () => shadow(form).querySelector('button[type=submit]')!.textContent!.trim();
    expect(submit(), 'private: Create').to.equal('Create');
    await join(chat, 'Design Team', false);
    await waitUntil(() => titles(chat)[0] === 'Design Team', 'Design Team listed', {
      timeout: 5000,
    });
    // Not the name anyone can type: an unguessable room of its own.
    expect(chat.shadowRoot!.querySelector('h1')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      '#Design Team',
    );
    expect(location.hash).not.to.contain('design-team');
    const lock = shadow(chat).querySelector('[part~="encrypted"]');
    expect(lock?.getAttribute('aria-label'), 'a private room is encrypted').to.equal(
      'End-to-end encrypted',
    );
    // The list's "New room": the same form, private unless ticked.
    const list = roomList(chat)!;
    const newRoom = shadow(list).querySelector<HTMLButtonElement>('button.new')!;
    expect(newRoom.textContent!.trim()).to.equal('New room');
    newRoom.click();
    await list.updateComplete;
    const listForm = shadow(list).querySelector('parley-new-room')!;
    await listForm.updateComplete;
    const fired = new Promise<CustomEvent>((resolve) =>
      listForm.addEventListener('parley-room-create', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    const name = shadow(listForm).querySelector<HTMLInputElement>('input[name=room]')!;
    expect(shadow(listForm).activeElement, 'the name field has the focus').to.equal(name);
    name.value = 'Ops';
    name.form!.requestSubmit();
    expect((await fired).detail).to.deep.equal({ title: 'Ops', public: false });
    await waitUntil(() => titles(chat)[0] === 'Ops', 'Ops listed first', { timeout: 5000 });
    expect(location.hash).not.to.contain('room=ops');
    await expect(chat).to.be.accessible();
  });

  it('tells a newcomer to a public room that its history was shared, and the others who came', async () => {
    const hub = new MemoryHub();
    const ann = await mountChat(hub, newDb(), 'design');
    await register(ann, 'Ann');
    await typeAndEnter(ann, 'agenda: ship it');
    await waitUntil(() => shownMessages(ann).length === 1, 'Ann wrote');
    const bob = await pageChat(hub, newDb());
    await register(bob, 'Bob');
    await waitUntil(() => titles(bob).includes('lobby'), 'the list', { timeout: 5000 });
    await join(bob, 'design');
    await waitUntil(
      () => shownMessages(bob).some((m) => m.text === 'agenda: ship it'),
      'the history reached Bob',
      { timeout: 5000 },
    );
    await waitUntil(() => linesOf(bob).includes(SHARED), 'the shared history said', {
      timeout: 5000,
    });
    expect(linesOf(bob)).to.include(PUBLIC);
    // Ann was there: her history was not shared with her; she sees Bob come.
    await waitUntil(() => linesOf(ann).includes('Bob joined'), 'Bob joined', { timeout: 5000 });
    expect(linesOf(ann)).not.to.include(SHARED);
  });

  it('names the room in Settings as the header does, by the title typed', async () => {
    const chat = await pageChat(new MemoryHub(), newDb());
    await register(chat, 'Ann');
    await join(chat, 'Design Team');
    await waitUntil(() => titles(chat)[0] === 'Design Team', 'Design Team listed', {
      timeout: 5000,
    });
    shadow(chat).querySelector<HTMLButtonElement>('[part~="settings-button"]')!.click();
    const heading = () =>
      shadow(chat).querySelector('parley-room-lock')?.shadowRoot?.querySelector('h3')?.textContent;
    await waitUntil(() => heading() !== undefined, 'the room in Settings', { timeout: 5000 });
    expect(heading()!.trim()).to.equal('Encryption of #Design Team');
  });

  it('puts the focus in the message box once a room is chosen in the list', async () => {
    const chat = await pageChat(new MemoryHub(), newDb());
    await register(chat, 'Ann');
    await join(chat, 'Design Team');
    await waitUntil(() => titles(chat).includes('lobby'), 'lobby listed', { timeout: 5000 });
    // As a person does it: the room's button takes the focus, then is pressed.
    const lobby = [
      ...shadow(roomList(chat)!).querySelectorAll<HTMLButtonElement>('button.open'),
    ].find((b) => b.querySelector('.title')!.textContent!.trim() === 'lobby')!;
    lobby.focus();
    await pick(chat, 'lobby');
    const box = field(chat);
    await waitUntil(
      () =>
        box.getRootNode() instanceof ShadowRoot &&
        (box.getRootNode() as ShadowRoot).activeElement === box,
      'the message box has the focus',
    );
  });

  it('keeps a draft per room when switching through the list, sending only where it is', async () => {
    const hub = new MemoryHub();
    const chat = await pageChat(hub, newDb());
    await register(chat, 'Ann');
    await join(chat, 'Design Team');
    await waitUntil(() => titles(chat).includes('lobby'), 'lobby listed', { timeout: 5000 });
    const box = field(chat);
    box.value = 'half a thought for design';
    box.dispatchEvent(new Event('input'));
    await pick(chat, 'lobby');
    expect(field(chat).value, 'the draft stays behind').to.equal('');
    await typeAndEnter(chat, 'hello lobby');
    await waitUntil(
      () => shownMessages(chat).some((m) => m.text === 'hello lobby'),
      'sent in the lobby',
    );
    await pick(chat, 'Design Team');
    await waitUntil(() => field(chat).value === 'half a thought for design', 'the draft is back');
    expect(shownMessages(chat).map((m) => m.text)).to.not.include('hello lobby');
  });

  it('never hands one account’s half-written message to the next one on this browser', async () => {
    const chat = await pageChat(new MemoryHub(), newDb());
    await register(chat, 'Alice');
    const box = field(chat);
    box.value = 'alice: my bank PIN is 1234';
    box.dispatchEvent(new Event('input'));
    shadow(chat)
      .querySelectorAll<HTMLButtonElement>('button')
      .forEach((b) => b.textContent!.trim() === 'Log out' && b.click());
    await waitUntil(() => loginOf(chat).open, 'logged out');
    expect(field(chat).value, 'not left in the page while logged out').to.equal('');
    await register(chat, 'Bobby');
    expect(field(chat).value, 'not in the next account’s composer').to.equal('');
  });

  it('shows no list with rooms="none" or a room fixed by the page', async () => {
    const none = await pageChat(new MemoryHub(), newDb(), 'none');
    await register(none, 'Ann');
    await none.updateComplete;
    expect(roomList(none)).to.equal(null);
    const fixed = await mountChat(new MemoryHub(), newDb(), 'support');
    await register(fixed, 'Bob');
    await fixed.updateComplete;
    expect(roomList(fixed)).to.equal(null);
  });
});
