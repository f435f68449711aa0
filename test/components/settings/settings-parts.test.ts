/**
 * Settings in three parts — *This room*, *You*, *Connection* — each reached from the strip
 * above the body and fitting a 390×844 phone with its important controls in view; the owner's
 * verdict on a server scrolled into view with "Save anyway" beside it, wherever the reader was.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../../src/components/settings/settings-define.js';
import type { ParleySettings } from '../../../src/components/settings/parley-settings.js';

const MEMBERS = ['Alice', 'Bob', 'Carol', 'Dave'].map((name, i) => ({
  id: `m${i}`,
  name,
  key: `k${i}`,
  admin: i < 2,
  creator: i === 0,
  self: i === 0,
  canRemove: i > 0,
}));

/** The panel as `<parley-chat>` fills it: the room's part, ours, the diagnostics. */
async function mount(kind: 'private' | 'public' = 'private'): Promise<ParleySettings> {
  const el = await fixture<ParleySettings>(html`
    <parley-settings>
      <parley-room-lock
        slot="room"
        room="x7f3kq9w2m"
        room-title="Design Team"
        kind=${kind}
        encrypted
        can-manage
        .members=${MEMBERS}
      ></parley-room-lock>
      <parley-identity-card
        slot="identity"
        name="Alice"
        code="12345 67890 13579 24680 11223 34455"
      ></parley-identity-card>
      <p slot="diagnostics">Refused in this room: 0 with a signature that did not check out.</p>
    </parley-settings>
  `);
  el.open = true;
  await waitUntil(() => el.shadowRoot!.querySelector('dialog')!.open, 'the dialog did not open');
  return el;
}

const root = (el: Element) => el.shadowRoot!;
const body = (el: ParleySettings) => root(el).querySelector<HTMLElement>('.body')!;
const lock = (el: ParleySettings) => el.querySelector('parley-room-lock')!;
const card = (el: ParleySettings) => el.querySelector('parley-identity-card')!;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The button or input in `scope` whose text or label is `name`. */
function named(scope: ShadowRoot, name: string): HTMLElement {
  const found = [
    ...scope.querySelectorAll<HTMLInputElement | HTMLButtonElement>('button, input'),
  ].filter((c) => squash(c.labels?.[0]?.textContent ?? c.textContent) === name);
  if (found.length === 0) throw new Error(`no control named "${name}"`);
  return found[0]!;
}

/** Presses the strip's button for a part. */
async function go(el: ParleySettings, part: string) {
  const strip = [...root(el).querySelectorAll<HTMLButtonElement>('.strip button')];
  const button = strip.find((b) => squash(b.textContent) === part);
  if (!button) throw new Error(`no "${part}" in the strip`);
  button.click();
  await el.updateComplete;
  return button;
}

/** Whether `box` lies inside the body's visible box and the phone's width. */
function inView(el: ParleySettings, target: Element, what: string) {
  const box = target.getBoundingClientRect();
  const view = body(el).getBoundingClientRect();
  expect(box.height, `${what} is shown`).to.be.above(0);
  expect(box.top, `${what} top`).to.be.at.least(view.top - 0.5);
  expect(box.bottom, `${what} bottom`).to.be.at.most(view.bottom + 0.5);
  expect(box.left, `${what} left`).to.be.at.least(0);
  expect(box.right, `${what} right`).to.be.at.most(390);
}

