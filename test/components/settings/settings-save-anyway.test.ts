/**
 * "Save anyway" with a server that does not answer: the panel says so first (announced, in
 * view), and once saved the header tells the truth — never *Connected* while the servers the
 * visitor chose are not. A real relay from the test runner, a dead address on 127.0.0.1.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { chatDbs, register, shadow } from '../chat/chat-helpers.js';
import { serverUrl } from '../../support/server-url.js';

const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
/** Nothing listens on port 9 of this machine (discard): a connection there is refused. */
const DEAD = 'http://127.0.0.1:9';

describe('Settings: "Save anyway" with a server that does not answer', function () {
  this.timeout(30_000);
  const newDb = chatDbs();

  it('leaves the header saying what is true of the servers saved', async () => {
    const chat = await fixture<ParleyChat>(
      html`<parley-chat
        style="height: 600px"
        room="save-anyway"
        db-name=${newDb()}
        server=${await serverUrl()}
      ></parley-chat>`,
    );
    await register(chat, 'Sam');
    const conn = () => squash(shadow(chat).querySelector('.conn')?.textContent);
    await waitUntil(() => conn().startsWith('Connected'), 'not connected', { timeout: 10_000 });
    shadow(chat).querySelector<HTMLButtonElement>('[part~="settings-button"]')!.click();
    await customElements.whenDefined('parley-settings'); // its chunk comes on first use
    const settings = shadow(chat).querySelector('parley-settings')!;
    const root = shadow(settings);
    await waitUntil(() => root.querySelector('dialog')?.open, 'Settings did not open');
    const field = root.querySelector<HTMLInputElement>('#server')!;
    field.value = DEAD;
    field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await settings.updateComplete;
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const error = () => root.getElementById('server-error');
    await waitUntil(() => error()?.textContent?.includes('Could not reach'), 'no verdict', {
      timeout: 15_000,
    });
    expect(error()!.getAttribute('role')).to.equal('alert');
    const anyway = [...root.querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => squash(b.textContent) === 'Save anyway',
    )!;
    anyway.click();
    await waitUntil(() => !root.querySelector('dialog')?.open, 'Save anyway did not close', {
      timeout: 10_000,
    });
    // The switch settles (the dead server refuses at once); then the header must not claim
    // a connection the saved servers do not have.
    await waitUntil(() => !conn().includes('switching'), 'still switching', { timeout: 15_000 });
    expect(conn()).not.to.match(/^Connected/);
  });
});
