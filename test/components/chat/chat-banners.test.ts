/**
 * The notices under the top bar about the room's key: messages no key of ours opens, and a
 * passphrase that does not open someone's messages (the room split by a passphrase typed
 * differently), said in the room where people look, with the way to Settings.
 */
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { chatBanners, type BannerView } from '../../../src/components/chat/chat-banners.js';

const view = (extra: Partial<BannerView>): BannerView => ({
  loggedIn: true,
  connection: 'open',
  servers: [],
  notice: undefined,
  deviceOffline: false,
  locked: 0,
  mismatch: undefined,
  errors: [],
  onSettings: () => {},
  ...extra,
});

function shown(v: BannerView): HTMLElement {
  const host = document.createElement('div');
  render(chatBanners(v), host);
  return host;
}

describe('chat banners about the room key', () => {
  it("says whose messages this passphrase doesn't open, with Settings", () => {
    const host = shown(view({ locked: 2, mismatch: { name: 'Alice' } }));
    const banner = host.querySelector('[part~="locked"]')!;
    expect(banner.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      "This passphrase doesn't open Alice's messages — check it with the others Settings",
    );
    expect(banner.getAttribute('role')).to.equal('status');
  });

  it('says how many messages no key opens when no passphrase is at fault', () => {
    const host = shown(view({ locked: 1 }));
    expect(host.querySelector('[part~="locked"]')!.textContent).to.contain(
      "1 message is encrypted with a key you don't have",
    );
    expect(shown(view({})).querySelector('[part~="locked"]')).to.equal(null);
  });
});