describe('<parley-settings> in three parts, at 390×844', () => {
  let size: { width: number; height: number };
  before(async () => {
    size = { width: window.innerWidth, height: window.innerHeight };
    await setViewport({ width: 390, height: 844 });
  });
  after(() => setViewport(size));

  it('takes the reader to each part, whose important controls are all in view', async () => {
    const el = await mount();
    const parts: Array<[string, () => Element[]]> = [
      [
        'This room',
        () => [
          root(lock(el)).querySelector('[part~=room-kind]')!,
          root(lock(el)).querySelector('[part~=room-lock-state]')!,
          root(lock(el)).querySelector('[part~=room-key]')!,
          named(root(lock(el)), 'Copy invite link'),
        ],
      ],
      [
        'You',
        () => [
          root(card(el)).querySelector('[part~=name]')!,
          root(card(el)).querySelector('[part~=code]')!,
        ],
      ],
      [
        'Connection',
        () => [
          named(root(el), 'Connection details'),
          named(root(el), 'Socket.IO relay'),
          named(root(el), 'WebRTC (peer-to-peer)'),
          named(root(el), "This browser's tabs"),
          named(root(el), 'Server URLs'),
        ],
      ],
    ];
    for (const [part, controls] of parts) {
      const button = await go(el, part);
      expect(button.getAttribute('aria-current'), `${part} marked current`).to.equal('true');
      const heading = root(el).getElementById(button.getAttribute('aria-controls')! + '-heading')!;
      expect(squash(heading.textContent)).to.equal(part);
      expect(root(el).activeElement, `the focus on the ${part} heading`).to.equal(heading);
      inView(el, heading, `${part}: its heading`);
      for (const c of controls()) inView(el, c, `${part}: ${squash(c.textContent) || c.id}`);
      for (const name of ['Save', 'Cancel']) {
        const box = named(root(el), name).getBoundingClientRect();
        expect(box.top, `${name} top`).to.be.at.least(body(el).getBoundingClientRect().bottom);
        expect(box.bottom, `${name} bottom`).to.be.at.most(844);
      }
    }
  });

  it('scrolls the owner\'s verdict into view, announced, with "Save anyway" beside it', async () => {
    const el = await mount();
    expect(body(el).scrollTop, 'opens at the top, at This room').to.equal(0);
    // The check takes seconds: the reader may have moved the focus away meanwhile (the
    // verdict never pulls it back), and still must see it.
    (root(el).activeElement as HTMLElement).blur();
    el.serverError = 'Could not reach http://127.0.0.1:9: no answer within 4 s.';
    await el.updateComplete;
    const error = root(el).getElementById('server-error')!;
    expect(error.getAttribute('role')).to.equal('alert');
    await waitUntil(() => {
      const box = error.getBoundingClientRect();
      return box.bottom <= body(el).getBoundingClientRect().bottom + 0.5;
    }, 'the error stayed below the fold');
    inView(el, error, 'the error');
    inView(el, named(root(el), 'Save anyway'), '"Save anyway"');
    inView(el, named(root(el), 'Keep the current server'), '"Keep the current server"');
    inView(el, named(root(el), 'Server URLs'), 'the field');
    expect(
      root(el).querySelector('.strip [aria-current=true]')?.textContent?.trim(),
      'the strip follows',
    ).to.equal('Connection');
  });

  it('opens at This room with the focus on the strip, whose arrow keys move along it', async () => {
    const el = await mount();
    const strip = [...root(el).querySelectorAll<HTMLButtonElement>('.strip button')];
    expect(strip.map((b) => squash(b.textContent))).to.deep.equal([
      'This room',
      'You',
      'Connection',
    ]);
    expect(root(el).activeElement).to.equal(strip[0]);
    expect(strip[0]!.getAttribute('aria-current')).to.equal('true');
    const focusedName = () => squash(root(el).activeElement?.textContent);
    await sendKeys({ press: 'ArrowRight' });
    expect(focusedName()).to.equal('You');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    expect(focusedName(), 'round to the first').to.equal('This room');
    await sendKeys({ press: 'ArrowLeft' });
    expect(focusedName(), 'round to the last').to.equal('Connection');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(squash(root(el).activeElement?.textContent), 'Enter goes to the part').to.equal(
      'Connection',
    );
    expect(root(el).activeElement?.localName).to.equal('h3');
  });

  it("shows a public room's passphrase field at the top of This room; a private room has none", async () => {
    const el = await mount('public');
    await go(el, 'This room');
    inView(el, named(root(lock(el)), 'Room passphrase'), 'the passphrase field');
    inView(el, named(root(lock(el)), 'Copy invite link'), '"Copy invite link"');
    const text = squash(root(lock(el)).querySelector('[part~=room-kind]')?.textContent);
    expect(text).to.contain("Anyone who knows this room's name can join and read its history");
    lock(el).kind = 'private';
    await lock(el).updateComplete;
    expect(root(lock(el)).querySelector('[part~=passphrase]'), 'none in a private room').to.equal(
      null,
    );
  });

  it('passes axe with the members, a passphrase and its preview, a mismatch and changes marked', async () => {
    const el = await mount('public');
    Object.assign(lock(el), {
      passphrase: 'Tangerine-42 at noon',
      preview: { opens: 12, sealed: 14 },
      mismatch: 'Bob',
      marked: { remove: ['m2'], admin: ['m3'], rekey: true },
    });
    await lock(el).updateComplete;
    await expect(el).to.be.accessible();
    const text = squash(root(lock(el)).textContent);
    expect(text).to.contain('This passphrase opens 12 of the 14 encrypted messages stored here');
    expect(text).to.contain(
      "This passphrase doesn't open Bob's messages — check it with the others",
    );
    expect(text).to.contain('Will be removed when you save');
    expect(text).to.contain('Will be admin when you save.');
  });
});
