/**
 * The message list as people know it: messages grouped per author, anchored to the bottom,
 * "Beginning of #room", the new-messages pill, long messages folded, author colours.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { AVATAR_COLOURS, colourOf } from '../../../src/components/shared/avatar.js';
import { ParleyMessages } from '../../../src/components/messages/parley-messages.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

const MIN = 60_000;
/** Local time, so days begin where the list's separators do. */
const T0 = new Date(2025, 0, 6, 9, 0).getTime();
const who = (id: string, name: string) => ({ id, name, key: TEST_AUTHOR.key });
const ME = who('me', 'Mallory');
const BOB = who('bob', 'Bob');
const ANN = who('ann', 'Ann');

let seq = 0;
const msg = (from: ChatMessage['from'], ts: number, text = `#${++seq}`): ChatMessage => ({
  id: `m${String(++seq).padStart(6, '0')}`,
  room: 'lobby',
  from,
  ts,
  seq,
  sig: SIGNATURE_SHAPED,
  body: { text },
  text,
  owner: 'me',
  status: from === ME ? 'sent' : 'received',
});
/** `n` messages a minute apart from Bob and Ann in turn (never grouped), from `start`. */
const chatter = (n: number, start = T0) =>
  Array.from({ length: n }, (_, i) => msg(i % 2 ? ANN : BOB, start + i * MIN));

async function mount(
  messages: ChatMessage[],
  { more = false, title = '', height = 400, scheme = 'light' } = {},
): Promise<ParleyMessages> {
  const el = await fixture<ParleyMessages>(
    html`<parley-messages
      style="height: ${height}px; width: 600px; color-scheme: ${scheme}"
      self="me"
      ?more=${more}
      room-title=${title}
      .messages=${messages}
    ></parley-messages>`,
  );
  await settle();
  return el;
}
const settle = async (frames = 6) => {
  for (let i = 0; i < frames; i++) await new Promise((r) => requestAnimationFrame(r));
};
const root = (el: ParleyMessages) => el.shadowRoot!;
const list = (el: ParleyMessages) => root(el).querySelector('ol')!;
const rowOf = (el: ParleyMessages, m: ChatMessage) =>
  root(el).querySelector<HTMLElement>(`li.msg[data-id="${m.id}"]`)!;
const isHead = (el: ParleyMessages, m: ChatMessage) =>
  rowOf(el, m).getAttribute('part')!.split(' ').includes('group');
const pill = (el: ParleyMessages) =>
  root(el).querySelector<HTMLButtonElement>('[part~="new-pill"]');
// Elements are compared as booleans: chai printing a rendered element can stall the run.
const atBottom = (el: ParleyMessages) => {
  const l = list(el);
  return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
};
/** A button's accessible name as a screen reader gets it: its text without aria-hidden parts. */
const nameOf = (button: Element) => {
  const copy = button.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
  return copy.textContent!.replace(/\s+/g, ' ').trim();
};

