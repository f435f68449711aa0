/**
 * The package's two entries: `parley/elements` (src/index.ts) only hands out the classes,
 * `parley` (src/define.ts) registers them, and keeps a definition an earlier copy of Parley made.
 * The steps share this file's page (one custom element registry), so they run in order; the
 * imports are dynamic so that nothing is registered before the first step looks.
 */
import { expect } from '@open-wc/testing';
import { PARLEY_TAGS as TAGS } from '../support/tags.js';

/** Tags defined in this page's registry. */
const defined = () => TAGS.filter((tag) => customElements.get(tag) !== undefined);

describe('the entries', () => {
  it('parley/elements exports the classes and registers no element', async () => {
    const api = await import('../../src/index.js');
    expect(api.ParleyChat.prototype).to.be.instanceOf(HTMLElement);
    expect(api.ParleySettings.prototype).to.be.instanceOf(HTMLElement);
    expect(api.loadTransport).to.be.a('function');
    expect(defined()).to.deep.equal([]);
  });

  it('lets a page register a class under a tag name of its own', async () => {
    const { ParleyRoster } = await import('../../src/index.js');
    // A subclass: one constructor can have only one tag name, and `parley` may load later.
    customElements.define('acme-roster', class extends ParleyRoster {});
    expect(document.createElement('acme-roster')).to.be.instanceOf(ParleyRoster);
    expect(defined()).to.deep.equal([]);
  });

  it('parley registers every element and keeps a definition made before it', async () => {
    // What an earlier copy of Parley on the same page would have left.
    class EarlierChat extends HTMLElement {}
    customElements.define('parley-chat', EarlierChat);

    const api = await import('../../src/define.js');
    // The Settings panel's elements come in a chunk of their own, on first use (or once a
    // chat's room is live: see load-order.ts) — asked for here as opening the panel would; the
    // message and member lists with a chat's core, asked for here as the core does.
    const { loadSettingsPanel } = await import('../../src/components/chat/chat-settings.js');
    const { loadMessages, loadRoster } = await import('../../src/components/chat/chat-body.js');
    await Promise.all([loadSettingsPanel(), loadMessages(), loadRoster()]);
    await Promise.all(TAGS.map((tag) => customElements.whenDefined(tag)));
    expect(defined()).to.deep.equal([...TAGS]);
    expect(customElements.get('parley-chat')).to.equal(EarlierChat);
    expect(customElements.get('parley-composer')).to.equal(api.ParleyComposer);
    const elements = await import('../../src/index.js');
    expect(customElements.get('parley-messages')).to.equal(elements.ParleyMessages);
    expect(customElements.get('parley-roster')).to.equal(elements.ParleyRoster);
    expect(customElements.get('parley-login')).to.equal(elements.ParleyLogin);
    expect(customElements.get('parley-settings')).to.equal(elements.ParleySettings);
    expect(customElements.get('parley-room-lock')).to.equal(elements.ParleyRoomLock);
    expect(customElements.get('parley-identity-card')).to.equal(elements.ParleyIdentityCard);
    expect(customElements.get('parley-identity-port')).to.equal(elements.ParleyIdentityPort);
    expect('ParleySettings' in api, 'the panel classes stay out of the initial chunk').to.equal(
      false,
    );
    expect('ParleyLogin' in api, 'the login box stays out of the initial chunk').to.equal(false);
    expect('ParleyRoster' in api, 'the member list stays out of the initial chunk').to.equal(false);
    expect('ParleyMessages' in api, 'the message list stays out of the initial chunk').to.equal(
      false,
    );
  });
});
