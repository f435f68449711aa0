/**
 * "Export identity" / "Import identity" in a real browser with real IndexedDB: an identity
 * made with its password is exported to a sealed file and imported into another account (as on
 * another origin: a database of its own), which then holds the same identity and key-agreement
 * keys — a room key wrapped to the exporter opens there — while a wrong passphrase or password
 * changes nothing, and an identity made before export existed says it cannot be exported.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/components/settings/settings-define.js';
import type { ParleyIdentityPort } from '../../../src/components/settings/settings-identity-port.js';
import type { PortSession } from '../../../src/controllers/settings/identity-port.js';
import { createAccount } from '../../../src/store/account-login.js';
import { agreementKeysFor } from '../../../src/store/agreement-keys.js';
import { deleteParleyDb, openParleyDb } from '../../../src/store/db.js';
import { identityFor, publicPart } from '../../../src/store/identities.js';
import { newRawRoomKey, unwrapRoomKey, wrapRoomKey } from '../../../src/protocol/key-agreement.js';
import { safetyCode } from '../../../src/protocol/identity.js';

const PASSWORD = 'alice-password-1';
const PASSPHRASE = 'orchid tram velvet harbour';
const names: string[] = [];

/** An account in a database of its own; its identity made with or without its password. */
async function account(name: string, withPassword: boolean) {
  const dbName = `idport-${name}-${crypto.randomUUID()}`;
  names.push(dbName);
  const db = await openParleyDb(dbName);
  const made = await createAccount(db, name, PASSWORD);
  if (!made.ok) throw new Error(made.fail.message);
  const identity = await identityFor(db, made.profile.id, withPassword ? PASSWORD : undefined);
  const renewed: string[] = [];
  const session: PortSession = {
    db: Promise.resolve(db),
    profile: { ...made.profile, identity: publicPart(identity) },
    renew: () => renewed.push('renew'),
  };
  return { db, owner: made.profile.id, identity, session, renewed };
}

async function mount(session: PortSession) {
  const el = await fixture<ParleyIdentityPort>(
    html`<parley-identity-port .session=${session}></parley-identity-port>`,
  );
  return el;
}

const q = <T extends Element = HTMLElement>(el: ParleyIdentityPort, sel: string) =>
  el.shadowRoot!.querySelector<T>(sel);
const button = (el: ParleyIdentityPort, label: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label);
const text = (el: ParleyIdentityPort) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

