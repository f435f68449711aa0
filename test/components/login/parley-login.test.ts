import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleyLogin } from '../../../src/components/login/parley-login.js';
import type { Credentials } from '../../../src/components/shared/events.js';
import { deepActive } from '../../../src/components/shared/focus.js';

if (!customElements.get('parley-login')) customElements.define('parley-login', ParleyLogin);

const root = (el: ParleyLogin) => el.shadowRoot!;
const $ = <T extends Element>(el: ParleyLogin, selector: string) =>
  root(el).querySelector<T>(selector)!;
const nameField = (el: ParleyLogin) => $<HTMLInputElement>(el, 'input[name=name]');
const passwordField = (el: ParleyLogin) => $<HTMLInputElement>(el, 'input[name=password]');

/** An embedded login beside a control of the host page. */
async function embedded() {
  const page = await fixture<HTMLElement>(
    html`<div>
      <button id="host-button">Buy now</button>
      <div style="position: relative; height: 420px; width: 340px">
        <parley-login inline open style="position: absolute; inset: 0"></parley-login>
      </div>
    </div>`,
  );
  const login = page.querySelector('parley-login') as ParleyLogin;
  await login.updateComplete;
  return { page, login, host: page.querySelector<HTMLButtonElement>('#host-button')! };
}

/** Answers a submission the way `<parley-chat>` does: busy, then a failure. */
async function fail(login: ParleyLogin, reason: string, error: string) {
  login.busy = true;
  await login.updateComplete;
  login.busy = false;
  login.reason = reason;
  login.error = error;
  await login.updateComplete;
}

describe('<parley-login inline> (embedded)', () => {
  it('is not modal and takes nothing from the page: focus, clicks and keys stay the host’s', async () => {
    const { login, host } = await embedded();
    const dialog = $<HTMLDialogElement>(login, 'dialog');
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(false);
    expect(document.querySelectorAll(':modal')).to.have.lengthOf(0);
    expect(deepActive() === document.body, 'no focus taken when it opens').to.equal(true);
    let clicks = 0;
    host.addEventListener('click', () => clicks++);
    host.focus();
    expect(document.activeElement === host, 'the host button has the focus').to.equal(true);
    await sendKeys({ press: 'Enter' });
    host.click();
    expect(clicks).to.equal(2);
    await expect(login).to.be.accessible();
  });

  it('puts the buttons in the same order on screen and for Tab: Log in, then Create account', async () => {
    const { login } = await embedded();
    const buttons = [...root(login).querySelectorAll<HTMLButtonElement>('.actions button')];
    expect(buttons.map((b) => b.textContent!.trim())).to.deep.equal(['Log in', 'Create account']);
    const [first, second] = buttons.map((b) => b.getBoundingClientRect());
    expect(first!.left < second!.left || first!.top < second!.top).to.equal(true);
    nameField(login).focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActive() === passwordField(login), 'password next').to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(deepActive()!.textContent!.trim()).to.equal('Log in');
    await sendKeys({ press: 'Tab' });
    expect(deepActive()!.textContent!.trim()).to.equal('Create account');
  });

  it('points a failure at its field, selects that field, and clears it once the field changes', async () => {
    const { login } = await embedded();
    nameField(login).value = 'A';
    passwordField(login).value = 'correct horse';
    setTimeout(() => $<HTMLButtonElement>(login, 'button[value=login]').click());
    await oneEvent(login, 'parley-login-submit');
    await fail(login, 'invalid-name', 'A username has at least 2 characters.');
    const alert = () => root(login).querySelector('[role=alert]');
    expect(alert()!.textContent).to.contain('A username has at least 2 characters.');
    expect(nameField(login).getAttribute('aria-invalid')).to.equal('true');
    expect(nameField(login).getAttribute('aria-describedby')).to.equal('error');
    expect(passwordField(login).getAttribute('aria-invalid')).to.equal('false');
    await waitUntil(() => deepActive() === nameField(login), 'the name field takes the focus');
    // Changing the other field leaves the error; changing its own field clears it.
    passwordField(login).dispatchEvent(new Event('input'));
    await login.updateComplete;
    expect(alert()).to.exist;
    nameField(login).value = 'Ann';
    nameField(login).dispatchEvent(new Event('input'));
    await login.updateComplete;
    expect(alert()).to.equal(null);
    expect(nameField(login).getAttribute('aria-invalid')).to.equal('false');

    await fail(login, 'wrong-password', 'Wrong password. Try again.');
    expect(passwordField(login).getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => deepActive() === passwordField(login), 'the password field');
  });

  it('offers to create the account when no account has that name', async () => {
    const { login } = await embedded();
    nameField(login).value = 'Zed';
    passwordField(login).value = 'correct horse';
    await fail(login, 'unknown-user', 'No account called "Zed" on this browser.');
    const create = [...root(login).querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Create an account called'),
    )!;
    expect(create.textContent!.trim()).to.equal('Create an account called "Zed"');
    // The password answers only a listener on the element itself, while the event is fired.
    let heard: Credentials | undefined;
    login.addEventListener(
      'parley-register-submit',
      (e) => (heard = { name: e.detail.name, password: e.detail.password }),
      { once: true },
    );
    setTimeout(() => create.click());
    const e = (await oneEvent(login, 'parley-register-submit')) as CustomEvent<Credentials>;
    expect(heard).to.deep.equal({ name: 'Zed', password: 'correct horse' });
    expect(e.detail.password, 'read after the event: nothing').to.equal('');
  });
});

describe('<parley-login> (modal, a page of its own)', () => {
  it('is modal, takes the focus, and Escape cannot dismiss it', async () => {
    const login = await fixture<ParleyLogin>(html`<parley-login open></parley-login>`);
    const dialog = $<HTMLDialogElement>(login, 'dialog');
    await waitUntil(() => dialog.open);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(deepActive() === nameField(login), 'the name field has the focus').to.equal(true);
    await sendKeys({ press: 'Escape' });
    expect(dialog.open).to.equal(true);
    login.open = false;
    await login.updateComplete;
  });
});
