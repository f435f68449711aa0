import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import {
  FULL_RENDER_MAX,
  ParleyMessages,
} from '../../../src/components/messages/parley-messages.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

const T0 = Date.UTC(2025, 0, 6, 9, 0);
// Views never verify: one fixed key serves every author (their ids tell them apart).
const ME = { id: 'me', name: 'Mallory', key: TEST_AUTHOR.key };
const BOB = { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key };
/** Message `i`: a minute after message `i - 1`; every third is ours. */
const msg = (i: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${String(i).padStart(6, '0')}`,
  room: 'lobby',
  from: i % 3 === 0 ? ME : BOB,
  ts: T0 + i * 60_000,
  seq: i,
  sig: SIGNATURE_SHAPED,
  body: { text: `message #${i}` },
  text: `message #${i}`,
  owner: 'me',
  status: i % 3 === 0 ? 'sent' : 'received',
  ...extra,
});
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => msg(from + k));

async function mount(
  messages: ChatMessage[],
  more = false,
  onOlder = () => {},
): Promise<ParleyMessages> {
  const el = await fixture<ParleyMessages>(
    html`<parley-messages
      style="height: 400px; width: 600px"
      self="me"
      ?more=${more}
      .messages=${messages}
      @parley-load-older=${onOlder}
    ></parley-messages>`,
  );
  await settle();
  return el;
}

/** A few frames: enough for the virtualizer to measure rows and settle its pins. */
const settle = async (frames = 6) => {
  for (let i = 0; i < frames; i++) await new Promise((r) => requestAnimationFrame(r));
};
const root = (el: ParleyMessages) => el.shadowRoot!;
const rowOf = (el: ParleyMessages, id: string) =>
  root(el).querySelector<HTMLElement>(`li.msg[data-id="${id}"]`);
/** Where a row's top sits relative to the element's visible top, in px. */
const topOf = (el: ParleyMessages, id: string) =>
  rowOf(el, id)!.getBoundingClientRect().top -
  root(el).querySelector('ol')!.getBoundingClientRect().top;
/** Whether the row is inside the list's visible box: at least partly, or `fully` (±1 px). */
const inView = (el: ParleyMessages, id: string, fully = false) => {
  const li = rowOf(el, id);
  if (!li) return false;
  const box = li.getBoundingClientRect();
  const view = root(el).querySelector('ol')!.getBoundingClientRect();
  if (fully) return box.top >= view.top - 1 && box.bottom <= view.bottom + 1; // sub-px scroll
  return box.bottom > view.top && box.top < view.bottom;
};
const countNodes = (node: Node): number =>
  [...node.childNodes].reduce((n, child) => n + countNodes(child), 1);
const statusOf = (el: ParleyMessages, id: string) =>
  rowOf(el, id)!.querySelector('.status')?.textContent?.trim() ?? '';
/** Scrolls the list as a reader would and lets the scroll event and the virtualizer run. */
async function scrollTo(el: ParleyMessages, top: number) {
  root(el).querySelector('ol')!.scrollTop = top;
  await settle();
}
/** The id of the first message at least partly in view. */
const firstShown = (el: ParleyMessages) =>
  [...root(el).querySelectorAll<HTMLElement>('li.msg')].find((li) => inView(el, li.dataset['id']!))
    ?.dataset['id'];
const atBottom = (el: ParleyMessages) => {
  const list = root(el).querySelector('ol')!;
  return list.scrollHeight - list.scrollTop - list.clientHeight < 48;
};