describe('<parley-messages> as people know it', () => {
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

  describe('groups', () => {
    it('groups one identity within 5 minutes on one day, and nothing else', async () => {
      const late = new Date(2025, 0, 6, 23, 58).getTime();
      const alice1 = who('id-alice-1', 'alice');
      const alice2 = who('id-alice-2', 'alice');
      const m = [
        msg(BOB, T0), // head
        msg(BOB, T0 + 1 * MIN), // same author, 1 min: grouped
        msg(BOB, T0 + 6 * MIN), // 5 min after the previous: grouped
        msg(BOB, T0 + 11 * MIN + 1), // just over 5 min: a new group
        msg(ANN, T0 + 12 * MIN), // another author
        msg(BOB, T0 + 13 * MIN), // Bob again after Ann: a new group
        msg(alice1, T0 + 20 * MIN),
        msg(alice2, T0 + 20 * MIN + 1000), // the same name, another identity: not grouped
        msg({ ...alice2, name: 'Alice B.' }, T0 + 21 * MIN), // same identity, renamed: grouped
        msg(ME, T0 + 22 * MIN),
        msg(ME, T0 + 23 * MIN), // ours group too
        msg(BOB, late),
        msg(BOB, late + 4 * MIN), // after midnight: a new day, a new group
      ];
      const el = await mount(m);
      expect(m.map((x) => isHead(el, x))).to.deep.equal([
        true,
        false,
        false,
        true,
        true,
        true,
        true,
        true,
        false,
        true,
        false,
        true,
        true,
      ]);
      expect(root(el).querySelectorAll('li.day').length).to.equal(2);
      // The head shows the avatar and the name; the rest of the group does not.
      const [head, next] = [rowOf(el, m[0]!), rowOf(el, m[1]!)];
      const shown = (e: Element | null) => !!e && e.getBoundingClientRect().width > 2;
      expect(shown(head.querySelector('[part="avatar"]'))).to.equal(true);
      expect(shown(head.querySelector('[part="author"]'))).to.equal(true);
      expect(shown(next.querySelector('[part="avatar"]'))).to.equal(false);
      expect(shown(next.querySelector('[part="author"]'))).to.equal(false);
      // Still read as "who, when, what": the name is visually hidden, the time there.
      expect(next.querySelector('[part="author"]')!.textContent).to.equal('Bob');
      expect(next.querySelector('time')!.getAttribute('datetime')).to.equal(
        new Date(m[1]!.ts).toISOString(),
      );
      expect(next.textContent).to.match(/^Bob\d\d:\d\d/);
    });

    it('shows the time of a grouped message on hover and on focus only', async () => {
      const m = [msg(BOB, T0), msg(BOB, T0 + MIN)];
      const el = await mount(m);
      const row = rowOf(el, m[1]!);
      const time = row.querySelector('time')!;
      expect(getComputedStyle(time).opacity).to.equal('0');
      expect(row.tabIndex, 'focusable, not a tab stop').to.equal(-1);
      row.focus();
      expect(getComputedStyle(time).opacity).to.equal('1');
      row.blur();
      // The head's time is always shown.
      expect(getComputedStyle(rowOf(el, m[0]!).querySelector('time')!).opacity).to.equal('1');
    });

    it('colours each identity, never each name: two "alice"s differ, one identity stays', async () => {
      const [a1, a2] = [who('id-alice-1', 'alice'), who('id-alice-2', 'Alice')];
      expect(colourOf(a1.id)).not.to.equal(colourOf(a2.id)); // the ids the test relies on
      const m = [msg(a1, T0), msg(a2, T0 + MIN), msg({ ...a1, name: 'Zed' }, T0 + 10 * MIN)];
      const el = await mount(m);
      const look = (x: ChatMessage) => {
        const avatar = rowOf(el, x).querySelector('[part="avatar"]')!;
        const author = rowOf(el, x).querySelector('[part="author"]')!;
        return [getComputedStyle(avatar).backgroundColor, getComputedStyle(author).color];
      };
      expect(look(m[0]!)).not.to.deep.equal(look(m[1]!));
      expect(look(m[2]!), 'the same identity under another name').to.deep.equal(look(m[0]!));
      expect(rowOf(el, m[0]!).querySelector('[part="avatar"]')!.textContent).to.equal('A');
      expect(rowOf(el, m[2]!).querySelector('[part="avatar"]')!.textContent).to.equal('Z');
      expect(
        rowOf(el, m[0]!).querySelector('[part="avatar"]')!.getAttribute('aria-hidden'),
      ).to.equal('true');
    });

    for (const scheme of ['light', 'dark']) {
      it(`gives every author colour 4.5:1 contrast, names and avatars (${scheme})`, async () => {
        // One author per colour: ids picked so that every colour is used.
        const ids: string[] = [];
        for (let i = 0; ids.length < AVATAR_COLOURS; i++) {
          const id = `user-${i}`;
          if (!ids.some((x) => colourOf(x) === colourOf(id))) ids.push(id);
        }
        const m = ids.map((id, i) => msg(who(id, `N${i}`), T0 + i * 10 * MIN));
        const el = await mount(m, { height: 2400, scheme });
        for (const x of m) {
          const row = rowOf(el, x);
          const avatar = getComputedStyle(row.querySelector('[part="avatar"]')!);
          const author = getComputedStyle(row.querySelector('[part="author"]')!);
          const bubble = getComputedStyle(row).backgroundColor;
          expect(contrast(avatar.color, avatar.backgroundColor)).to.be.at.least(4.5);
          expect(contrast(author.color, bubble)).to.be.at.least(4.5);
        }
        await expect(el).to.be.accessible();
      });
    }
  });

  it('anchors a short conversation to the bottom', async () => {
    const m = chatter(3);
    const el = await mount(m);
    const box = list(el).getBoundingClientRect();
    const last = rowOf(el, m[2]!).getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(list(el)).paddingBottom);
    expect(box.bottom - padding - last.bottom).to.be.closeTo(0, 1);
    expect(rowOf(el, m[0]!).getBoundingClientRect().top - box.top).to.be.above(150);
  });

  describe('"Beginning of #room"', () => {
    const marker = (el: ParleyMessages) => root(el).querySelector('[part="beginning"]');

    it('marks the start of history only when nothing older is left, with the title', async () => {
      const m = chatter(3);
      const el = await mount(m, { more: true });
      expect(marker(el) === null).to.equal(true);
      el.more = false;
      await el.updateComplete;
      expect(marker(el)!.textContent).to.equal('Beginning of #lobby');
      expect(marker(el)!.nextElementSibling!.matches('li.day')).to.equal(true);
      el.roomTitle = '#Design Team';
      await el.updateComplete;
      expect(marker(el)!.textContent).to.equal('Beginning of #Design Team');
      await expect(el).to.be.accessible();
    });

    it('heads a virtualized history once it is all loaded', async () => {
      const el = await mount(chatter(400), { more: true });
      expect(el.virtual).to.equal(true);
      el.more = false;
      await settle();
      list(el).scrollTop = 0;
      await settle();
      expect(marker(el)!.textContent).to.equal('Beginning of #lobby');
      const top = marker(el)!.getBoundingClientRect().top - list(el).getBoundingClientRect().top;
      expect(top).to.be.within(-1, 20);
    });
  });

  for (const [mode, size] of [
    ['short', 60],
    ['virtualized', 400],
  ] as const) {
    describe(`the new-messages pill (${mode} list)`, () => {
      it('counts what arrives while scrolled up and jumps to the newest', async () => {
        const all = chatter(size);
        const el = await mount(all);
        expect(el.virtual).to.equal(size > 150);
        const last = all.at(-1)!.ts;
        el.messages = [...all, msg(BOB, last + MIN)];
        await settle();
        expect(pill(el) === null, 'no pill at the bottom').to.equal(true);
        expect(atBottom(el)).to.equal(true);
        list(el).scrollTop = 300;
        await settle();
        el.messages = [...el.messages, msg(BOB, last + 2 * MIN)];
        await settle();
        expect(nameOf(pill(el)!)).to.equal('1 new message');
        const news = [3, 4, 5].map((k) => msg(ANN, last + k * MIN));
        el.messages = [...el.messages, news[0]!, news[1]!];
        await settle();
        expect(nameOf(pill(el)!)).to.equal('3 new messages');
        expect(pill(el)!.textContent).to.contain('↓');
        expect(atBottom(el), 'the reader stays where they were').to.equal(false);
        await expect(el).to.be.accessible();
        pill(el)!.click();
        await settle(12);
        expect(atBottom(el)).to.equal(true);
        expect(pill(el) === null).to.equal(true);
        expect(el.shadowRoot!.activeElement === list(el), 'the focus on the list').to.equal(true);
      });
    });
  }

  it('takes the pill away when the reader scrolls down to the newest', async () => {
    const el = await mount(chatter(60));
    list(el).scrollTop = 0;
    await settle();
    el.messages = [...el.messages, msg(BOB, T0 + 100 * MIN)];
    await settle();
    expect(pill(el) !== null).to.equal(true);
    list(el).scrollTop = list(el).scrollHeight;
    await settle();
    expect(pill(el) === null).to.equal(true);
  });

  describe('long messages', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');
    const more = (el: ParleyMessages, m: ChatMessage) =>
      rowOf(el, m).querySelector<HTMLButtonElement>('[part~="show-more"]');

    it('folds over 25 lines or 2,000 characters behind "Show more", and "Show less" folds back', async () => {
      const long = msg(BOB, T0, lines(40));
      const wide = msg(ANN, T0 + MIN, 'word '.repeat(420)); // 2,100 characters, one line
      const short = msg(BOB, T0 + 2 * MIN, lines(20));
      const el = await mount([long, wide, short], { height: 700 });
      expect(more(el, short) === null).to.equal(true);
      expect(more(el, wide)!.textContent).to.equal('Show more');
      const button = more(el, long)!;
      const text = rowOf(el, long).querySelector('.text')!;
      expect(button.textContent).to.equal('Show more');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      const lineHeight = parseFloat(getComputedStyle(text).lineHeight);
      const folded = text.getBoundingClientRect().height;
      expect(folded / lineHeight).to.be.closeTo(15, 0.6);
      expect(text.textContent, 'the whole text is there').to.equal(lines(40));
      button.click();
      await el.updateComplete;
      expect(more(el, long) === button, 'the same button').to.equal(true);
      expect(button.textContent).to.equal('Show less');
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      expect(text.getBoundingClientRect().height / lineHeight).to.be.closeTo(40, 0.6);
      await expect(el).to.be.accessible();
      button.click();
      await el.updateComplete;
      expect(button.textContent).to.equal('Show more');
      expect(text.getBoundingClientRect().height).to.be.closeTo(folded, 1);
    });

    it('keeps a virtualized list measured when a message unfolds and folds', async () => {
      const all = chatter(400);
      const long = msg(BOB, all.at(-1)!.ts + MIN, lines(60));
      const after = msg(ANN, long.ts + MIN);
      const el = await mount([...all, long, after]);
      expect(el.virtual).to.equal(true);
      const gap = () =>
        rowOf(el, after).getBoundingClientRect().top -
        rowOf(el, long).getBoundingClientRect().bottom;
      const before = gap();
      expect(before).to.be.within(0, 12);
      const height = rowOf(el, long).getBoundingClientRect().height;
      more(el, long)!.click();
      await settle();
      expect(rowOf(el, long).getBoundingClientRect().height).to.be.above(height * 2);
      expect(gap(), 'the next row moved down, no overlap').to.be.closeTo(before, 1);
      more(el, long)!.click();
      await settle();
      expect(rowOf(el, long).getBoundingClientRect().height).to.be.closeTo(height, 1);
      expect(gap(), 'and back up, no hole').to.be.closeTo(before, 1);
    });

    for (const [mode, size] of [
      ['short', 40],
      ['virtualized', 400],
    ] as const) {
      it(`keeps "Show more" in view when a message read to its end folds back (${mode} list)`, async () => {
        const long = msg(BOB, T0, lines(60));
        const el = await mount([long, ...chatter(size, T0 + MIN)]);
        list(el).scrollTop = 0;
        await settle();
        more(el, long)!.click();
        await settle();
        // Read down to "Show less": the message's top is far above the view now.
        const button = more(el, long)!;
        const view = () => list(el).getBoundingClientRect();
        list(el).scrollTop += button.getBoundingClientRect().bottom - view().bottom + 10;
        await settle();
        expect(rowOf(el, long).getBoundingClientRect().top).to.be.below(view().top - 500);
        button.click();
        await settle();
        const box = more(el, long)!.getBoundingClientRect();
        expect(box.top >= view().top - 1 && box.bottom <= view().bottom + 1, 'in view').to.equal(
          true,
        );
        expect(rowOf(el, long).getBoundingClientRect().top).to.be.closeTo(view().top, 2);
      });
    }
  });

  it('passes axe with groups of several authors, ours included', async () => {
    const m = [
      msg(BOB, T0),
      msg(BOB, T0 + MIN),
      msg(ME, T0 + 2 * MIN),
      msg(ME, T0 + 3 * MIN),
      msg(ANN, T0 + 4 * MIN),
    ];
    const el = await mount(m);
    expect(m.map((x) => isHead(el, x))).to.deep.equal([true, false, true, false, true]);
    await expect(el).to.be.accessible();
  });
});

/** WCAG contrast ratio of two computed `rgb()` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => {
        const s = Number(v) / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
