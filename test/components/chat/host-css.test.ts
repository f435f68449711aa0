/**
 * The chat owns its box whatever the embedding page sets on the element: many sites give custom
 * elements `display: block`, which must neither collapse an inline chat (its login, message list
 * and composer keep their places, compared by element geometry with a chat the page leaves
 * alone) nor give a launcher a box on the page (its button and panel stay fixed to the window).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { chatDbs, loginOf, memoryFactory, register, shadow } from './chat-helpers.js';

/** Where a part of the chat is, relative to the element's own box. */
function geometry(chat: ParleyChat) {
  const host = chat.getBoundingClientRect();
  const at = (el: Element | null | undefined) => {
    const r = el!.getBoundingClientRect();
    return [r.top - host.top, r.left - host.left, r.width, r.height].map(Math.round);
  };
  const root = shadow(chat);
  return {
    header: at(root.querySelector('header')),
    list: at(root.querySelector('parley-messages')),
    composer: at(root.querySelector('parley-composer')),
  };
}

describe('<parley-chat> under the page’s display: block', function () {
  this.timeout(20000);
  const newDb = chatDbs();
  let sheet: HTMLStyleElement | undefined;
  afterEach(() => sheet?.remove());

  /** Two chats side by side, one of which the page styles as sites often do. */
  async function pair() {
    sheet = document.createElement('style');
    sheet.textContent = 'parley-chat.site { display: block }';
    document.head.append(sheet);
    const hub = new MemoryHub();
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="display: flex; gap: 10px">
        ${['site', 'plain'].map(
          (cls) =>
            html`<parley-chat
              class=${cls}
              style="height: 480px; width: 420px"
              room="desk"
              db-name=${newDb()}
              transport="memory"
              .transportFactory=${memoryFactory(hub)}
            ></parley-chat>`,
        )}
      </div>`,
    );
    const [site, plain] = [...wrap.querySelectorAll('parley-chat')] as ParleyChat[];
    await Promise.all([site!.updateComplete, plain!.updateComplete]);
    return { site: site!, plain: plain! };
  }

  it('keeps the inline chat’s login, list and composer where they belong', async () => {
    const { site, plain } = await pair();
    expect(getComputedStyle(site).display).to.equal('block');
    await waitUntil(() => loginOf(site)?.open && loginOf(plain)?.open, 'both logins shown');
    const login = (c: ParleyChat) => loginOf(c).getBoundingClientRect();
    expect(login(site).height, 'the login fills the box').to.be.above(200);
    expect(Math.round(login(site).height)).to.equal(Math.round(login(plain).height));
    await register(site, 'Ann');
    await register(plain, 'Bob');
    await waitUntil(
      () => geometry(site).list[3]! > 200 && geometry(plain).list[3]! > 200,
      'message lists laid out',
    );
    expect(geometry(site)).to.deep.equal(geometry(plain));
    const { composer } = geometry(site);
    expect(composer[0]! + composer[3]!, 'the composer at the bottom of the box').to.be.within(
      400,
      480,
    );
  });

  it('gives a launcher no box on the page, its button fixed to the window', async () => {
    sheet = document.createElement('style');
    sheet.textContent = 'parley-chat { display: block }';
    document.head.append(sheet);
    const chat = await fixture<ParleyChat>(
      html`<parley-chat
        launcher
        room="desk"
        db-name=${newDb()}
        transport="memory"
        .transportFactory=${memoryFactory(new MemoryHub())}
      ></parley-chat>`,
    );
    const button = () => shadow(chat).querySelector<HTMLElement>('[part~=launcher]');
    await waitUntil(() => button(), 'the launcher');
    await waitUntil(() => getComputedStyle(button()!).position === 'fixed', 'its styles');
    expect(Math.round(chat.getBoundingClientRect().height), 'no room taken').to.equal(0);
    const r = button()!.getBoundingClientRect();
    expect(Math.round(window.innerHeight - r.bottom), 'at the window’s bottom').to.equal(20);
    expect(Math.round(window.innerWidth - r.right), 'at the window’s right').to.equal(20);
  });
});
