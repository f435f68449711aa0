import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleySettings } from '../../src/components/parley-settings.js';
import {
  DEFAULT_ICE_SERVERS,
  type ParleySettings as Settings,
} from '../../src/controllers/settings.js';

if (!customElements.get('parley-settings'))
  customElements.define('parley-settings', ParleySettings);

const SAVED: Settings = {
  transport: 'socketio',
  server: 'https://chat.example.org',
  iceServers: [
    { urls: 'stun:stun.example.org:3478' },
    { urls: 'turn:turn.example.org', username: 'ann', credential: 's3cret' },
  ],
};

async function mount(settings: Settings = SAVED, notice = ''): Promise<ParleySettings> {
  const el = await fixture<ParleySettings>(
    html`<parley-settings open .settings=${settings} notice=${notice}></parley-settings>`,
  );
  await waitUntil(() => dialogOf(el).open, 'the dialog did not open');
  return el;
}

const dialogOf = (el: ParleySettings) => el.shadowRoot!.querySelector('dialog')!;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The accessible name of a control: aria-label, else its label, else its text. */
const nameOf = (c: HTMLInputElement | HTMLButtonElement) =>
  squash(c.getAttribute('aria-label') ?? c.labels?.[0]?.textContent ?? c.textContent);

/** The one control named `name`, or a failed test. */
function control<T extends HTMLInputElement | HTMLButtonElement>(el: ParleySettings, name: string) {
  const all = [...el.shadowRoot!.querySelectorAll<T>('input, button')];
  const found = all.filter((c) => nameOf(c) === name);
  if (found.length !== 1) throw new Error(`${found.length} controls named "${name}"`);
  return found[0]!;
}
const input = (el: ParleySettings, name: string) => control<HTMLInputElement>(el, name);
const click = async (el: ParleySettings, name: string) => {
  control(el, name).click();
  await el.updateComplete;
};

