/**
 * The attention controller reads the notification permission once (the browser answers it
 * through its own process, ~1.5 ms a read, and the header asks on every render), and again
 * when the visitor answers the prompt.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { AttentionController } from '../../../src/controllers/attention/attention-controller.js';

class AttentionHost extends LitElement {
  readonly attention = new AttentionController(this, { title: () => false });
}
customElements.define('attention-permission-host', AttentionHost);

describe('AttentionController: the notification permission', () => {
  let reads = 0;
  let permission: NotificationPermission = 'default';
  let restore: () => void = () => {};

  beforeEach(() => {
    reads = 0;
    permission = 'default';
    const own = Object.getOwnPropertyDescriptor(Notification, 'permission');
    const ask = Notification.requestPermission;
    Object.defineProperty(Notification, 'permission', {
      configurable: true,
      get: () => (reads++, permission),
    });
    Notification.requestPermission = async () => (permission = 'granted');
    restore = () => {
      if (own) Object.defineProperty(Notification, 'permission', own);
      else delete (Notification as { permission?: unknown }).permission;
      Notification.requestPermission = ask;
    };
  });
  afterEach(() => restore());

  it('is read once however often a render asks, and again once the visitor answers', async () => {
    const host = await fixture<AttentionHost>(
      html`<attention-permission-host></attention-permission-host>`,
    );
    const { attention } = host;
    for (let i = 0; i < 100; i++) expect(attention.canAskToNotify).to.equal(true);
    expect(attention.notifying).to.equal(false);
    expect(reads).to.equal(1);
    await attention.askToNotify();
    expect(attention.canAskToNotify).to.equal(false);
    expect(attention.notifying).to.equal(true);
    expect(reads).to.equal(2);
  });
});
