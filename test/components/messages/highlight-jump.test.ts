/**
 * A jump that makes the list long (a search result or a reply's quote far back: the history up
 * to it is loaded at once) while the virtualizer has not been loaded yet: the list switches to
 * the virtualized rendering and must still show, mark and focus the message asked for. Its own
 * file: the virtualizer, once loaded, stays loaded for the page.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import {
  FULL_RENDER_MAX,
  ParleyMessages,
} from '../../../src/components/messages/parley-messages.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach);
if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

const T0 = Date.UTC(2025, 0, 6, 9, 0);
const BOB = { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key };
const msg = (i: number): ChatMessage => ({
  id: `m${String(i).padStart(6, '0')}`,
  room: 'lobby',
  from: BOB,
  ts: T0 + i * 60_000,
  seq: i,
  sig: SIGNATURE_SHAPED,
  body: { text: `message #${i}` },
  text: `message #${i}`,
  owner: 'me',
  status: 'received',
});
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => msg(from + k));

describe('<parley-messages>: a jump that makes the list long', () => {
  it('shows, marks and focuses the message once the list is virtualized', async () => {
    const el = await fixture<ParleyMessages>(
      html`<parley-messages
        style="height: 400px; width: 600px"
        self="me"
        .messages=${range(900, 950)}
      ></parley-messages>`,
    );
    expect(el.virtual).to.equal(false);
    // The history up to message #100 arrives with the jump: 850 messages at once.
    const target = msg(100).id;
    el.messages = range(75, 950);
    el.highlight = target;
    expect(el.messages.length).to.be.greaterThan(FULL_RENDER_MAX);
    const root = el.shadowRoot!;
    const row = () => root.querySelector<HTMLElement>(`li.msg[data-id="${target}"]`);
    // Bounded: the virtualizer's chunk loads, the list is drawn again, the row is laid out.
    for (let i = 0; i < 300 && !(el.virtual && row() && root.activeElement === row()); i++)
      await new Promise((r) => requestAnimationFrame(r));
    expect(el.virtual, 'virtualized').to.equal(true);
    expect(row(), 'the row is drawn').to.exist;
    expect(row()!.getAttribute('part')).to.contain('highlight');
    expect(root.activeElement, 'the row has the focus').to.equal(row());
    const list = row()!.closest('ol, [role="list"]') ?? el;
    const box = (list as HTMLElement).getBoundingClientRect();
    const at = row()!.getBoundingClientRect();
    expect(
      at.top >= box.top - 1 && at.bottom <= el.getBoundingClientRect().bottom + 1,
      'in view',
    ).to.equal(true);
  });
});