function type(el: ParleyIdentityPort, name: string, value: string) {
  const input = q<HTMLInputElement>(el, `input[name=${name}]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

/** Catches the download: its name and text. */
function catchDownload() {
  const got: { name?: string; text?: Promise<string> } = {};
  const create = URL.createObjectURL;
  const click = HTMLAnchorElement.prototype.click;
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    got.text = (blob as Blob).text();
    return 'blob:caught';
  };
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    got.name = this.download;
  };
  return {
    got,
    restore: () => {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    },
  };
}

async function exportFrom(el: ParleyIdentityPort, password: string) {
  await waitUntil(() => button(el, 'Export identity') && !button(el, 'Export identity')!.disabled);
  button(el, 'Export identity')!.click();
  await el.updateComplete;
  // Opening the form keeps the button usable (it closes the form again).
  expect(button(el, 'Export identity')!.disabled).to.equal(false);
  expect(button(el, 'Export identity')!.getAttribute('aria-expanded')).to.equal('true');
  type(el, 'secret', password);
  type(el, 'passphrase', PASSPHRASE);
  type(el, 'again', PASSPHRASE);
  await el.updateComplete;
  expect(text(el)).to.contain('Strength: strong.');
  button(el, 'Save file')!.click();
}

async function choose(el: ParleyIdentityPort, fileText: string) {
  button(el, 'Import identity')!.click();
  await el.updateComplete;
  const input = q<HTMLInputElement>(el, 'input[type=file]')!;
  const dt = new DataTransfer();
  dt.items.add(new File([fileText], 'parley-identity-alice.json', { type: 'application/json' }));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  await waitUntil(() => q(el, '[part=file-identity]') || !q(el, '[part=error]')!.hidden);
}

describe('<parley-identity-port>', () => {
  after(async () => {
    for (const name of names) await deleteParleyDb(name);
  });

  it('exports with the password, and imports elsewhere as the same identity and agreement keys', async () => {
    const alice = await account('alice', true);
    const aliceKx = await agreementKeysFor(alice.db, alice.owner);
    const el = await mount(alice.session);
    const caught = catchDownload();
    let fileText: string;
    try {
      await exportFrom(el, PASSWORD);
      await waitUntil(() => caught.got.text, 'nothing was saved', { timeout: 10_000 });
      fileText = await caught.got.text!;
    } finally {
      caught.restore();
    }
    expect(caught.got.name).to.equal('parley-identity-alice.json');
    expect(text(el)).to.contain('Saved parley-identity-alice.json');
    const file = JSON.parse(fileText) as Record<string, string>;
    expect(file.format).to.equal('parley-identity-sealed/1');
    expect(file.publicKey).to.equal(alice.identity.publicKey);
    expect(file.agreementKey).to.equal(aliceKx.publicKey);

    // Someone wraps a room key to Alice's announced key-agreement key.
    const room = { room: 'p.help', epoch: 2 };
    const { raw } = await newRawRoomKey();
    const wrapped = await wrapRoomKey(raw, room, [
      { to: alice.identity.id, kx: aliceKx.publicKey },
    ]);

    // Another origin: another database, another account with an identity of its own.
    const agent = await account('agent', true);
    const other = await mount(agent.session);
    await choose(other, fileText);
    const shown = text(other);
    expect(shown).to.contain('This file holds the identity of alice');
    expect(shown).to.contain(await safetyCode(alice.identity.publicKey));
    expect(shown).to.contain("Importing replaces this account's identity on this browser");

    // A wrong passphrase: refused in words, nothing changed.
    type(other, 'passphrase', 'not the passphrase at all');
    button(other, 'Replace my identity')!.click();
    await waitUntil(() => !q(other, '[part=error]')!.hidden, 'no error', { timeout: 10_000 });
    expect(q(other, '[part=error]')!.textContent).to.contain(
      'That passphrase does not open this file',
    );
    expect((await agent.db.get('identities', agent.owner))!.publicKey).to.equal(
      agent.identity.publicKey,
    );
    expect(agent.renewed).to.deep.equal([]);

    type(other, 'passphrase', PASSPHRASE);
    button(other, 'Replace my identity')!.click();
    await waitUntil(() => agent.renewed.length === 1, 'the session was not renewed', {
      timeout: 10_000,
    });
    const now = (await agent.db.get('identities', agent.owner))!;
    expect(now.publicKey).to.equal(alice.identity.publicKey);
    expect(now.id).to.equal(alice.identity.id);
    expect(now.privateKey.extractable).to.equal(false);
    expect(now.escrow?.by).to.equal('file');
    const kx = await agreementKeysFor(agent.db, agent.owner);
    expect(kx.publicKey).to.equal(aliceKx.publicKey);
    expect(kx.privateKey.extractable).to.equal(false);
    // The room key sealed to Alice opens here.
    const opened = await unwrapRoomKey(room, wrapped.eph, wrapped.keys[0]!, alice.identity.id, kx);
    expect(opened && [...opened]).to.deep.equal([...raw]);
    expect(text(other)).to.contain('Imported: you are now the identity with safety code');
  });

  it('refuses a wrong password and a passphrase too short or typed differently', async () => {
    const alice = await account('alice', true);
    const el = await mount(alice.session);
    await exportFrom(el, 'wrong password');
    await waitUntil(() => !q(el, '[part=error]')!.hidden, 'no error', { timeout: 10_000 });
    expect(q(el, '[part=error]')!.textContent).to.contain('That is not your password.');
    type(el, 'secret', PASSWORD);
    type(el, 'passphrase', 'short');
    type(el, 'again', 'short');
    q<HTMLFormElement>(el, 'form')!.requestSubmit();
    await waitUntil(() => q(el, '[part=error]')!.textContent!.includes('at least 12 characters'));
    type(el, 'passphrase', PASSPHRASE);
    type(el, 'again', `${PASSPHRASE}!`);
    q<HTMLFormElement>(el, 'form')!.requestSubmit();
    await waitUntil(() =>
      q(el, '[part=error]')!.textContent!.includes('The two passphrases differ.'),
    );
  });

  it('says an identity made before export existed cannot be exported', async () => {
    const old = await account('olden', false);
    expect((await old.db.get('identities', old.owner))!.escrow).to.equal(undefined);
    const el = await mount(old.session);
    await waitUntil(() => text(el).includes('made before export existed'));
    expect(button(el, 'Export identity')!.disabled).to.equal(true);
    expect(button(el, 'Export identity')!.getAttribute('aria-describedby')).to.equal(
      'not-exportable',
    );
    expect(button(el, 'Import identity')!.disabled).to.equal(false);
  });

  it('refuses a file that is not a sealed identity, saying so', async () => {
    const agent = await account('agent', true);
    const el = await mount(agent.session);
    await choose(el, '{"format":"parley-identity/1","key":"MC4CAQAwBQYDK2VwBCIEI"}');
    expect(q(el, '[part=error]')!.textContent).to.contain('changed or is of another version');
    expect(q(el, '[part=file-identity]')).to.equal(null);
  });
});
