import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../../src/components/rooms/rooms-define.js';
import type { ParleyRooms, RoomItem } from '../../../src/components/rooms/parley-rooms.js';

const ROOMS: RoomItem[] = [
  {
    room: 'design-team',
    title: 'Design Team',
    unread: 3,
    last: { author: 'Ann', text: 'new logo?', ts: 3 },
  },
  { room: 'lobby', title: 'lobby', unread: 0, last: { author: 'Bob', text: 'hi', ts: 2 } },
  { room: 'ops', title: 'ops', unread: 250 },
];

async function list(current = 'lobby', rooms = ROOMS) {
  return fixture<ParleyRooms>(
    html`<parley-rooms .rooms=${rooms} current=${current}></parley-rooms>`,
  );
}

const buttons = (el: ParleyRooms) => [
  ...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.open'),
];
const named = (el: ParleyRooms, name: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => b.textContent!.replace(/\s+/g, ' ').trim() === name,
  );

describe('parley-rooms', () => {
  it('lists the rooms in the order given, with titles, unread counts and the last message', async () => {
    const el = await list();
    const texts = buttons(el).map((b) => b.textContent!.replace(/\s+/g, ' ').trim());
    expect(texts).to.deep.equal([
      'Design Team 3 unread Ann: new logo?',
      'lobby Bob: hi',
      'ops 99+ unread',
    ]);
  });

  it('marks the room on screen and shows no count on it', async () => {
    const el = await list('design-team');
    const [design, lobby] = buttons(el);
    expect(design!.getAttribute('aria-current')).to.equal('true');
    expect(lobby!.hasAttribute('aria-current')).to.equal(false);
    expect(design!.querySelector('.unread')).to.equal(null);
  });

  it('asks to open a room', async () => {
    const el = await list();
    setTimeout(() => buttons(el)[2]!.click());
    const e = await oneEvent(el, 'parley-room-select');
    expect(e.detail).to.deep.equal({ room: 'ops' });
  });

  it('offers "Copy invite link" and "Leave room" for the room on screen only', async () => {
    const el = await list('lobby');
    expect(el.shadowRoot!.querySelectorAll('.tools')).to.have.length(1);
    expect(el.shadowRoot!.querySelector('li.current .tools')).to.not.equal(null);
    setTimeout(() => named(el, 'Copy invite link')!.click());
    const e = await oneEvent(el, 'parley-room-invite');
    expect(e.detail).to.deep.equal({ room: 'lobby' });
  });

  it('asks whether to keep the messages before leaving, and says which', async () => {
    const el = await list('lobby');
    named(el, 'Leave room')!.click();
    await el.updateComplete;
    const form = el.shadowRoot!.querySelector('form.leave-dialog')!;
    expect(form.textContent).to.contain('Leave lobby?');
    const keep = form.querySelector<HTMLInputElement>('input[value="keep"]')!;
    expect(keep.checked, 'keeping is the default').to.equal(true);
    form.querySelector<HTMLInputElement>('input[value="delete"]')!.click();
    setTimeout(() => form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    const e = await oneEvent(el, 'parley-room-leave');
    expect(e.detail).to.deep.equal({ room: 'lobby', deleteHistory: true });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('form.leave-dialog')).to.equal(null);
  });

  it('cancels leaving with Escape and gives the focus back to "Leave room"', async () => {
    const el = await list('lobby');
    const leave = named(el, 'Leave room')!;
    leave.click();
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    const radio = el.shadowRoot!.querySelector<HTMLInputElement>('.leave-dialog input')!;
    expect(el.shadowRoot!.activeElement).to.equal(radio);
    radio.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    expect(el.shadowRoot!.querySelector('form.leave-dialog')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(named(el, 'Leave room'));
  });

  it('says where rooms will appear before there are any', async () => {
    const el = await list('lobby', []);
    expect(el.shadowRoot!.textContent).to.contain('Rooms you join are listed here.');
  });

  it('is accessible: a list, the room on screen, the leave question', async () => {
    const el = await list('lobby');
    await expect(el).to.be.accessible();
    named(el, 'Leave room')!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('makes every button at least 44 px tall on a phone (390 × 844)', async () => {
    const size = { width: window.innerWidth, height: window.innerHeight };
    await setViewport({ width: 390, height: 844 });
    try {
      const el = await list();
      named(el, 'Leave room')!.click();
      await el.updateComplete;
      named(el, 'New room')!.click();
      await el.updateComplete;
      const form = el.shadowRoot!.querySelector('parley-new-room')!;
      await form.updateComplete;
      const all = [
        ...el.shadowRoot!.querySelectorAll<HTMLElement>('button'),
        ...form.shadowRoot!.querySelectorAll<HTMLElement>('button, input[type=text], label.public'),
      ];
      expect(all.length).to.be.at.least(9);
      for (const b of all) {
        const name = b.textContent!.replace(/\s+/g, ' ').trim() || b.localName;
        expect(b.getBoundingClientRect().height, name).to.be.at.least(44);
      }
    } finally {
      await setViewport(size);
    }
  });
});
