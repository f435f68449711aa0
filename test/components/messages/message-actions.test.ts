import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { ParleyMessages } from '../../../src/components/messages/parley-messages.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

const T0 = Date.UTC(2025, 0, 6, 9, 0);
const ME = { id: 'me', name: 'Mallory', key: TEST_AUTHOR.key };
const BOB = { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key };
/** Message `i`, a minute after `i - 1`; every third is ours. */
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
const id = (i: number) => `m${String(i).padStart(6, '0')}`;
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => msg(from + k));

const settle = async (frames = 6) => {
  for (let i = 0; i < frames; i++) await new Promise((r) => requestAnimationFrame(r));
};

type Fired = { type: string; detail: unknown };
const EVENTS = ['parley-react', 'parley-delete', 'parley-jump', 'parley-compose'];

async function mount(messages: ChatMessage[], height = 400) {
  const fired: Fired[] = [];
  const el = await fixture<ParleyMessages>(
    html`<parley-messages
      style="height: ${height}px; width: 600px"
      self="me"
      .messages=${messages}
    ></parley-messages>`,
  );
  for (const type of EVENTS)
    el.addEventListener(type, (e) => fired.push({ type, detail: (e as CustomEvent).detail }));
  await el.updateComplete;
  await settle();
  const root = el.shadowRoot!;
  const row = (n: number) => root.querySelector<HTMLElement>(`li.msg[data-id="${id(n)}"]`)!;
  const bars = () => root.querySelectorAll('[role="toolbar"]');
  const names = (scope: ParentNode) =>
    [...scope.querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent);
  const active = () => root.activeElement as HTMLElement | null;
  return { el, root, row, bars, names, fired, active };
}

const hover = (target: Element) =>
  target.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, pointerType: 'mouse' }));