describe('<parley-messages>', () => {
  // The virtualizer's measuring can outrun one frame's ResizeObserver deliveries; Chromium then
  // reports a benign "loop completed with undelivered notifications" error (see its README).
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

  it('shows "No messages yet" when empty', async () => {
    const el = await mount([]);
    expect(root(el).querySelector('.empty')!.textContent).to.equal('No messages yet. Say hello!');
    expect(root(el).querySelector('li')).to.equal(null);
  });

  it('keeps name, time and delivery state on one line each in a narrow list', async () => {
    const own = msg(3, { status: 'delivered', ackedBy: ['bob'] });
    const el = await fixture<ParleyMessages>(
      html`<parley-messages
        style="height: 300px; width: 246px"
        self="me"
        .messages=${[own]}
      ></parley-messages>`,
    );
    const li = rowOf(el, own.id)!;
    const [author, time, status] = ['.author', 'time', '.status'].map((sel) =>
      li.querySelector(sel)!.getBoundingClientRect(),
    );
    expect(time!.height, 'the time on one line').to.be.closeTo(author!.height, 2);
    expect(status!.top, 'the state beside the time').to.be.closeTo(time!.top, 3);
    expect(status!.right).to.be.at.most(li.getBoundingClientRect().right);
  });

  it('keeps the DOM small with 10,000 messages and shows the newest', async () => {
    const all = range(0, 10_000);
    const el = await mount(all);
    expect(el.virtual).to.equal(true);
    expect(root(el).querySelectorAll('li.msg').length).to.be.within(5, 60);
    expect(countNodes(root(el))).to.be.below(500);
    expect(inView(el, all.at(-1)!.id, true)).to.equal(true);
    expect(atBottom(el)).to.equal(true);
  });

  it('shows markup in a message as text', async () => {
    const xss = '<img src=x onerror="window.__pwned = true"><b>bold</b>';
    const el = await mount([msg(1, { body: { text: xss }, text: xss })]);
    const text = root(el).querySelector('li.msg .text')!;
    expect(text.textContent).to.equal(xss);
    expect(root(el).querySelector('img, b')).to.equal(null);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it('tells our messages from the others, with author, time and a day separator', async () => {
    const el = await mount([msg(1), msg(3)]);
    const [theirs, ours] = [rowOf(el, 'm000001')!, rowOf(el, 'm000003')!];
    expect(theirs.querySelector('.author')!.textContent).to.equal('Bob');
    expect(theirs.classList.contains('own')).to.equal(false);
    expect(theirs.getAttribute('part')).to.equal('message group');
    expect(theirs.querySelector('.status')).to.equal(null);
    expect(ours.querySelector('.author')!.textContent).to.equal('You');
    expect(ours.classList.contains('own')).to.equal(true);
    expect(ours.getAttribute('part')).to.equal('message own group');
    expect(ours.querySelector('time')!.getAttribute('datetime')).to.equal(
      new Date(msg(3).ts).toISOString(),
    );
    // Right-aligned: ours ends where the list ends; theirs start where it starts, avatar first.
    const list = root(el).querySelector('ol')!.getBoundingClientRect();
    expect(list.right - ours.getBoundingClientRect().right).to.be.below(20);
    const avatar = theirs.querySelector('[part="avatar"]')!.getBoundingClientRect();
    expect(avatar.left - list.left, 'their avatar first').to.be.below(20);
    expect(theirs.getBoundingClientRect().left).to.be.above(avatar.right);
    expect(root(el).querySelectorAll('li.day').length).to.equal(1);
  });

  it('shows each delivery state, and Retry asks to send a failed message again', async () => {
    const el = await mount([
      msg(3, { status: 'queued' }),
      msg(6, { status: 'sent' }),
      msg(9, { status: 'delivered', ackedBy: ['bob'] }),
      msg(12, { status: 'delivered', ackedBy: ['bob', 'carol', 'dan'] }),
      msg(15, { status: 'failed' }),
      msg(18, { status: 'received' }),
    ]);
    const shown = ['m000003', 'm000006', 'm000009', 'm000012', 'm000015', 'm000018'].map((id) =>
      statusOf(el, id),
    );
    expect(shown).to.deep.equal([
      'queued',
      'sent',
      'delivered',
      'delivered to 3',
      'not delivered',
      '',
    ]);
    expect(root(el).querySelectorAll('button.retry').length).to.equal(1);
    const retry = rowOf(el, 'm000015')!.querySelector<HTMLButtonElement>('button.retry')!;
    expect(retry.textContent!.trim()).to.equal('Retry');
    setTimeout(() => retry.click());
    const event = await oneEvent(el, 'parley-retry');
    expect(event.detail).to.deep.equal({ id: 'm000015' });
    expect(event.composed && event.bubbles).to.equal(true);
  });

  it('keeps the "Load earlier messages" button for keyboard users', async () => {
    let asked = 0;
    const el = await mount(range(1, 4), true, () => asked++);
    root(el).querySelector<HTMLButtonElement>('.older button')!.click();
    expect(asked).to.equal(1);
    el.more = false;
    await el.updateComplete;
    expect(root(el).querySelector('.older')).to.equal(null);
  });

  it('updates a delivery state in place in a virtualized list', async () => {
    const all = range(0, 400).map((m) => ({ ...m, from: ME, status: 'sent' as const }));
    const el = await mount(all);
    const last = all.at(-1)!;
    const li = rowOf(el, last.id);
    el.messages = [...all.slice(0, -1), { ...last, status: 'delivered', ackedBy: ['a', 'b'] }];
    await settle();
    expect(statusOf(el, last.id)).to.equal('delivered to 2');
    expect(rowOf(el, last.id)).to.equal(li, 'the row was rebuilt');
    expect(inView(el, last.id, true)).to.equal(true);
  });

  for (const [mode, size] of [
    ['short', 60],
    ['virtualized', 400],
  ] as const) {
    describe(`${mode} list`, () => {
      it('asks for older messages once per page when scrolled near the top', async () => {
        let asked = 0;
        const el = await mount(range(1000, 1000 + size), true, () => asked++);
        expect(el.virtual).to.equal(size > FULL_RENDER_MAX);
        expect(asked).to.equal(0, 'asked before the reader scrolled');
        await scrollTo(el, 0);
        await scrollTo(el, 30);
        await scrollTo(el, 0);
        expect(asked).to.equal(1);
        el.messages = [...range(950, 1000), ...el.messages]; // the page arrives
        await settle();
        await scrollTo(el, 0);
        expect(asked).to.equal(2);
        el.more = false;
        el.messages = [...range(900, 950), ...el.messages];
        await settle();
        await scrollTo(el, 0);
        expect(asked).to.equal(2, 'asked with nothing more to load');
      });

      it('keeps the first visible message in place when older messages are prepended', async () => {
        const el = await mount(range(1000, 1000 + size), true);
        await scrollTo(el, 700);
        const id = firstShown(el)!;
        const before = topOf(el, id);
        const tops: number[] = [];
        el.messages = [...range(950, 1000), ...el.messages];
        for (let i = 0; i < 8; i++) {
          await settle(1);
          tops.push(topOf(el, id));
        }
        expect(tops.at(-1)).to.be.closeTo(before, 1);
        expect(Math.max(...tops.map((t) => Math.abs(t - before)))).to.be.below(2, `${tops}`);
      });

      it('follows new messages at the bottom, stays put above it, and shows our own', async () => {
        const el = await mount(range(1000, 1000 + size));
        expect(atBottom(el)).to.equal(true);
        el.messages = [...el.messages, msg(1000 + size + 1, { from: BOB })];
        await settle();
        expect(atBottom(el)).to.equal(true);
        expect(inView(el, msg(1000 + size + 1).id, true)).to.equal(true);
        await scrollTo(el, 300);
        const id = firstShown(el)!;
        const before = topOf(el, id);
        el.messages = [...el.messages, msg(1000 + size + 2, { from: BOB })];
        await settle();
        expect(topOf(el, id)).to.be.closeTo(before, 1);
        el.messages = [...el.messages, msg(1000 + size + 3, { from: ME })];
        await settle();
        expect(atBottom(el)).to.equal(true);
        expect(inView(el, msg(1000 + size + 3).id, true)).to.equal(true);
      });
    });
  }

  it('keeps the reader in place when a prepend makes the list virtual', async () => {
    const el = await mount(range(1000, 1000 + FULL_RENDER_MAX), true);
    await scrollTo(el, 400);
    const id = firstShown(el)!;
    const before = topOf(el, id);
    el.messages = [...range(950, 1000), ...el.messages];
    await el.updateComplete; // with the virtualizer loaded, when this is the first long list
    await settle(10);
    expect(el.virtual).to.equal(true);
    expect(topOf(el, id)).to.be.closeTo(before, 1);
  });
});
