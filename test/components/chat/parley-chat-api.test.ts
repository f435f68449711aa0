import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import type { ParleyChatEventMap } from '../../../src/components/shared/events.js';
import type { AnyTransportOptions, TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { TransportKind } from '../../../src/transport/types.js';
import type { PeerProfile } from '../../../src/protocol/peer.js';
import {
  connected,
  loginOf,
  memoryFactory,
  mountChat,
  register,
  shadow,
  shownMessages,
  typeAndEnter,
  chatDbs,
} from './chat-helpers.js';

type Heard = { [K in keyof ParleyChatEventMap]?: Array<ParleyChatEventMap[K]['detail']> };

/** Records the public events reaching the document, per element. */
function listen(el: ParleyChat, types: Array<keyof ParleyChatEventMap>): Heard {
  const heard: Heard = {};
  for (const type of types) {
    document.addEventListener(type, (e) => {
      if (e.target !== el) return;
      ((heard[type] ??= []) as unknown[]).push((e as CustomEvent).detail);
    });
  }
  return heard;
}

describe('<parley-chat> for embedding pages', function () {
  this.timeout(20000);
  const newDb = chatDbs();

  it('tells the page about logins, status and messages, and keeps its inner events inside', async () => {
    const hub = new MemoryHub();
    const [a, b] = [await mountChat(hub, newDb(), 'api'), await mountChat(hub, newDb(), 'api')];
    const all: Array<keyof ParleyChatEventMap> = [
      'parley-message',
      'parley-status',
      'parley-login',
    ];
    const [heardA, heardB] = [listen(a, all), listen(b, all)];
    const leaked: string[] = [];
    for (const type of [
      'parley-send',
      'parley-typing',
      'parley-register-submit',
      'parley-login-submit',
    ]) {
      document.addEventListener(type, () => leaked.push(type));
    }
    await register(a, 'Ann');
    await register(b, 'Bob');
    await connected(a);
    await waitUntil(() => heardA['parley-status']?.some((s) => s.members === 2), 'two members');
    expect(heardA['parley-login']?.map((u) => u.name)).to.deep.equal(['Ann']);
    expect(
      Object.keys(heardA['parley-login']![0]!),
      'no password reaches the page',
    ).to.have.members(['userId', 'name']);
    await typeAndEnter(a, 'hello page');
    await waitUntil(() => heardB['parley-message']?.length === 1, 'B reports the message');
    expect(heardA['parley-message']?.[0]).to.include({
      text: 'hello page',
      direction: 'out',
      room: 'api',
    });
    expect(heardB['parley-message']?.[0]).to.include({ text: 'hello page', direction: 'in' });
    expect(heardB['parley-message']?.[0]?.from.name).to.equal('Ann');
    const open = heardA['parley-status']!.at(-1)!;
    expect(open).to.deep.equal({ state: 'open', transport: 'memory', room: 'api', members: 2 });
    expect(leaked, 'view events stay inside the element').to.deep.equal([]);
  });

  it('keeps two elements in different rooms apart on one page', async () => {
    const hub = new MemoryHub();
    const db = newDb();
    const [one, two] = [
      await mountChat(hub, db, 'room-one'),
      await mountChat(hub, newDb(), 'room-two'),
    ];
    const peer = await mountChat(hub, newDb(), 'room-one');
    await register(one, 'Ann');
    await register(two, 'Ann');
    await register(peer, 'Cy');
    await typeAndEnter(one, 'only for room one');
    await waitUntil(() => shownMessages(peer).length === 1, 'delivered in room one');
    expect(shownMessages(two)).to.deep.equal([]);
  });

  it('applies attribute changes at run time: room, transport, server list, ICE servers, theme', async () => {
    const hub = new MemoryHub();
    const made: Array<{ kind: TransportKind; options: AnyTransportOptions }> = [];
    /** Who each transport joined as. */
    const joined: PeerProfile[] = [];
    const factory = (async (kind: TransportKind, options: AnyTransportOptions) => {
      made.push({ kind, options });
      const transport = hub.transport();
      const connect = transport.connect.bind(transport);
      transport.connect = (room, me) => (joined.push(me), connect(room, me));
      return transport;
    }) as TransportFactory;
    const el = await fixture<ParleyChat>(
      html`<parley-chat
        style="height: 400px"
        room="first"
        db-name=${newDb()}
        transport="socketio"
        server="https://a.example"
        ice-servers="stun:stun.example.org:3478"
        .transportFactory=${factory}
      ></parley-chat>`,
    );
    const heard = listen(el, ['parley-status', 'parley-error']);
    await register(el, 'Ann');
    await waitUntil(() => made.length === 1, 'first transport');
    const { accept, signer, ...given } = made[0]!.options;
    expect({ kind: made[0]!.kind, options: given }).to.deep.equal({
      kind: 'socketio',
      options: { url: ['https://a.example'], iceServers: [{ urls: 'stun:stun.example.org:3478' }] },
    });
    expect(accept, "only the protocol's events reach the room").to.be.a('function');
    // The transport signs as the identity we join as (hellos, join proofs, WebRTC offers).
    await waitUntil(() => joined.length === 1, 'first join');
    expect(signer?.sign, 'a signer for the transport').to.be.a('function');
    expect(signer!.id).to.equal(joined[0]!.userId);
    el.setAttribute('transport', 'webrtc');
    await waitUntil(() => made.length === 2, 'switched transport');
    expect(made[1]!.kind).to.equal('webrtc');
    el.setAttribute('server', 'https://a.example https://b.example');
    el.setAttribute(
      'ice-servers',
      '[{"urls":"turn:turn.example.org:3478","username":"u","credential":"c"}]',
    );
    await waitUntil(() => made.length >= 3, 'switched server');
    const latest = made.at(-1)!.options;
    expect({ ...latest, accept: undefined, signer: undefined }).to.deep.equal({
      accept: undefined,
      signer: undefined,
      url: ['https://a.example', 'https://b.example'],
      iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }],
    });
    expect(latest.signer?.id, 'the same identity on the new link').to.equal(signer!.id);
    el.room = 'second';
    await waitUntil(
      () => heard['parley-status']?.some((s) => s.room === 'second' && s.state === 'open'),
      'moved room',
    );
    expect(shadow(el).querySelector('h1')!.textContent).to.contain('second');
    el.room = 'no spaces please';
    await waitUntil(() => heard['parley-error']?.length === 1, 'error for a bad room');
    expect(heard['parley-error']![0]!.message).to.match(/unusable room/);
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
  });

  it('counts messages that arrive out of view, in a badge and the title, until seen', async () => {
    const hub = new MemoryHub();
    const sender = await mountChat(hub, newDb(), 'attention');
    const el = await mountChat(hub, newDb(), 'attention');
    el.titleUnread = true;
    document.title = 'Host page';
    await register(sender, 'Ann');
    await register(el, 'Bob');
    await connected(el);
    // Scrolled far out of view: what arrives now is unseen.
    el.style.marginTop = '5000px';
    await new Promise((r) => setTimeout(r, 200));
    await typeAndEnter(sender, 'one');
    await typeAndEnter(sender, 'two');
    const badge = () => shadow(el).querySelector('.unread')?.textContent?.trim();
    await waitUntil(() => badge() === '2 new', 'badge');
    expect(document.title).to.equal('(2) Host page');
    el.scrollIntoView();
    await waitUntil(() => badge() === undefined, 'seen');
    expect(document.title).to.equal('Host page');
  });

  it('logs every chat on the page in and out together when they share a database', async () => {
    const hub = new MemoryHub();
    const db = newDb();
    const [one, two] = [await mountChat(hub, db, 'desk-a'), await mountChat(hub, db, 'desk-b')];
    await register(one, 'Ann');
    await waitUntil(() => !loginOf(two).open, 'the second chat logged in by itself');
    await connected(two);
    (shadow(one).querySelector('[part~=logout-button]') as HTMLButtonElement).click();
    await waitUntil(() => loginOf(two).open, 'logged out together');
  });

  it('signs in the visitor the site names with display-name, live, with no popup', async () => {
    const hub = new MemoryHub();
    const db = newDb();
    const mount = (name: string) =>
      fixture<ParleyChat>(
        html`<parley-chat
          style="height: 400px"
          room="site"
          db-name=${db}
          display-name=${name}
          transport="memory"
          .transportFactory=${memoryFactory(hub)}
        ></parley-chat>`,
      );
    const peer = await mountChat(hub, newDb(), 'site');
    const heardPeer = listen(peer, ['parley-message']);
    await register(peer, 'Cy');
    const el = await mount('Dana');
    const heard = listen(el, ['parley-login', 'parley-logout', 'parley-error']);
    await connected(el);
    expect(loginOf(el).open, 'no popup').to.equal(false);
    expect(shadow(el).querySelector('[part~=user]')!.textContent).to.equal('Dana');
    expect(shadow(el).querySelector('[part~=logout-button]'), 'the site logs out').to.equal(null);
    await typeAndEnter(el, 'from the site');
    await waitUntil(() => heardPeer['parley-message']?.length === 1, 'peer hears Dana');
    expect(heardPeer['parley-message']![0]!.from.name).to.equal('Dana');
    // Same browser, same name later: the same identity, so the history is hers (shown as own).
    const danaId = heard['parley-login']![0]!.userId;
    el.remove();
    const back = await mount('Dana');
    await connected(back);
    await waitUntil(() => shownMessages(back).length === 1, 'history kept');
    expect(shownMessages(back)[0]).to.include({ text: 'from the site', own: true });
    // The site signs someone else in, then nobody: the element follows.
    const after = listen(back, ['parley-login', 'parley-logout', 'parley-error']);
    back.displayName = 'Eve';
    await waitUntil(() => after['parley-login']?.some((u) => u.name === 'Eve'), 'now Eve');
    expect(after['parley-login']!.at(-1)!.userId).not.to.equal(danaId);
    back.removeAttribute('display-name');
    await waitUntil(() => loginOf(back).open, 'the popup is back');
    // Quick changes: whatever order the answers come in, the last name set wins.
    const userShown = () => shadow(back).querySelector('[part~=user]')?.textContent;
    for (const name of ['Fay', undefined, 'Gus']) {
      back.displayName = name;
      await back.updateComplete;
    }
    await waitUntil(() => userShown() === 'Gus', 'the last name wins');
    back.displayName = 'Hal';
    await back.updateComplete;
    back.displayName = undefined;
    await waitUntil(() => loginOf(back).open, 'unset at last: the popup');
    await new Promise((r) => setTimeout(r, 300));
    expect([loginOf(back).open, userShown()], 'no late identity').to.deep.equal([true, undefined]);
    back.setAttribute('display-name', 'x');
    await waitUntil(() => after['parley-error']?.length === 1, 'an unusable name is reported');
    expect(after['parley-error']![0]!.message).to.match(/display name "x" cannot be used/);
    expect(loginOf(back).open, 'no popup to type into').to.equal(false);
    expect(shadow(back).querySelector('[part~=error]')!.textContent).to.contain('display name');
  });
});
