import { expect, fixture, html } from '@open-wc/testing';
import { ParleyIdentityCard } from '../../../src/components/settings/settings-identity.js';

if (!customElements.get('parley-identity-card'))
  customElements.define('parley-identity-card', ParleyIdentityCard);

const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<parley-identity-card>', () => {
  it('shows our safety code in six groups and its short fingerprint', async () => {
    const code = '40404 12121 90909 31313 70707 52525';
    const el = await fixture<ParleyIdentityCard>(
      html`<parley-identity-card .code=${code}></parley-identity-card>`,
    );
    const root = el.shadowRoot!;
    expect(text(root.querySelector('h3'))).to.equal('Your safety code');
    expect(root.querySelector('section')!.getAttribute('aria-labelledby')).to.equal(
      'identity-heading',
    );
    expect(text(root.querySelector('[part=fingerprint]'))).to.equal('40404 12121 90909');
    const groups = [...root.querySelectorAll('[part=code] span')].map((g) => text(g));
    expect(groups).to.deep.equal(code.split(' '));
  });

  it('says the code is on its way while it has none', async () => {
    const el = await fixture<ParleyIdentityCard>(
      html`<parley-identity-card></parley-identity-card>`,
    );
    const root = el.shadowRoot!;
    expect(root.querySelector('[part=code]')).to.equal(null);
    expect(text(root)).to.contain('Working out your code…');
    el.code = '11111 22222 33333 44444 55555 66666';
    await el.updateComplete;
    expect(text(root.querySelector('[part=fingerprint]'))).to.equal('11111 22222 33333');
  });
});