/** Types into a field the way the browser reports it: new value, then an input event. */
async function type(el: ParleySettings, name: string, value: string): Promise<void> {
  const field = input(el, name);
  field.focus();
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/** Presses Save; resolves with the saved settings, or null when nothing was fired. */
async function save(el: ParleySettings): Promise<Settings | null> {
  let saved: Settings | null = null;
  const listener = (e: CustomEvent<{ settings: Settings }>) => (saved = e.detail.settings);
  el.addEventListener('parley-settings-save', listener);
  await click(el, 'Save');
  await el.updateComplete;
  el.removeEventListener('parley-settings-save', listener);
  return saved;
}

const alerts = (el: ParleySettings) =>
  [...el.shadowRoot!.querySelectorAll('[role=alert]')].map((a) => squash(a.textContent));
const focused = (el: ParleySettings) => el.shadowRoot!.activeElement;
const rowCount = (el: ParleySettings) => el.shadowRoot!.querySelectorAll('.ice-row').length;

describe('<parley-settings>', () => {
  it('opens as a modal dialog with named controls and the notice', async () => {
    const el = await mount(SAVED, 'WebRTC failed; using the relay.');
    const dialog = dialogOf(el);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(
      squash(el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent),
    ).to.equal('Settings');
    expect(squash(el.shadowRoot!.querySelector('legend')!.textContent)).to.equal('Transport');
    expect(squash(el.shadowRoot!.querySelector('[part=notice]')!.textContent)).to.equal(
      'WebRTC failed; using the relay.',
    );
    for (const name of ['Socket.IO relay', 'WebRTC (peer-to-peer)', "This browser's tabs"]) {
      const radio = input(el, name);
      expect(radio.type).to.equal('radio');
      const hint = el.shadowRoot!.getElementById(radio.getAttribute('aria-describedby')!);
      expect(squash(hint?.textContent)).not.to.equal('');
    }
    expect(input(el, 'Server URLs').placeholder).to.equal("This page's server");
    expect(input(el, 'Credential 2').type).to.equal('password');
    for (const name of ['Remove ICE server 1', 'Add server', 'Use none', 'Use default', 'Cancel'])
      expect(control(el, name)).to.exist;
    expect(control(el, 'Save').classList.contains('primary')).to.equal(true);
    expect(focused(el)).to.equal(input(el, 'Socket.IO relay'));
  });

  it('shows the current settings', async () => {
    const el = await mount();
    expect(input(el, 'Socket.IO relay').checked).to.equal(true);
    expect(input(el, 'WebRTC (peer-to-peer)').checked).to.equal(false);
    expect(input(el, 'Server URLs').value).to.equal('https://chat.example.org');
    expect(input(el, 'ICE server 1').value).to.equal('stun:stun.example.org:3478');
    expect(input(el, 'User name 1').value).to.equal('');
    expect(input(el, 'ICE server 2').value).to.equal('turn:turn.example.org');
    expect(input(el, 'User name 2').value).to.equal('ann');
    expect(input(el, 'Credential 2').value).to.equal('s3cret');
    expect(alerts(el)).to.deep.equal([]);
  });

  it('saves the chosen transport, with strings trimmed and empty keys dropped', async () => {
    const el = await mount();
    await click(el, 'WebRTC (peer-to-peer)');
    await type(el, 'Server URLs', '  http://10.0.0.5:8080  ');
    await type(el, 'User name 2', ' bob ');
    const closed = waitUntil(() => !dialogOf(el).open, 'Save did not close the dialog');
    expect(await save(el)).to.deep.equal({
      transport: 'webrtc',
      server: 'http://10.0.0.5:8080',
      iceServers: [SAVED.iceServers[0], { ...SAVED.iceServers[1], username: 'bob' }],
    });
    await closed;
    expect(el.open).to.equal(false);
    expect(SAVED.transport, 'the saved object is not edited').to.equal('socketio');
  });

  for (const bad of ['ftp://x', 'not a url']) {
    it(`shows an inline error for the server "${bad}" and does not save`, async () => {
      const el = await mount();
      await type(el, 'Server URLs', bad);
      expect(alerts(el), 'no error before Save').to.deep.equal([]);
      expect(await save(el)).to.equal(null);
      const field = input(el, 'Server URLs');
      expect(field.getAttribute('aria-invalid')).to.equal('true');
      const error = el.shadowRoot!.getElementById(field.getAttribute('aria-describedby')!)!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(squash(error.textContent)).to.match(/https?:\/\//);
      expect(focused(el)).to.equal(field);
      expect(dialogOf(el).open).to.equal(true);
      await type(el, 'Server URLs', 'https://ok.example.org');
      expect(alerts(el), 'fixed on input').to.deep.equal([]);
      expect(field.getAttribute('aria-invalid')).to.equal('false');
      expect((await save(el))?.server).to.equal('https://ok.example.org');
    });
  }

  it('takes a fail-over list of servers, in order, without repeats, up to 8', async () => {
    const el = await mount();
    const nine = Array.from({ length: 9 }, (_, i) => `https://n${i}.example`).join(' ');
    await type(el, 'Server URLs', nine);
    expect(await save(el)).to.equal(null);
    expect(squash(alerts(el).join(' '))).to.match(/At most 8 servers/);
    await type(el, 'Server URLs', ' https://a.example, https://b.example,https://a.example ');
    expect((await save(el))?.server).to.equal('https://a.example https://b.example');
  });

  it('shows a row error for a bad STUN/TURN entry and does not save', async () => {
    const el = await mount();
    await type(el, 'ICE server 1', 'stun:');
    expect(await save(el)).to.equal(null);
    expect(alerts(el)).to.have.length(1);
    expect(alerts(el)[0]).to.contain('stun:host');
    expect(input(el, 'ICE server 1').getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal(input(el, 'ICE server 1'));

    await type(el, 'ICE server 1', 'turn:relay.example.org:3478');
    expect(alerts(el)).to.deep.equal(['A TURN server needs a user name and a credential.']);
    expect(await save(el)).to.equal(null);
    expect(focused(el)).to.equal(input(el, 'User name 1'));
    await type(el, 'User name 1', 'me');
    await type(el, 'Credential 1', 'pw');
    expect(alerts(el)).to.deep.equal([]);
    expect((await save(el))?.iceServers[0]).to.deep.equal({
      urls: 'turn:relay.example.org:3478',
      username: 'me',
      credential: 'pw',
    });
  });

  it('"Use none" empties the list and saves no servers', async () => {
    const el = await mount();
    await click(el, 'Use none');
    expect(rowCount(el)).to.equal(0);
    expect(squash(el.shadowRoot!.querySelector('.ice')!.textContent)).to.contain(
      'No STUN/TURN servers: peers connect directly on the same network only.',
    );
    expect((await save(el))?.iceServers).to.deep.equal([]);
  });

  it('"Use default" restores the default servers', async () => {
    const el = await mount({ ...SAVED, iceServers: [] });
    await click(el, 'Use default');
    expect(rowCount(el)).to.equal(DEFAULT_ICE_SERVERS.length);
    expect(input(el, 'ICE server 1').value).to.equal(DEFAULT_ICE_SERVERS[0]!.urls);
    expect((await save(el))?.iceServers).to.deep.equal(DEFAULT_ICE_SERVERS);
  });

  it('adds and removes rows, renumbering them', async () => {
    const el = await mount();
    await click(el, 'Add server');
    expect(rowCount(el)).to.equal(3);
    await waitUntil(() => focused(el) === input(el, 'ICE server 3'), 'new row not focused');
    await type(el, 'ICE server 3', 'stuns:secure.example.org');
    await click(el, 'Remove ICE server 1');
    expect(rowCount(el)).to.equal(2);
    expect(input(el, 'ICE server 1').value).to.equal('turn:turn.example.org');
    expect(input(el, 'Credential 1').value).to.equal('s3cret');
    expect(input(el, 'ICE server 2').value).to.equal('stuns:secure.example.org');
    expect(() => control(el, 'Remove ICE server 3')).to.throw();
    expect((await save(el))?.iceServers).to.deep.equal([
      SAVED.iceServers[1],
      { urls: 'stuns:secure.example.org' },
    ]);
  });

  it('an empty new row is an error once saved', async () => {
    const el = await mount();
    await click(el, 'Add server');
    expect(await save(el)).to.equal(null);
    expect(alerts(el)).to.have.length(1);
    expect(focused(el)).to.equal(input(el, 'ICE server 3'));
  });

  it('Cancel and Escape fire parley-settings-close and close the dialog', async () => {
    const el = await mount();
    setTimeout(() => control(el, 'Cancel').click());
    await oneEvent(el, 'parley-settings-close');
    await waitUntil(() => !dialogOf(el).open, 'Cancel did not close the dialog');
    expect(el.open).to.equal(false);

    el.open = true;
    await waitUntil(() => dialogOf(el).open, 'did not reopen');
    const closing = oneEvent(el, 'parley-settings-close');
    await sendKeys({ press: 'Escape' });
    await closing;
    expect(el.open).to.equal(false);
    expect(dialogOf(el).open).to.equal(false);
  });

  it('starts from the saved settings again each time it opens', async () => {
    const el = await mount();
    await click(el, "This browser's tabs");
    await type(el, 'Server URLs', 'ftp://x');
    await save(el);
    await click(el, 'Use none');
    await click(el, 'Cancel');
    el.open = true;
    await waitUntil(() => dialogOf(el).open, 'did not reopen');
    expect(input(el, 'Socket.IO relay').checked).to.equal(true);
    expect(input(el, 'Server URLs').value).to.equal(SAVED.server);
    expect(rowCount(el)).to.equal(2);
    expect(alerts(el)).to.deep.equal([]);
  });

  it('stays open when the save event is cancelled', async () => {
    const el = await mount();
    el.addEventListener('parley-settings-save', (e) => e.preventDefault(), { once: true });
    expect(await save(el)).to.deep.equal(SAVED);
    expect(el.open).to.equal(true);
    expect(dialogOf(el).open).to.equal(true);
  });
});
