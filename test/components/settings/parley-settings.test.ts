import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ParleySettings } from '../../../src/components/settings/parley-settings.js';
import { SettingsController } from '../../../src/controllers/settings/settings-controller.js';
import {
  DEFAULT_ICE_SERVERS,
  type ParleySettings as Settings,
} from '../../../src/controllers/settings/settings.js';
import type { PeerHello } from '../../../src/protocol/peer.js';
import { writeSettings } from '../../../src/store/settings-store.js';
import { freshDb } from '../../support/db.js';

if (!customElements.get('parley-settings'))
  customElements.define('parley-settings', ParleySettings);

const SAVED: Settings = {
  transport: 'socketio',
  server: 'https://chat.example.org',
  iceServers: [
    { urls: 'stun:stun.example.org:3478' },
    { urls: 'turn:turn.example.org', username: 'ann', credential: 's3cret' },
  ],
  direct: 'everyone',
  historyMax: 50_000,
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

/** What `parley-settings-save` carries (`force` is new; events.ts may not list it yet). */
type SaveDetail = { settings: Settings; force?: boolean };

/** Presses the button named `name`; resolves with the save event's detail, or null. */
async function pressSave(el: ParleySettings, name = 'Save'): Promise<SaveDetail | null> {
  let detail: SaveDetail | null = null;
  const listener = (e: Event) => (detail = (e as CustomEvent<SaveDetail>).detail);
  el.addEventListener('parley-settings-save', listener);
  await click(el, name);
  await el.updateComplete;
  el.removeEventListener('parley-settings-save', listener);
  return detail;
}

/** Presses Save; resolves with the saved settings, or null when nothing was fired. */
const save = async (el: ParleySettings) => (await pressSave(el))?.settings ?? null;

const details = (el: ParleySettings) => el.shadowRoot!.querySelector('details')!;
/** Opens "Advanced" the way a user does, by its summary. */
async function openAdvanced(el: ParleySettings): Promise<void> {
  const summary = el.shadowRoot!.querySelector('summary')!;
  expect(squash(summary.textContent)).to.equal('Advanced');
  if (!details(el).open) summary.click();
  await el.updateComplete;
  expect(details(el).open).to.equal(true);
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
    // It opens at its first part, the focus on the strip that leads to each.
    expect(focused(el) === control(el, 'This room'), 'the focus on "This room"').to.equal(true);
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
    expect(await pressSave(el)).to.deep.equal({
      settings: {
        transport: 'webrtc',
        server: 'http://10.0.0.5:8080',
        iceServers: [SAVED.iceServers[0], { ...SAVED.iceServers[1], username: 'bob' }],
        direct: 'everyone',
        historyMax: 50_000,
      },
    });
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
    await openAdvanced(el);
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
    await openAdvanced(el);
    await click(el, 'Use none');
    expect(rowCount(el)).to.equal(0);
    expect(squash(el.shadowRoot!.querySelector('.ice')!.textContent)).to.contain(
      'No STUN/TURN servers: direct links work only between browsers on the same network.',
    );
    expect((await save(el))?.iceServers).to.deep.equal([]);
  });

  it('"Use default" restores the default servers', async () => {
    const el = await mount({ ...SAVED, iceServers: [] });
    await openAdvanced(el);
    await click(el, 'Use default');
    expect(rowCount(el)).to.equal(DEFAULT_ICE_SERVERS.length);
    expect(input(el, 'ICE server 1').value).to.equal(DEFAULT_ICE_SERVERS[0]!.urls);
    expect((await save(el))?.iceServers).to.deep.equal(DEFAULT_ICE_SERVERS);
  });

  it('adds and removes rows, renumbering them', async () => {
    const el = await mount();
    await openAdvanced(el);
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

  it('an empty new row is an error once saved, shown with "Advanced" opened', async () => {
    const el = await mount();
    await openAdvanced(el);
    await click(el, 'Add server');
    const folded = oneEvent(details(el), 'toggle');
    details(el).open = false; // folded again before Save
    await folded;
    expect(await save(el)).to.equal(null);
    expect(alerts(el)).to.have.length(1);
    await el.updateComplete;
    expect(details(el).open, 'the error is not folded away').to.equal(true);
    expect(focused(el)).to.equal(input(el, 'ICE server 3'));
    expect(input(el, 'ICE server 3').checkVisibility()).to.equal(true);
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

  it('stays closed after Escape when it updates before the close event', async () => {
    const el = await mount();
    // Escape closes the dialog at once and fires `close` a task later; the owner changes the
    // notice in between (the connection switched, a verdict came).
    const watch = new MutationObserver(() => (el.notice = 'Connected over WebRTC'));
    watch.observe(dialogOf(el), { attributeFilter: ['open'] });
    const closing = oneEvent(el, 'parley-settings-close');
    await sendKeys({ press: 'Escape' });
    await closing;
    await el.updateComplete;
    watch.disconnect();
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

  it('stays open after Save until its owner sets open = false', async () => {
    const el = await mount();
    let closes = 0;
    el.addEventListener('parley-settings-close', () => closes++);
    expect(await save(el)).to.deep.equal(SAVED);
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(dialogOf(el).open).to.equal(true);
    el.open = false;
    await el.updateComplete;
    expect(dialogOf(el).open).to.equal(false);
    expect(closes, 'closing by the owner is not a dismissal').to.equal(0);
  });
});

describe('<parley-settings> explains the choices and folds away the advanced part', () => {
  const hintOf = (el: ParleySettings, name: string) =>
    squash(
      el.shadowRoot!.getElementById(input(el, name).getAttribute('aria-describedby')!)!.textContent,
    );

  it('says what each transport means before it is chosen', async () => {
    const el = await mount();
    expect(hintOf(el, "This browser's tabs")).to.equal(
      'Only other tabs of this browser will see your messages — no server, nobody else.',
    );
    expect(hintOf(el, 'WebRTC (peer-to-peer)')).to.equal(
      'Messages go directly between browsers; the server only introduces people, and carries messages for those who cannot link directly.',
    );
    expect(hintOf(el, 'Socket.IO relay')).to.match(/^Messages go through the server\b.*\.$/);
  });

  it('keeps the STUN/TURN servers under a closed "Advanced", every time it opens', async () => {
    const el = await mount();
    expect(details(el).open).to.equal(false);
    expect(input(el, 'Server URLs').checkVisibility()).to.equal(true);
    expect(input(el, "This browser's tabs").checkVisibility()).to.equal(true);
    expect(input(el, 'ICE server 1').checkVisibility()).to.equal(false);
    expect(details(el).querySelector('legend')!.textContent).to.equal('STUN/TURN servers');
    await openAdvanced(el);
    expect(input(el, 'ICE server 1').checkVisibility()).to.equal(true);
    expect(input(el, 'ICE server 1').id).to.match(/^ice-\d+-urls$/);
    await click(el, 'Cancel');
    el.open = true;
    await waitUntil(() => dialogOf(el).open, 'did not reopen');
    expect(details(el).open).to.equal(false);
  });

  describe('at 390×844', () => {
    let size: { width: number; height: number };
    before(() => (size = { width: window.innerWidth, height: window.innerHeight }));
    after(() => setViewport(size));

    it('scrolls its body and keeps Save and Cancel in the window', async () => {
      await setViewport({ width: 390, height: 844 });
      const el = await mount();
      await openAdvanced(el);
      await click(el, 'Add server');
      await click(el, 'Add server');
      const body = el.shadowRoot!.querySelector('.body')!;
      expect(body.scrollHeight, 'the form is taller than the window').to.be.above(844);
      expect(body.clientHeight).to.be.below(body.scrollHeight);
      // At the top of the form, then scrolled to its end: the buttons never move away.
      for (const field of [input(el, 'Socket.IO relay'), input(el, 'Credential 4')]) {
        field.focus();
        for (const name of ['Save', 'Cancel']) {
          const box = control(el, name).getBoundingClientRect();
          expect(box.top, `${name} top`).to.be.at.least(0);
          expect(box.bottom, `${name} bottom`).to.be.at.most(844);
          expect(box.left, `${name} left`).to.be.at.least(0);
          expect(box.right, `${name} right`).to.be.at.most(390);
        }
      }
      const save = control(el, 'Save').getBoundingClientRect();
      const hit = el.shadowRoot!.elementFromPoint(
        save.x + save.width / 2,
        save.y + save.height / 2,
      );
      expect(hit, 'Save is not covered by the scrolled form').to.equal(control(el, 'Save'));
    });
  });
});

describe('<parley-settings> while its owner checks the server', () => {
  const checkingText = (el: ParleySettings) =>
    squash(el.shadowRoot!.querySelector('[part~=checking]')!.textContent);

  it('says "Checking…" by the server field and holds Save back, staying open', async () => {
    const el = await mount();
    const status = el.shadowRoot!.querySelector('[part~=checking]')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(checkingText(el)).to.equal('');
    el.checking = true;
    await el.updateComplete;
    expect(checkingText(el)).to.equal('Checking…');
    expect(status.closest('.field')!.contains(input(el, 'Server URLs'))).to.equal(true);
    expect(control(el, 'Save').getAttribute('aria-disabled')).to.equal('true');
    expect(await save(el), 'Save does nothing meanwhile').to.equal(null);
    let fired = 0;
    el.addEventListener('parley-settings-save', () => fired++);
    // Enter in a field submits the form too.
    el.shadowRoot!.querySelector('form')!.requestSubmit();
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(dialogOf(el).open).to.equal(true);
    el.checking = false;
    await el.updateComplete;
    expect(checkingText(el)).to.equal('');
    expect(control(el, 'Save').hasAttribute('aria-disabled')).to.equal(false);
    expect(await save(el)).to.deep.equal(SAVED);
  });

  it("shows the owner's server error at the field, with its two ways out", async () => {
    const el = await mount();
    await type(el, 'Server URLs', 'https://new.example.org');
    expect(() => control(el, 'Save anyway')).to.throw();
    const problem = 'Could not reach https://new.example.org: no answer within 4 s.';
    el.setAttribute('server-error', problem);
    await el.updateComplete;
    const field = input(el, 'Server URLs');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    const error = el.shadowRoot!.getElementById(field.getAttribute('aria-describedby')!)!;
    expect(squash(error.textContent)).to.equal(problem);
    expect(error.getAttribute('role')).to.equal('alert');
    expect(focused(el), 'the focus goes to the field').to.equal(field);
    expect(control(el, 'Keep the current server').getAttribute('part')).to.contain('keep-server');
    expect(control(el, 'Save anyway').getAttribute('part')).to.contain('save-anyway');

    expect(await pressSave(el, 'Save anyway')).to.deep.equal({
      settings: { ...SAVED, server: 'https://new.example.org' },
      force: true,
    });
    expect(dialogOf(el).open, 'the owner closes it').to.equal(true);

    await click(el, 'Keep the current server');
    await el.updateComplete;
    expect(field.value).to.equal(SAVED.server);
    expect(field.getAttribute('aria-invalid')).to.equal('false');
    expect(alerts(el)).to.deep.equal([]);
    expect(() => control(el, 'Save anyway')).to.throw();
    expect(focused(el)).to.equal(field);
  });

  it('passes axe while checking, with a verdict, and with "Advanced" open', async () => {
    const el = await mount();
    await openAdvanced(el);
    el.checking = true;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    el.checking = false;
    el.serverError = 'Could not reach https://chat.example.org: no answer within 4 s.';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('sets the error aside while the address is edited, and shows a new verdict', async () => {
    const el = await mount();
    el.serverError = 'Could not reach https://chat.example.org: nothing answered at that address.';
    await el.updateComplete;
    expect(alerts(el)).to.have.length(1);
    await type(el, 'Server URLs', 'https://other.example.org');
    expect(alerts(el), 'checked again on Save').to.deep.equal([]);
    el.checking = true;
    await el.updateComplete;
    el.checking = false;
    await el.updateComplete;
    expect(alerts(el), 'the same verdict after another check').to.have.length(1);
    el.open = false;
    await el.updateComplete;
    el.serverError = '';
    el.open = true;
    await waitUntil(() => dialogOf(el).open);
    expect(alerts(el)).to.deep.equal([]);
  });
});

describe('<parley-settings inline>', () => {
  /** A page: an opener button, the chat's box with the panel in it, and another button. */
  async function page() {
    const root = await fixture<HTMLDivElement>(html`
      <div>
        <button id="opener">Open</button>
        <div id="box" style="position: relative; width: 360px; height: 420px">
          <parley-settings
            inline
            .settings=${SAVED}
            style="position: absolute; inset: 0"
          ></parley-settings>
        </div>
        <button id="outside">Elsewhere</button>
      </div>
    `);
    const el = root.querySelector('parley-settings')!;
    const opener = root.querySelector<HTMLButtonElement>('#opener')!;
    const outside = root.querySelector<HTMLButtonElement>('#outside')!;
    return { root, el, opener, outside };
  }
  async function openFrom(el: ParleySettings, opener: HTMLElement) {
    opener.focus();
    el.open = true;
    await waitUntil(() => dialogOf(el).open, 'the panel did not open');
  }

  it('is not modal, fills its host, and leaves the page usable', async () => {
    const { el, opener, outside } = await page();
    expect(el.hasAttribute('inline')).to.equal(true);
    await openFrom(el, opener);
    expect(dialogOf(el).matches(':modal')).to.equal(false);
    expect(focused(el) === control(el, 'This room'), 'the focus on "This room"').to.equal(true);
    const host = el.getBoundingClientRect();
    const box = dialogOf(el).getBoundingClientRect();
    expect([box.x, box.y, box.width, box.height]).to.deep.equal([
      host.x,
      host.y,
      host.width,
      host.height,
    ]);
    let clicks = 0;
    outside.addEventListener('click', () => clicks++);
    const r = outside.getBoundingClientRect();
    await sendMouse({
      type: 'click',
      position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
    });
    expect(clicks, 'a real click reaches the page').to.equal(1);
    expect(document.activeElement).to.equal(outside);
    expect(el.open, 'clicking elsewhere does not close it').to.equal(true);
  });

  it('closes on Escape and gives the focus back', async () => {
    const { el, opener } = await page();
    await openFrom(el, opener);
    let closes = 0;
    el.addEventListener('parley-settings-close', () => closes++);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.open, 'Escape did not close it');
    await el.updateComplete;
    expect(closes).to.equal(1);
    expect(dialogOf(el).open).to.equal(false);
    expect(document.activeElement).to.equal(opener);
  });

  it('gives the focus back on Cancel and when its owner closes it', async () => {
    const { el, opener } = await page();
    await openFrom(el, opener);
    await click(el, 'Cancel');
    await el.updateComplete;
    expect(document.activeElement).to.equal(opener);
    await openFrom(el, opener);
    el.open = false;
    await el.updateComplete;
    expect(document.activeElement).to.equal(opener);
  });

  it('gives the focus back into a shadow root, not to its host', async () => {
    const { root, el } = await page();
    const wrapper = root.appendChild(document.createElement('div'));
    const opener = wrapper
      .attachShadow({ mode: 'open' })
      .appendChild(document.createElement('button'));
    opener.textContent = 'Settings';
    await openFrom(el, opener);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.open, 'Escape did not close it');
    await el.updateComplete;
    expect(wrapper.shadowRoot!.activeElement).to.equal(opener);
  });

  it('leaves the focus alone when it has moved out of the panel', async () => {
    const { el, opener, outside } = await page();
    await openFrom(el, opener);
    outside.focus();
    el.open = false;
    await el.updateComplete;
    expect(document.activeElement).to.equal(outside);
  });

  it('does not pull the focus back from the page when a verdict arrives', async () => {
    const { el, opener, outside } = await page();
    await openFrom(el, opener);
    outside.focus();
    el.serverError = 'Could not reach https://chat.example.org: no answer within 4 s.';
    await el.updateComplete;
    expect(alerts(el)).to.have.length(1);
    expect(document.activeElement).to.equal(outside);
  });

  it('takes no room and catches no clicks while closed', async () => {
    const { root, el } = await page();
    expect(el.getBoundingClientRect().height).to.equal(0);
    const box = root.querySelector('#box')!.getBoundingClientRect();
    expect(document.elementFromPoint(box.x + 10, box.y + 10)).to.equal(root.querySelector('#box'));
  });
});

describe('<parley-settings> "Connect directly to"', function () {
  this.timeout(15000);
  const CHOICES = {
    everyone: 'everyone in the room',
    verified: 'only people I have verified',
    nobody: 'nobody (relay only)',
  } as const;
  const drops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(drops.splice(0).map((drop) => drop()));
  });

  /** The fieldset whose legend reads `legend`, or a failed test. */
  function group(el: ParleySettings, legend: string): HTMLFieldSetElement {
    const all = [...el.shadowRoot!.querySelectorAll('fieldset')];
    const found = all.filter((f) => squash(f.querySelector('legend')?.textContent) === legend);
    expect(found, `one group "${legend}"`).to.have.lengthOf(1);
    return found[0]!;
  }

  it('is a radio group with its legend, three named choices and a hint about IP addresses', async () => {
    const el = await mount();
    const fieldset = group(el, 'Connect directly to');
    const radios = [...fieldset.querySelectorAll<HTMLInputElement>('input')];
    expect(radios.map((r) => [r.type, nameOf(r)])).to.deep.equal(
      Object.values(CHOICES).map((name) => ['radio', name]),
    );
    expect(new Set(radios.map((r) => r.name)).size, 'one group: one choice at a time').to.equal(1);
    expect(input(el, CHOICES.everyone).checked, 'the saved choice').to.equal(true);
    const hint = el.shadowRoot!.getElementById(fieldset.getAttribute('aria-describedby')!);
    expect(squash(hint?.textContent)).to.match(/IP address/);
    // Keyboard: the arrow keys move the choice within the group.
    input(el, CHOICES.everyone).focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(input(el, CHOICES.verified).checked).to.equal(true);
    expect((await save(el))?.direct).to.equal('verified');
  });

  it('shows the saved choice and saves another', async () => {
    const el = await mount({ ...SAVED, direct: 'nobody' });
    expect(input(el, CHOICES.nobody).checked).to.equal(true);
    expect(input(el, CHOICES.everyone).checked).to.equal(false);
    await click(el, CHOICES.verified);
    expect(await save(el)).to.deep.equal({ ...SAVED, direct: 'verified' });
  });

  /** A stand-in for the element hosting the controller. */
  class Host implements ReactiveControllerHost {
    readonly updateComplete = Promise.resolve(true);
    addController(_c: ReactiveController): void {}
    removeController(_c: ReactiveController): void {}
    requestUpdate(): void {}
  }

  /** A settings controller loaded from `db`, as the chat makes one. */
  async function loaded(
    db: Awaited<ReturnType<typeof freshDb>>['db'],
    verified?: (hello: PeerHello) => boolean,
  ) {
    const prefs = new SettingsController(new Host(), {
      session: { db: Promise.resolve(db) },
      apply: () => {},
      ...(verified ? { verified } : {}),
    });
    prefs.hostConnected();
    await waitUntil(() => prefs.loaded, 'the settings did not load');
    return prefs;
  }

  const hello = (name: string): PeerHello => ({ id: `c-${name}`, userId: name, name, since: 1 });

  it('persists: what the panel saves is what the next visit loads, and it decides the links', async () => {
    const { db, drop } = await freshDb();
    drops.push(drop);
    const el = await mount({ ...SAVED, server: '' });
    await click(el, CHOICES.nobody);
    const chosen = (await save(el))!;
    const first = await loaded(db);
    expect(first.settings.direct, 'a first visit links to everyone').to.equal('everyone');
    expect(first.directTo()(hello('ann'))).to.equal(true);
    expect(await first.save(chosen)).to.equal(true);

    const next = await loaded(db); // a reload: read back from IndexedDB
    expect(next.settings.direct).to.equal('nobody');
    expect(next.directTo()(hello('ann')), 'nobody is linked').to.equal(false);
    el.open = false;
    await el.updateComplete;
    el.settings = next.settings;
    el.open = true;
    await el.updateComplete;
    expect(input(el, CHOICES.nobody).checked, 'the panel shows it again').to.equal(true);

    await next.save({ ...next.settings, direct: 'verified' });
    const verifying = await loaded(db, (h) => h.name === 'ben');
    expect(verifying.settings.direct).to.equal('verified');
    expect(verifying.directTo()(hello('ben')), 'a verified member').to.equal(true);
    expect(verifying.directTo()(hello('ann')), 'one not verified').to.equal(false);
    expect(
      (await loaded(db)).directTo()(hello('ben')),
      'without the hook nobody is verified',
    ).to.equal(false);
  });

  it('falls back to "everyone in the room" for a stored value it does not know', async () => {
    const { db, drop } = await freshDb();
    drops.push(drop);
    await writeSettings(db, { ...SAVED, direct: 'the-moon' });
    const prefs = await loaded(db);
    expect(prefs.settings.direct).to.equal('everyone');
    expect(prefs.settings.server, 'the rest is kept').to.equal(SAVED.server);
    expect(await prefs.save({ ...prefs.settings, direct: 'bogus' as never })).to.equal(false);
    expect(prefs.problems.direct).to.be.a('string');
  });
});

describe('<parley-settings> "Messages kept per room"', () => {
  const drops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(drops.splice(0).map((drop) => drop()));
  });
  const FIELD = 'Messages kept per room';

  it('checks the number before it hands it over, and keeps it when the page fixes it', async () => {
    const el = await mount();
    expect(input(el, FIELD).value).to.equal('50000');
    await type(el, FIELD, '50');
    expect(await save(el), 'refused').to.equal(null);
    expect(alerts(el)).to.deep.equal(['Keep a whole number from 100 to 1,000,000 messages.']);
    expect(focused(el)).to.equal(input(el, FIELD));
    await type(el, FIELD, '2500.5');
    expect(await save(el), 'a whole number').to.equal(null);
    await type(el, FIELD, '2000');
    expect(alerts(el)).to.deep.equal([]);
    expect(await save(el)).to.deep.equal({ ...SAVED, historyMax: 2000 });

    el.historyFixed = 300;
    await el.updateComplete;
    expect([input(el, FIELD).value, input(el, FIELD).disabled]).to.deep.equal(['300', true]);
    expect(await save(el), 'the visitor’s own number is kept').to.deep.equal(SAVED);
  });

  it('persists through the settings controller; an unusable stored number falls back', async () => {
    const { db, drop } = await freshDb();
    drops.push(drop);
    const host = {
      updateComplete: Promise.resolve(true),
      addController() {},
      removeController() {},
      requestUpdate() {},
    };
    const load = async () => {
      const prefs = new SettingsController(host, {
        session: { db: Promise.resolve(db) },
        apply: () => {},
      });
      prefs.hostConnected();
      await waitUntil(() => prefs.loaded, 'the settings did not load');
      return prefs;
    };
    const first = await load();
    expect(first.settings.historyMax).to.equal(50_000);
    expect(await first.save({ ...first.settings, historyMax: 0 })).to.equal(false);
    expect(first.problems.historyMax).to.be.a('string');
    expect(await first.save({ ...first.settings, historyMax: 1234 })).to.equal(true);
    expect((await load()).settings.historyMax, 'the next visit loads it').to.equal(1234);
    await writeSettings(db, { ...SAVED, historyMax: -3 });
    const next = await load();
    expect(next.settings.historyMax).to.equal(50_000);
    expect(next.settings.server, 'the rest is kept').to.equal(SAVED.server);
  });
});
