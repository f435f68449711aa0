/**
 * `<parley-chat guest>`: a visitor asks without a username or a password. Her first message
 * starts a guest account in this browser; a reload keeps her conversation and her identity;
 * a name or email the account cannot take is explained and nothing typed is lost; protecting
 * the account with a password keeps its identity (the same safety code).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { safetyCode } from '../../../src/protocol/identity.js';
import { openParleyDb } from '../../../src/store/db.js';
import { verifyLogin } from '../../../src/store/account-login.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import type { ParleyGuestStart } from '../../../src/components/login/guest-start.js';
import type { ParleyGuestProfile } from '../../../src/components/login/guest-profile.js';
import {
  chatDbs,
  connected,
  loginOf,
  memoryFactory,
  mountChat,
  register,
  shadow,
  shownMessages as listed,
  submitLogin,
} from '../chat/chat-helpers.js';

/** The messages shown, none before the list is drawn (a guest's box stands in for it). */
const shownMessages = (chat: ParleyChat) =>
  shadow(chat).querySelector('parley-messages') ? listed(chat) : [];

/** Mounts a guest chat in `room` over `hub`, as a visitor's page would. */
async function mountGuest(hub: MemoryHub, dbName: string, askEmail = false) {
  const chat = await fixture<ParleyChat>(
    html`<parley-chat
      style="height: 420px"
      guest
      ?ask-email=${askEmail}
      room="help"
      db-name=${dbName}
      transport="memory"
      .transportFactory=${memoryFactory(hub)}
    ></parley-chat>`,
  );
  return chat;
}

const startOf = (chat: ParleyChat) =>
  shadow(chat).querySelector<ParleyGuestStart>('parley-guest-start');
const profileOf = (chat: ParleyChat) =>
  shadow(chat).querySelector<ParleyGuestProfile>('parley-guest-profile[compact]');

/** The guest's first message box, once drawn. */
async function guestBox(chat: ParleyChat): Promise<ShadowRoot> {
  await waitUntil(() => startOf(chat)?.shadowRoot?.querySelector('textarea'), 'no guest box', {
    timeout: 10_000,
  });
  return shadow(startOf(chat)!);
}

/** Types `text` into the guest's box (and a name and an email when given) and presses Enter. */
async function ask(chat: ParleyChat, text: string, fields: { name?: string; email?: string } = {}) {
  const root = await guestBox(chat);
  if (fields.name !== undefined) {
    const open = [...root.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'give a name',
    );
    open?.click();
    await startOf(chat)!.updateComplete;
    root.querySelector<HTMLInputElement>('input[name=name]')!.value = fields.name;
  }
  if (fields.email !== undefined)
    root.querySelector<HTMLInputElement>('input[name=email]')!.value = fields.email;
  const box = root.querySelector('textarea')!;
  box.value = text;
  box.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }),
  );
  return root;
}

/** The account the chat is logged in with, as the page hears it. */
function logins(chat: ParleyChat): Array<{ userId: string; name: string }> {
  const heard: Array<{ userId: string; name: string }> = [];
  chat.addEventListener('parley-login', (e) => heard.push((e as CustomEvent).detail));
  return heard;
}

/** The safety code of account `owner`'s identity in database `dbName`. */
async function codeOf(dbName: string, owner: string): Promise<string> {
  const db = await openParleyDb(dbName);
  try {
    const identity = await db.get('identities', owner);
    if (!identity) throw new Error('no identity');
    return await safetyCode(identity.publicKey);
  } finally {
    db.close();
  }
}