describe('<parley-messages>: edits, deletions, replies, reactions', () => {
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

  it('marks an edited message "edited", its title saying when', async () => {
    const { row } = await mount([msg(1, { text: 'fixed typo', edited: T0 + 5 * 60_000 })]);
    const mark = row(1).querySelector('[part="edited"]')!;
    expect(mark.textContent).to.equal('edited');
    expect(mark.getAttribute('title')).to.match(/^Edited /);
    expect(row(1).querySelector('.text')!.textContent).to.equal('fixed typo');
    const plain = await mount([msg(1)]);
    expect(plain.row(1).querySelector('[part="edited"]')).to.equal(null);
  });

  it('shows a deleted message as "message deleted", with no actions and nothing else', async () => {
    const gone = msg(3, {
      text: '',
      deleted: true,
      reactions: [{ emoji: '👍', by: [{ id: 'bob', name: 'Bob' }], mine: false }],
      replyTo: { id: id(1), name: 'Bob', excerpt: 'hi' },
    });
    const { row, bars } = await mount([msg(1), gone]);
    const text = row(3).querySelector('.text')!;
    expect(text.textContent).to.equal('message deleted');
    expect(text.classList.contains('deleted')).to.equal(true);
    expect(getComputedStyle(text).fontStyle).to.equal('italic');
    expect(row(3).querySelector('.quote, .chip, .edited')).to.equal(null);
    row(3).focus();
    hover(row(3));
    await settle(2);
    expect(bars().length).to.equal(0);
  });

  it('shows reactions as toggle chips naming who, and a click toggles ours', async () => {
    const reactions = [
      {
        emoji: '👍',
        by: [
          { id: 'alice', name: 'Alice' },
          { id: 'me', name: 'Mallory' },
        ],
        mine: true,
      },
      { emoji: '🎉', by: [{ id: 'bob', name: 'Bob' }], mine: false },
    ];
    const { row, fired } = await mount([msg(1, { reactions })]);
    const chips = [...row(1).querySelectorAll<HTMLButtonElement>('.chip')];
    expect(chips.map((c) => c.getAttribute('aria-label'))).to.deep.equal([
      '👍 2: Alice, You',
      '🎉 1: Bob',
    ]);
    expect(chips.map((c) => c.title)).to.deep.equal(['👍 2: Alice, You', '🎉 1: Bob']);
    expect(chips.map((c) => c.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
    expect(chips[0]!.textContent).to.equal('👍 2');
    expect(chips[0]!.getBoundingClientRect().height).to.be.at.least(24);
    chips[0]!.click();
    chips[1]!.click();
    expect(fired).to.deep.equal([
      { type: 'parley-react', detail: { id: id(1), emoji: '👍', on: false } },
      { type: 'parley-react', detail: { id: id(1), emoji: '🎉', on: true } },
    ]);
  });

  it('quotes the message a reply answers, and the quote asks to show it', async () => {
    const { row, fired } = await mount([
      msg(1, { replyTo: { id: 'x1', name: 'Alice', excerpt: 'lunch at noon?' } }),
      msg(2, { replyTo: { id: 'x2', name: 'Alice', deleted: true } }),
      msg(4, { replyTo: { id: 'x3' } }),
      msg(5, { replyTo: { id: 'x4', name: 'Alice', unreadable: true } }),
      msg(7, { replyTo: { id: 'x5', name: 'Alice' } }),
    ]);
    const quote = (n: number) => row(n).querySelector<HTMLButtonElement>('button.quote')!;
    expect(quote(1).textContent).to.equal('Alice lunch at noon?');
    expect(quote(1).querySelector('.quote-name')!.textContent).to.equal('Alice');
    expect(quote(2).querySelector('.quote-text')!.textContent).to.equal('message deleted');
    expect(quote(4).textContent).to.equal('Original message not loaded');
    expect(quote(5).querySelector('.quote-text')!.textContent).to.equal(
      "Can't read the original yet",
    );
    expect(quote(7).querySelector('.quote-text')!.textContent).to.equal(
      'Original message has no text to quote',
    );
    // The quote sits above the text.
    const text = row(1).querySelector('.text')!;
    expect(quote(1).compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(
      0,
    );
    quote(1).click();
    quote(4).click();
    expect(fired).to.deep.equal([
      { type: 'parley-jump', detail: { id: 'x1' } },
      { type: 'parley-jump', detail: { id: 'x3' } },
    ]);
  });

  it('formats a message with a link, and keeps plain ones one text node', async () => {
    const { row } = await mount([
      msg(1, { text: 'see https://example.org/a and **this**' }),
      msg(2, { text: 'just words' }),
    ]);
    // The formatter comes in a chunk of its own the first time a text needs it.
    await waitUntil(() => row(1).querySelector('.text a'), 'the link formatted');
    const link = row(1).querySelector<HTMLAnchorElement>('.text a')!;
    expect(link.href).to.equal('https://example.org/a');
    expect(link.rel).to.equal('noopener noreferrer nofollow');
    expect(row(1).querySelector('.text strong')!.textContent).to.equal('this');
    const plain = row(2).querySelector('.text')!;
    expect(plain.childNodes.length).to.equal(1);
    expect(getComputedStyle(plain).whiteSpace).to.equal('pre-wrap');
  });

  it('offers Reply and React on others’ messages, Edit and Delete too on ours, in ONE toolbar', async () => {
    const { root, row, bars, names } = await mount([
      ...range(1, 7),
      msg(7, { unknown: 'poll', text: 'This message needs a newer version' }),
    ]);
    expect(bars().length).to.equal(0);
    hover(row(1));
    await settle(1);
    expect(bars().length).to.equal(1);
    expect(bars()[0]!.getAttribute('aria-label')).to.equal('Message actions');
    expect(row(1).contains(bars()[0]!)).to.equal(true);
    expect(names(bars()[0]!)).to.deep.equal(['Reply', 'React']);
    hover(row(3));
    await settle(1);
    expect(bars().length).to.equal(1);
    expect(row(3).contains(bars()[0]!)).to.equal(true);
    expect(names(bars()[0]!)).to.deep.equal(['Reply', 'React', 'Edit', 'Delete']);
    for (const b of bars()[0]!.querySelectorAll('button')) {
      const box = b.getBoundingClientRect();
      expect(Math.min(box.width, box.height)).to.be.at.least(24);
    }
    // The toolbar changes no row's size.
    const before = row(3).getBoundingClientRect().height;
    root.querySelector('ol')!.dispatchEvent(new PointerEvent('pointerleave'));
    await settle(1);
    expect(bars().length).to.equal(0);
    expect(row(3).getBoundingClientRect().height).to.equal(before);
    // A focused row (a tap, or the keyboard) shows it; a kind this version cannot show does not.
    row(2).focus();
    await settle(1);
    expect(bars().length).to.equal(1);
    expect(row(2).contains(bars()[0]!)).to.equal(true);
    row(7).focus();
    await settle(1);
    expect(bars().length).to.equal(0);
  });

  it('keeps one toolbar and a small DOM in a virtualized list of 1,000', async () => {
    const { el, root, bars } = await mount(range(0, 1000));
    expect(el.virtual).to.equal(true);
    const shown = [...root.querySelectorAll<HTMLElement>('li.msg')].slice(-3);
    for (const li of shown) {
      hover(li);
      await settle(1);
      expect(bars().length).to.equal(1);
      expect(li.contains(bars()[0]!)).to.equal(true);
    }
    const count = (n: Node): number => [...n.childNodes].reduce((k, c) => k + count(c), 1);
    expect(count(root)).to.be.below(500);
  });

  it('Reply and Edit ask the composer, with the text, author and excerpt', async () => {
    const long = 'x'.repeat(300);
    const { row, bars, fired } = await mount([msg(1), msg(3, { text: long })]);
    hover(row(1));
    await settle(1);
    bars()[0]!.querySelector<HTMLElement>('[aria-label="Reply"]')!.click();
    hover(row(3));
    await settle(1);
    bars()[0]!.querySelector<HTMLElement>('[aria-label="Edit"]')!.click();
    expect(fired[0]).to.deep.equal({
      type: 'parley-compose',
      detail: { mode: 'reply', id: id(1), text: 'message #1', name: 'Bob', excerpt: 'message #1' },
    });
    const edit = fired[1]!.detail as { mode: string; text: string; name: string; excerpt: string };
    expect([edit.mode, edit.text, edit.name]).to.deep.equal(['edit', long, 'You']);
    expect(edit.excerpt.length).to.equal(140);
    expect(edit.excerpt.endsWith('…')).to.equal(true);
  });

  it('Delete asks first, in the row; Cancel asks nothing of anyone', async () => {
    const { root, row, bars, fired, active } = await mount([msg(1), msg(3)]);
    hover(row(3));
    await settle(1);
    bars()[0]!.querySelector<HTMLElement>('[aria-label="Delete"]')!.click();
    await settle(2);
    const ask = root.querySelector('.confirm')!;
    expect(ask.textContent).to.contain('Delete this message? Others will see “message deleted”.');
    expect(active()?.textContent).to.equal('Cancel');
    ask.querySelector<HTMLElement>('.cancel')!.click();
    await settle(2);
    expect(root.querySelector('.confirm')).to.equal(null);
    expect(active()?.getAttribute('aria-label')).to.equal('Delete');
    expect(fired).to.deep.equal([]);
    active()!.click();
    await settle(2);
    root.querySelector<HTMLElement>('.confirm .danger')!.click();
    expect(fired).to.deep.equal([{ type: 'parley-delete', detail: { id: id(3) } }]);
    await settle(2);
    expect(root.querySelector('.confirm')).to.equal(null);
  });

  it('reaches the toolbar and the picker by keyboard, and Escape comes back', async () => {
    const mine = { emoji: '🎉', by: [{ id: 'me', name: 'Mallory' }], mine: true };
    const { root, row, fired, active } = await mount([msg(1), msg(2, { reactions: [mine] })]);
    root.querySelector<HTMLElement>('ol')!.focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(active()).to.equal(row(2));
    await sendKeys({ press: 'ArrowUp' });
    expect(active()).to.equal(row(1));
    await sendKeys({ press: 'ArrowDown' });
    expect(active()).to.equal(row(2));
    await settle(1);
    // Tab goes into the row: its chip, then its toolbar.
    await sendKeys({ press: 'Tab' });
    expect(active()?.classList.contains('chip')).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(active()?.getAttribute('aria-label')).to.equal('Reply');
    await sendKeys({ press: 'Escape' });
    expect(active()).to.equal(row(2));
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'F10' });
    await sendKeys({ up: 'Shift' });
    expect(active()?.getAttribute('aria-label')).to.equal('Reply');
    await sendKeys({ press: 'ArrowRight' });
    expect(active()?.getAttribute('aria-label')).to.equal('React');
    await sendKeys({ press: 'Enter' });
    await settle(2);
    const picker = root.querySelector('.picker')!;
    const labels = [...picker.querySelectorAll('button')].map((b) => b.getAttribute('aria-label'));
    expect(labels).to.deep.equal([
      'thumbs up',
      'red heart',
      'face with tears of joy',
      'party popper',
      'face with open mouth',
      'crying face',
      'folded hands',
      'eyes',
    ]);
    expect(active()?.getAttribute('aria-label')).to.equal('thumbs up');
    expect(active()!.getAttribute('aria-expanded')).to.equal(null);
    expect(root.querySelector('[aria-label="React"]')!.getAttribute('aria-expanded')).to.equal(
      'true',
    );
    await sendKeys({ press: 'Escape' });
    await settle(2);
    expect(root.querySelector('.picker')).to.equal(null);
    expect(active()?.getAttribute('aria-label')).to.equal('React');
    await sendKeys({ press: 'Enter' });
    await settle(2);
    await sendKeys({ press: 'Enter' }); // thumbs up
    await settle(2);
    active()!.click(); // React again
    await settle(2);
    root.querySelector<HTMLElement>('.picker [aria-label="party popper"]')!.click(); // ours: off
    expect(fired).to.deep.equal([
      { type: 'parley-react', detail: { id: id(2), emoji: '👍', on: true } },
      { type: 'parley-react', detail: { id: id(2), emoji: '🎉', on: false } },
    ]);
  });
  it('follows a real mouse: hover shows, a click and a choice, then the next row takes it', async () => {
    const { row, bars, fired, root } = await mount([msg(1), msg(2), msg(3)]);
    const at = (el: Element, dx = 0.5, dy = 0.5): [number, number] => {
      const b = el.getBoundingClientRect();
      return [Math.round(b.left + b.width * dx), Math.round(b.top + b.height * dy)];
    };
    try {
      await sendMouse({ type: 'move', position: at(row(3), 0.3, 0.7) });
      await settle(1);
      expect(row(3).contains(bars()[0]!)).to.equal(true);
      await sendMouse({ type: 'click', position: at(root.querySelector('[aria-label="React"]')!) });
      await settle(2);
      await sendMouse({ type: 'click', position: at(root.querySelector('.picker button')!) });
      await settle(2);
      expect(fired).to.deep.equal([
        { type: 'parley-react', detail: { id: id(3), emoji: '👍', on: true } },
      ]);
      await sendMouse({ type: 'move', position: at(row(1), 0.3, 0.7) });
      await settle(1);
      expect(bars().length).to.equal(1);
      expect(row(1).contains(bars()[0]!)).to.equal(true);
    } finally {
      await resetMouse();
    }
  });

  it('passes axe with every state shown, the toolbar and the picker open', async () => {
    const reactions = [{ emoji: '👍', by: [{ id: 'me', name: 'Mallory' }], mine: true }];
    const { el, root, row, bars } = await mount([
      msg(1, { reactions, replyTo: { id: 'x', name: 'Alice', excerpt: 'hi' } }),
      msg(2, { text: '', deleted: true }),
      msg(3, { edited: T0, text: 'see https://example.org' }),
    ]);
    row(3).focus();
    await settle(1);
    bars()[0]!.querySelector<HTMLElement>('[aria-label="React"]')!.click();
    await settle(2);
    expect(root.querySelector('.picker')).to.not.equal(null);
    await expect(el).to.be.accessible();
    root.querySelector<HTMLElement>('[aria-label="Delete"]')!.click();
    await settle(2);
    expect(root.querySelector('.confirm')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<parley-messages>: highlight', () => {
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });
  for (const [mode, count] of [
    ['full', 100],
    ['virtual', 1000],
  ] as const) {
    it(`${mode}: scrolls to the message, marks and focuses it, and stays there`, async () => {
      const all = range(0, count);
      const { el, root, row, active } = await mount(all);
      expect(el.virtual).to.equal(mode === 'virtual');
      const target = Math.floor(count / 5);
      el.highlight = id(target);
      await el.updateComplete;
      await waitUntil(() => active() === row(target), 'the row gets the focus');
      await settle();
      const ol = root.querySelector('ol')!.getBoundingClientRect();
      const box = row(target).getBoundingClientRect();
      expect(box.top).to.be.within(ol.top - 1, ol.bottom - box.height + 1);
      expect(row(target).getAttribute('part')).to.contain('highlight');
      expect(root.querySelectorAll('[part~="highlight"]').length).to.equal(1);
      // A new message below does not take the reader back to the newest.
      el.messages = [...all, msg(count + 1)];
      await el.updateComplete;
      await settle(10);
      const again = row(target).getBoundingClientRect();
      expect(Math.abs(again.top - box.top)).to.be.below(2);
      expect(row(target).getAttribute('part')).to.contain('highlight');
      el.highlight = undefined;
      await el.updateComplete;
      expect(row(target).getAttribute('part')).to.not.contain('highlight');
    });
  }

  it('goes to a message asked for before it was loaded, once it comes', async () => {
    const { el, row, active } = await mount(range(100, 150));
    el.highlight = id(20);
    await el.updateComplete;
    await settle(2);
    expect(row(20)).to.equal(null);
    el.messages = range(0, 150);
    await el.updateComplete;
    await waitUntil(() => active() === row(20), 'the row gets the focus');
  });

  for (const count of [60, 1000]) {
    it(`keeps the reader’s place when messages above grow (an edit, a reaction; ${count})`, async () => {
      const all = range(0, count);
      const { el, root, row } = await mount(all);
      const ol = root.querySelector('ol')!;
      ol.scrollTop = ol.scrollHeight / 2;
      await settle();
      const top = () => ol.getBoundingClientRect().top;
      const first = [...root.querySelectorAll<HTMLElement>('li.msg')].find(
        (li) => li.getBoundingClientRect().top >= top(),
      )!;
      const n = Number(first.dataset['id']!.slice(1));
      const at = first.getBoundingClientRect().top;
      const below = row(n + 2).getBoundingClientRect().top - row(n).getBoundingClientRect().top;
      const grow = (m: ChatMessage): ChatMessage => ({
        ...m,
        text: 'edited\nover\nfour lines\nnow',
        edited: T0,
        reactions: [{ emoji: '👍', by: [{ id: 'bob', name: 'Bob' }], mine: false }],
      });
      // The one just above the first in view, and one in view.
      el.messages = all.map((m, i) => (i === n - 1 || i === n + 1 ? grow(m) : m));
      await el.updateComplete;
      await settle(10);
      expect(Math.abs(row(n).getBoundingClientRect().top - at)).to.be.below(2);
      const now = row(n + 2).getBoundingClientRect().top - row(n).getBoundingClientRect().top;
      expect(now).to.be.above(below + 30);
    });
  }
});
