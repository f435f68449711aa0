/**
 * Accessibility and theming of the views: axe-core (through chai-a11y-axe) on every view in its
 * main states, in the light and the dark theme; focus rings; new messages announced politely;
 * reduced motion; theming from outside without leaks either way.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import type { ParleyChat } from '../../src/components/chat/parley-chat.js';
import type { ParleyComposer } from '../../src/components/composer/parley-composer.js';
import type { ParleyMessages } from '../../src/components/messages/parley-messages.js';
import type { ChatMessage } from '../../src/controllers/room/message-list.js';
import type { RosterMember } from '../../src/controllers/presence/roster.js';
import { MemoryHub } from '../../src/transport/memory.js';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import type { TransportFactory } from '../../src/transport/index.js';
import {
  connected,
  loginOf,
  mountChat,
  register,
  shadow,
  shownMessages,
  submitLogin,
  typeAndEnter,
  chatDbs,
} from './chat/chat-helpers.js';
import { author, signedBy } from '../support/envelopes.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];
/** The default page and text colours of each theme, as computed styles give them. */
const BG: Record<Theme, string> = { light: 'rgb(255, 255, 255)', dark: 'rgb(28, 31, 40)' };
const FG: Record<Theme, string> = { light: 'rgb(31, 35, 48)', dark: 'rgb(232, 234, 241)' };
const ACCENT: Record<Theme, string> = { light: 'rgb(79, 70, 229)', dark: 'rgb(155, 157, 255)' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frames = async (n = 4) => {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
};
/** The running transitions of the controls inside `el`, through every shadow root. */
const fades = (el: Element): Animation[] =>
  [el, ...(el.shadowRoot?.querySelectorAll('*') ?? [])].flatMap((e) => [
    ...e.getAnimations(),
    ...(e !== el && e.shadowRoot ? fades(e) : []),
  ]);
const inner = (el: Element, selector: string) => shadow(el).querySelector(selector)!;
/** A header button of the chat, by its text. */
const headerButton = (chat: ParleyChat, text: string) =>
  [...shadow(chat).querySelectorAll<HTMLButtonElement>('header button')].find(
    (b) => b.textContent?.trim() === text,
  )!;
const messagesOf = (chat: ParleyChat) => inner(chat, 'parley-messages') as ParleyMessages;
const liveText = (list: ParleyMessages) =>
  [...shadow(list).querySelectorAll('.live p')].map((p) => p.textContent);

/** Relative luminance contrast of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => {
        const s = Number(v) / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

async function shiftTab() {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

/** The element that has the keyboard focus, inside shadow roots too. */
function deepActive(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/**
 * A member of the room who is not a `<parley-chat>`: a bare transport on the same hub, with
 * an identity of its own that signs what it says (the chat takes signed messages only).
 */
async function peer(hub: MemoryHub, room = 'test-room', name = 'Bob') {
  const who = await author(name);
  const t = hub.transport<ChatEvents>({ signer: who });
  await t.connect(room, { userId: who.id, name, key: who.publicKey });
  let seq = 0;
  return {
    async say(text: string, ts = Date.now()) {
      t.emit('chat:message', await signedBy(who, { room, text, ts, seq: seq++ }));
    },
    close: () => t.close(),
  };
}

describe('accessibility of the views', function () {
  this.timeout(30000);
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });
  const newDb = chatDbs();

  /** A chat in `theme`, logged in as Alice when `login` is set (and connected). */
  async function chatIn(
    theme: Theme,
    { login = true, hub = new MemoryHub(), room = 'test-room' } = {},
  ) {
    const chat = await mountChat(hub, newDb(), room);
    chat.setAttribute('theme', theme);
    if (login) {
      await register(chat, 'Alice');
      await connected(chat);
    } else {
      await waitUntil(() => loginOf(chat).open, 'login popup did not open');
    }
    await chat.updateComplete;
    // The theme just changed: colours are checked once the controls' fades to it are over.
    await frames(2);
    await Promise.all(fades(chat).map((a) => a.finished));
    return chat;
  }

  for (const theme of THEMES) {
    describe(`${theme} theme: axe finds no violations`, () => {
      it('uses the theme palette', async () => {
        const chat = await chatIn(theme, { login: false });
        const style = getComputedStyle(chat);
        expect(style.backgroundColor).to.equal(BG[theme]);
        expect(style.color).to.equal(FG[theme]);
        expect(style.colorScheme).to.equal(theme);
        const dialog = inner(loginOf(chat), 'dialog');
        expect(getComputedStyle(dialog).backgroundColor).to.equal(BG[theme]);
      });

      it('in the login popup', async () => {
        const chat = await chatIn(theme, { login: false });
        await expect(chat).to.be.accessible();
      });

      it('in the login popup showing an error', async () => {
        const chat = await chatIn(theme, { login: false });
        await submitLogin(chat, 'Zed', 'whatever123', 'login');
        const alert = () => shadow(loginOf(chat)).querySelector('[role=alert]');
        await waitUntil(() => alert()?.textContent?.includes('No account'), 'no error', {
          timeout: 5000,
        });
        await expect(chat).to.be.accessible();
      });

      it('in an empty room', async () => {
        const chat = await chatIn(theme);
        expect(inner(messagesOf(chat), '.empty')).to.exist;
        await expect(chat).to.be.accessible();
      });

      it('in a room with messages, ours and others', async () => {
        const hub = new MemoryHub();
        const chat = await chatIn(theme, { hub });
        const bob = await peer(hub);
        await waitUntil(() => shadow(chat).querySelectorAll('parley-roster').length === 1);
        await bob.say('Hello Alice! <b>not bold</b>');
        await typeAndEnter(chat, 'Hi Bob,\nhow are you?');
        await bob.say('Fine, thanks. A long line that wraps across the bubble to check layout.');
        await waitUntil(() => shownMessages(chat).length === 3, 'messages not shown');
        await waitUntil(() => shownMessages(chat)[1]!.status !== 'queued');
        await frames();
        await expect(chat).to.be.accessible();
        bob.close();
      });

      it('with the settings open', async () => {
        const chat = await chatIn(theme);
        headerButton(chat, 'Settings').click();
        // The panel's chunk comes on first use (or once the room has settled).
        await customElements.whenDefined('parley-settings');
        const settings = inner(chat, 'parley-settings');
        await waitUntil(() => inner(settings, 'dialog')?.hasAttribute('open'), 'settings not open');
        await expect(chat).to.be.accessible();
      });

      it('with errors in the settings', async () => {
        const chat = await chatIn(theme);
        headerButton(chat, 'Settings').click();
        // The panel's chunk comes on first use (or once the room has settled).
        await customElements.whenDefined('parley-settings');
        const settings = inner(chat, 'parley-settings');
        await waitUntil(() => inner(settings, 'dialog')?.hasAttribute('open'));
        const server = inner(settings, '#server') as HTMLInputElement;
        server.value = 'not a url';
        server.dispatchEvent(new Event('input'));
        (inner(settings, '#add-ice') as HTMLButtonElement).click();
        await frames(2);
        (inner(settings, 'button[type=submit]') as HTMLButtonElement).click();
        await waitUntil(() => shadow(settings).querySelectorAll('[role=alert]').length === 2);
        await expect(chat).to.be.accessible();
      });

      it('with the offline banner and a room error', async () => {
        const hub = new MemoryHub();
        const chat = await mountChat(hub, newDb(), 'no such room!');
        chat.setAttribute('theme', theme);
        chat.transportFactory = (async () => {
          throw new Error('the network is down');
        }) as TransportFactory;
        await register(chat, 'Alice');
        // The room error is an alert; the link being down is told calmly, as a status.
        await waitUntil(() => shadow(chat).querySelectorAll('.banner[role=alert]').length === 1);
        await waitUntil(() => shadow(chat).querySelector('.banner.calm[role=status]'));
        await typeAndEnter(chat, 'written offline');
        await waitUntil(() => shownMessages(chat)[0]?.status === 'queued');
        await expect(chat).to.be.accessible();
      });

      it('in each element on its own, in every state', async () => {
        const T0 = Date.UTC(2025, 0, 6, 9, 0);
        const me = { id: 'me', name: 'Mallory', key: TEST_AUTHOR.key };
        const bob = { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key };
        const m = (i: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
          id: `m${i}`,
          room: 'lobby',
          from: i % 2 ? bob : me,
          ts: T0 + i * 3_600_000 * 7,
          seq: i,
          sig: SIGNATURE_SHAPED,
          body: { text: `message #${i}` },
          text: `message #${i}`,
          owner: 'me',
          status: i % 2 ? 'received' : 'sent',
          ...extra,
        });
        const states = ['queued', 'sent', 'delivered', 'failed'] as const;
        const roster: RosterMember[] = [
          { id: 'a', userId: 'me', name: 'Mallory', self: true, link: 'relay' },
          { id: 'b', userId: 'bob', name: 'Bob', self: false, link: 'direct' },
          { id: 'c', userId: 'carol', name: 'Carol', self: false, link: 'tab' },
          { id: 'd', userId: 'dan', name: 'Dan', self: false, link: 'memory' },
        ];
        const wrap = await fixture<HTMLElement>(html`
          <div style="color-scheme: ${theme}; display: grid; gap: 1rem; width: 700px">
            <parley-messages
              style="height: 360px"
              self="me"
              more
              .messages=${[
                ...states.map((status, k) => m(k * 2, { status, ackedBy: ['bob', 'carol'] })),
                m(1),
                m(3),
              ]}
            ></parley-messages>
            <parley-messages
              class="virtual"
              style="height: 300px"
              self="me"
              .messages=${Array.from({ length: 400 }, (_, i) => m(i))}
            ></parley-messages>
            <parley-messages style="height: 200px" self="me" .messages=${[]}></parley-messages>
            <parley-roster .members=${roster}></parley-roster>
            <parley-roster .members=${roster.slice(0, 1)}></parley-roster>
            <parley-composer note="That message could not be sent."></parley-composer>
          </div>
        `);
        const composer = wrap.querySelector('parley-composer') as ParleyComposer;
        const field = inner(composer, 'textarea') as HTMLTextAreaElement;
        field.value = 'x'.repeat(8010);
        field.dispatchEvent(new Event('input'));
        await composer.updateComplete;
        expect(inner(composer, '.over').textContent).to.contain('over');
        const long = wrap.querySelector('.virtual') as ParleyMessages;
        await long.updateComplete; // the virtualizer is loaded the first time a list is long
        await frames(8);
        expect(long.virtual).to.equal(true);
        await expect(wrap).to.be.accessible();
      });
    });

    it(`shows a visible focus ring on every control (${theme})`, async () => {
      const chat = await chatIn(theme, { login: false });
      const checked: string[] = [];
      const check = () => {
        const el = deepActive()!;
        const style = getComputedStyle(el);
        const name = `${el.localName}${el.id ? `#${el.id}` : ''} "${el.textContent?.trim() ?? ''}"`;
        expect(el.matches(':focus-visible'), name).to.equal(true);
        expect(style.outlineStyle, name).to.equal('solid');
        expect(parseFloat(style.outlineWidth), name).to.be.at.least(2);
        expect(style.outlineColor, name).to.equal(ACCENT[theme]);
        // Non-text contrast: the ring against the page behind it.
        expect(contrast(style.outlineColor, BG[theme]), name).to.be.at.least(3);
        checked.push(name);
      };
      // The login box: name, password, Log in, Create account. Embedded, it does not take
      // the focus by itself: the visitor clicks or tabs into it.
      expect(deepActive() === document.body, 'no focus taken at load').to.equal(true);
      for (let i = 0; i < 4; i++) {
        if (i > 0) await sendKeys({ press: 'Tab' });
        else (inner(loginOf(chat), 'input[name=name]') as HTMLElement).focus();
        check();
      }
      await register(chat, 'Alice');
      await connected(chat);
      await typeAndEnter(chat, 'hello');
      await waitUntil(() => shownMessages(chat).length === 1);
      // Backwards from the composer: Attach file, the messages list, Log out, Settings.
      const composer = inner(chat, 'parley-composer') as ParleyComposer;
      composer.focus();
      check();
      for (let i = 0; i < 4; i++) {
        await shiftTab();
        check();
      }
      expect(deepActive()!.textContent!.trim()).to.equal('Settings');
      // The settings dialog, from the chosen transport to Save.
      (deepActive() as HTMLButtonElement).click();
      await customElements.whenDefined('parley-settings');
      const settings = inner(chat, 'parley-settings');
      await waitUntil(() => inner(settings, 'dialog')?.hasAttribute('open'));
      await sendKeys({ press: 'Tab' });
      await shiftTab();
      for (let i = 0; i < 40 && deepActive()?.textContent?.trim() !== 'Save'; i++) {
        check();
        await sendKeys({ press: 'Tab' });
      }
      check();
      expect(checked.join('\n')).to.contain('textarea').and.contain('ol').and.contain('Save');
    });
  }

  describe('theme attribute', () => {
    afterEach(() => emulateMedia({ colorScheme: 'light' }));

    it('follows prefers-color-scheme when absent or "auto", and wins over it when set', async () => {
      const chat = await mountChat(new MemoryHub(), newDb());
      const login = inner(loginOf(chat), 'dialog');
      const bg = () => getComputedStyle(login).backgroundColor;
      for (const value of [null, 'auto']) {
        if (value) chat.setAttribute('theme', value);
        else chat.removeAttribute('theme');
        await emulateMedia({ colorScheme: 'dark' });
        expect(bg(), `${value}, dark`).to.equal(BG.dark);
        await emulateMedia({ colorScheme: 'light' });
        expect(bg(), `${value}, light`).to.equal(BG.light);
      }
      chat.setAttribute('theme', 'light');
      await emulateMedia({ colorScheme: 'dark' });
      expect(bg()).to.equal(BG.light);
      chat.setAttribute('theme', 'dark');
      await emulateMedia({ colorScheme: 'light' });
      expect(bg()).to.equal(BG.dark);
    });

    it('passes axe in the dark auto theme', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const hub = new MemoryHub();
      const chat = await mountChat(hub, newDb());
      await register(chat, 'Alice');
      await connected(chat);
      await typeAndEnter(chat, 'hello');
      await waitUntil(() => shownMessages(chat).length === 1);
      expect(getComputedStyle(chat).backgroundColor).to.equal(BG.dark);
      await expect(chat).to.be.accessible();
    });
  });

  describe('new messages are announced politely', () => {
    it('in the chat: messages from others, not the history, not our own', async () => {
      const hub = new MemoryHub();
      const db = newDb();
      let chat = await mountChat(hub, db);
      await register(chat, 'Alice');
      await connected(chat);
      const list = messagesOf(chat);
      const region = inner(list, '.live');
      expect(region.getAttribute('aria-live')).to.equal('polite');
      expect(region.closest('[aria-live]')).to.equal(region);
      expect(inner(list, 'ol, .empty').closest('[aria-live], [role=log], [role=status]')).to.equal(
        null,
      );
      const bob = await peer(hub);
      await bob.say('hello');
      await waitUntil(() => liveText(messagesOf(chat)).length === 1, 'not announced');
      expect(liveText(list)).to.deep.equal(['New message from Bob: hello']);
      await typeAndEnter(chat, 'hi Bob');
      await waitUntil(() => shownMessages(chat).length === 2);
      await sleep(50);
      expect(liveText(list)).to.deep.equal(['New message from Bob: hello']);
      // A reload shows the history again: nothing is read out.
      chat.remove();
      chat = await mountChat(hub, db);
      await waitUntil(() => shownMessages(chat).length === 2, 'history not shown', {
        timeout: 5000,
      });
      await connected(chat);
      await sleep(50);
      expect(liveText(messagesOf(chat))).to.deep.equal([]);
      await bob.say('welcome back');
      await waitUntil(() => liveText(messagesOf(chat)).length === 1, 'not announced');
      expect(liveText(messagesOf(chat))).to.deep.equal(['New message from Bob: welcome back']);
      bob.close();
    });

    it('in the element, short or virtualized: new ones only, several summed up', async () => {
      const T0 = Date.UTC(2025, 0, 6, 9, 0);
      const m = (i: number, from = { id: 'bob', name: 'Bob' }): ChatMessage => ({
        id: `m${String(i).padStart(5, '0')}`,
        room: 'lobby',
        from: { ...from, key: TEST_AUTHOR.key },
        ts: T0 + i * 60_000,
        seq: i,
        sig: SIGNATURE_SHAPED,
        body: { text: `#${i}` },
        text: `#${i}`,
        owner: 'me',
        status: 'received',
      });
      const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => m(a + k));
      for (const size of [20, 400]) {
        const el = await fixture<ParleyMessages>(
          html`<parley-messages
            style="height: 300px"
            self="me"
            .messages=${range(1000, 1000 + size)}
          ></parley-messages>`,
        );
        await frames();
        expect(el.virtual).to.equal(size > 150);
        expect(liveText(el), 'history read out').to.deep.equal([]);
        el.messages = [...range(900, 1000), ...el.messages]; // an older page
        await frames();
        expect(liveText(el), 'an older page read out').to.deep.equal([]);
        el.messages = [...el.messages, m(5000, { id: 'me', name: 'Me' })]; // our own
        await frames();
        expect(liveText(el), 'our own read out').to.deep.equal([]);
        el.messages = [...el.messages, m(5001)];
        await frames();
        expect(liveText(el)).to.deep.equal(['New message from Bob: #5001']);
        el.messages = [...el.messages, ...range(5002, 5010)];
        await frames();
        expect(liveText(el).at(-1)).to.equal('8 new messages. The latest, from Bob: #5009');
        el.messages = el.messages.map((x) => ({ ...x })); // the same messages, new objects
        await frames();
        expect(liveText(el)).to.have.length(2);
      }
    });
  });

  it('uses machine-readable times', async () => {
    const hub = new MemoryHub();
    const chat = await chatIn('light', { hub });
    await typeAndEnter(chat, 'what time is it?');
    await waitUntil(() => shownMessages(chat).length === 1);
    const time = inner(messagesOf(chat), 'li.msg time');
    const iso = time.getAttribute('datetime')!;
    expect(new Date(iso).toISOString()).to.equal(iso);
    expect(Math.abs(Date.parse(iso) - Date.now())).to.be.below(60_000);
  });

  describe('motion', () => {
    afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

    it('has no transitions or smooth scrolling when reduced motion is asked for', async () => {
      const chat = await chatIn('light');
      const button = headerButton(chat, 'Settings');
      const list = () => inner(messagesOf(chat), 'ol, .empty');
      await emulateMedia({ reducedMotion: 'no-preference' });
      expect(getComputedStyle(button).transitionDuration).not.to.equal('0s');
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(button).transitionDuration).to.match(/^0s(, 0s)*$/);
      await typeAndEnter(chat, 'hello');
      await waitUntil(() => shownMessages(chat).length === 1);
      expect(getComputedStyle(list()).scrollBehavior).to.equal('auto');
    });
  });

  it('passes axe with two chats on one page (no duplicate banner landmark)', async () => {
    const hub = new MemoryHub();
    const [a, b] = [await mountChat(hub, newDb()), await mountChat(hub, newDb())];
    await register(a, 'Alice');
    await register(b, 'Bob');
    await Promise.all([connected(a), connected(b)]);
    await expect(a).to.be.accessible();
  });

  it('forwards the parts of its elements, so ::part() styles them through <parley-chat>', async () => {
    const wrap = await fixture<HTMLElement>(html`
      <div>
        <style>
          .parts parley-chat::part(message) {
            outline: 3px dashed rgb(0, 0, 255);
          }
          .parts parley-chat::part(primary) {
            border-radius: 0;
          }
          .parts parley-chat::part(login-dialog) {
            border-radius: 0;
          }
          .parts parley-chat::part(logout-button) {
            text-transform: uppercase;
          }
          .parts parley-chat::part(member) {
            font-style: italic;
          }
        </style>
        <div class="parts"></div>
      </div>
    `);
    const hub = new MemoryHub();
    const chat = await mountChat(hub, newDb());
    wrap.querySelector('.parts')!.append(chat);
    const login = loginOf(chat);
    await waitUntil(() => login.open);
    expect(getComputedStyle(inner(login, 'dialog')).borderRadius).to.equal('0px');
    await register(chat, 'Alice');
    await connected(chat);
    await typeAndEnter(chat, 'styled from outside');
    await waitUntil(() => shownMessages(chat).length === 1);
    const composer = inner(chat, 'parley-composer');
    expect(getComputedStyle(inner(composer, 'button.primary')).borderRadius).to.equal('0px');
    expect(getComputedStyle(inner(messagesOf(chat), 'li.msg')).outlineStyle).to.equal('dashed');
    const logout = inner(chat, '[part~=logout-button]');
    expect(logout.textContent?.trim()).to.equal('Log out');
    expect(getComputedStyle(logout).textTransform).to.equal('uppercase');
    const member = inner(inner(chat, 'parley-roster'), '[part~=member]');
    expect(getComputedStyle(member).fontStyle).to.equal('italic');
  });

  describe('theming from outside', () => {
    it('takes --parley-* values from the page and keeps its styles to itself', async () => {
      const wrap = await fixture<HTMLElement>(html`
        <div>
          <style>
            .themed parley-chat {
              --parley-accent: rgb(200, 0, 100);
              --parley-bg: rgb(250, 250, 240);
              --parley-font: 'Courier New', monospace;
              --parley-radius: 3px;
            }
            .themed {
              color: rgb(0, 128, 0);
              letter-spacing: 4px;
              text-transform: uppercase;
              font-style: italic;
            }
            .themed button,
            .themed p,
            .themed li {
              background: rgb(255, 0, 0);
              color: rgb(255, 0, 0);
              border-radius: 0;
            }
            parley-messages::part(message) {
              outline: 3px dashed rgb(0, 0, 255);
            }
          </style>
          <div class="themed"></div>
          <button class="outside">outside</button>
          <parley-messages
            self="me"
            .messages=${[
              {
                id: 'x',
                room: 'lobby',
                from: { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key },
                ts: Date.now(),
                seq: 0,
                sig: SIGNATURE_SHAPED,
                body: { text: 'hi' },
                text: 'hi',
                owner: 'me',
                status: 'received',
              } satisfies ChatMessage,
            ]}
          ></parley-messages>
        </div>
      `);
      const outside = wrap.querySelector('button.outside')!;
      const before = getComputedStyle(outside).borderRadius;
      const chat = await mountChat(new MemoryHub(), newDb());
      wrap.querySelector('.themed')!.append(chat);
      await waitUntil(() => loginOf(chat).open);
      await chat.updateComplete;
      const login = loginOf(chat);
      const primary = inner(login, 'button.primary');
      const ps = getComputedStyle(primary);
      expect(ps.backgroundColor).to.equal('rgb(200, 0, 100)');
      expect(ps.borderRadius).to.equal('8px');
      expect(getComputedStyle(inner(login, 'dialog')).backgroundColor).to.equal(
        'rgb(250, 250, 240)',
      );
      expect(getComputedStyle(inner(login, 'dialog')).borderRadius).to.equal('4.8px');
      const lead = getComputedStyle(inner(login, 'p.lead'));
      expect(lead.fontFamily).to.contain('Courier New');
      expect(lead.letterSpacing).to.equal('normal');
      expect(lead.textTransform).to.equal('none');
      expect(lead.fontStyle).to.equal('normal');
      expect(getComputedStyle(chat).color).to.equal(FG.light);
      // Nothing leaks out: the page's own button is as it was.
      expect(getComputedStyle(outside).borderRadius).to.equal(before);
      // Parts are styled from outside.
      const message = inner(wrap.querySelector('parley-messages')!, 'li.msg');
      expect(getComputedStyle(message).outlineStyle).to.equal('dashed');
    });
  });
});