describe('<parley-chat guest>', function () {
  this.timeout(30_000);
  const newDb = chatDbs();

  it('lets a visitor ask at once, with no password field, and keeps her conversation and identity across a reload', async () => {
    const hub = new MemoryHub();
    const agent = await mountChat(hub, newDb(), 'help');
    await register(agent, 'Agent');
    await connected(agent);

    const db = newDb();
    let chat = await mountGuest(hub, db);
    const heard = logins(chat);
    const root = await guestBox(chat);
    // No login box, no password anywhere: a message box and who she will appear as.
    expect(shadow(chat).querySelector('parley-login')?.open ?? false).to.equal(false);
    expect(root.querySelector('input[type=password]')).to.equal(null);
    const who = root.querySelector('[part~=who]')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(who).to.match(/^You appear as Visitor \d{4} — give a name$/);
    const visitor = who.match(/Visitor \d{4}/)![0];
    expect(root.querySelector('textarea')!.getAttribute('aria-label')).to.equal('Your question');

    await ask(chat, 'Hi, do you have gluten-free bread?');
    await waitUntil(() => shownMessages(chat).some((m) => m.own), 'her question not shown', {
      timeout: 10_000,
    });
    expect(shownMessages(chat)[0]).to.include({ text: 'Hi, do you have gluten-free bread?' });
    await waitUntil(
      () => shownMessages(agent).some((m) => m.text === 'Hi, do you have gluten-free bread?'),
      'the agent never got the question',
      { timeout: 10_000 },
    );
    expect(shownMessages(agent).find((m) => !m.own)?.author).to.equal(visitor);
    // Under the message box: who she appears as, and the way to give a name.
    await waitUntil(() => profileOf(chat)?.shadowRoot?.querySelector('[part~=who]'));
    const line = shadow(profileOf(chat)!).querySelector('[part~=who]')!;
    expect(line.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      `You appear as ${visitor} — give a name`,
    );
    // Settings' You part holds the same, unfolded (slotted into the panel).
    const inSettings = shadow(chat).querySelector('parley-settings > parley-guest-profile');
    expect(inSettings?.getAttribute('slot')).to.equal('identity');
    const id = heard[0]!.userId;
    const code = await codeOf(db, id);

    chat.remove();
    chat = await mountGuest(hub, db);
    const again = logins(chat);
    await waitUntil(() => shownMessages(chat).length === 1, 'her conversation was lost', {
      timeout: 10_000,
    });
    expect(shownMessages(chat)[0]).to.include({
      own: true,
      text: 'Hi, do you have gluten-free bread?',
    });
    expect(startOf(chat)).to.equal(null);
    await waitUntil(() => again.length > 0);
    expect(again[0]).to.deep.equal({ userId: id, name: visitor });
    expect(await codeOf(db, id)).to.equal(code);
  });

  it('explains a name or an email it cannot take, and keeps everything typed', async () => {
    const chat = await mountGuest(new MemoryHub(), newDb(), true);
    let root = await ask(chat, 'Is the shop open on Sunday?', {
      name: 'A',
      email: 'ann@example.com',
    });
    const error = () => root.querySelector('[role=alert]')?.textContent?.trim() ?? '';
    await waitUntil(() => error() !== '', 'no message for a one-letter name');
    expect(error()).to.equal('A name has at least 2 characters.');
    const name = root.querySelector<HTMLInputElement>('input[name=name]')!;
    expect(name.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('textarea')!.value).to.equal('Is the shop open on Sunday?');
    expect(root.querySelector<HTMLInputElement>('input[name=email]')!.value).to.equal(
      'ann@example.com',
    );

    root = await ask(chat, 'Is the shop open on Sunday?', { name: 'Ann', email: 'ann at home' });
    await waitUntil(() => error().startsWith('Enter an email address'), 'bad email not explained');
    expect(root.querySelector('input[name=email]')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('textarea')!.value).to.equal('Is the shop open on Sunday?');
    expect(name.value).to.equal('Ann');

    await ask(chat, 'Is the shop open on Sunday?', { name: 'Ann', email: 'ann@example.com' });
    await waitUntil(() => shownMessages(chat).some((m) => m.own), 'not sent once corrected', {
      timeout: 10_000,
    });
    expect(shownMessages(chat)[0]).to.include({ text: 'Is the shop open on Sunday?' });
    await waitUntil(() => profileOf(chat)?.shadowRoot);
    expect(profileOf(chat)!.name).to.equal('Ann');
    expect(profileOf(chat)!.email).to.equal('ann@example.com');
  });

  it('protects the account with a password, keeping its identity (the same safety code)', async () => {
    const db = newDb();
    const chat = await mountGuest(new MemoryHub(), db);
    const heard = logins(chat);
    await ask(chat, 'Hello?');
    await waitUntil(() => profileOf(chat)?.shadowRoot?.querySelector('button.link'), 'no line', {
      timeout: 10_000,
    });
    const id = heard[0]!.userId;
    const code = await codeOf(db, id);
    const panel = profileOf(chat)!;
    const root = shadow(panel);
    root.querySelector<HTMLButtonElement>('button.link')!.click();
    await panel.updateComplete;
    expect(root.querySelector('[part~=hint]')!.textContent).to.contain(
      'anyone using this browser profile can continue as you',
    );
    const protect = [...root.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Protect with a password',
    )!;
    const password = root.querySelector<HTMLInputElement>('input[name=password]')!;
    password.value = 'short';
    protect.click();
    const error = () => root.querySelector('[role=alert]')?.textContent?.trim() ?? '';
    await waitUntil(() => error() !== '', 'a short password not refused');
    expect(error()).to.contain('at least 8 characters');

    root.querySelector<HTMLInputElement>('input[name=name]')!.value = 'Beth';
    [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Save')!.click();
    await waitUntil(() => panel.name === 'Beth', 'the name was not saved', { timeout: 5000 });

    password.value = 'correct horse';
    protect.click();
    await waitUntil(
      () => root.querySelector('[part~=done]')?.textContent?.includes('Protected'),
      'not protected',
      {
        timeout: 10_000,
      },
    );
    expect(panel.unprotected).to.equal(false);
    expect(await codeOf(db, id)).to.equal(code);
    const opened = await openParleyDb(db);
    try {
      const login = await verifyLogin(opened, 'Beth', 'correct horse');
      expect(login.ok && login.profile.id).to.equal(id);
    } finally {
      opened.close();
    }

    // Now she can log out, and back in from the guest's box with "Log in": the same account.
    [...shadow(chat).querySelectorAll<HTMLButtonElement>('header button')]
      .find((b) => b.textContent?.trim() === 'Log out')!
      .click();
    const box = await guestBox(chat);
    [...box.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Log in')!.click();
    await waitUntil(() => loginOf(chat).open, 'no login box after "Log in"');
    expect(startOf(chat)).to.equal(null);
    await submitLogin(chat, 'Beth', 'correct horse', 'login');
    await waitUntil(() => heard.length === 2, 'not logged in again', { timeout: 10_000 });
    expect(heard[1]).to.deep.equal({ userId: id, name: 'Beth' });
  });
});
