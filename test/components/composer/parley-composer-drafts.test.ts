import { expect, fixture, html } from '@open-wc/testing';
import { ParleyComposer } from '../../../src/components/composer/parley-composer.js';

if (!customElements.get('parley-composer'))
  customElements.define('parley-composer', ParleyComposer);

type Draft = { room: string; text: string };

/** Waits for a task: what the composer tells after a send is told by then. */
const aTask = () => new Promise((r) => setTimeout(r, 0));

async function composer(room = 'a', draft = '') {
  const drafts: Draft[] = [];
  const el = await fixture<ParleyComposer>(
    html`<parley-composer
      room=${room}
      .draft=${draft}
      @parley-draft=${(e: CustomEvent<Draft>) => drafts.push(e.detail)}
    ></parley-composer>`,
  );
  const field = el.shadowRoot!.querySelector('textarea')!;
  const type = (text: string) => {
    field.value = text;
    field.dispatchEvent(new Event('input'));
  };
  const go = async (next: string, draft: string) => {
    el.room = next;
    el.draft = draft;
    await el.updateComplete;
  };
  return { el, field, drafts, type, go };
}

describe('parley-composer: a draft per room', () => {
  it('hands back the text of the room being left and shows the next room’s draft', async () => {
    const { field, drafts, type, go } = await composer('a');
    type('half a thought for a');
    expect(drafts.at(-1)).to.deep.equal({ room: 'a', text: 'half a thought for a' });
    await go('b', '');
    expect(drafts.at(-1)).to.deep.equal({ room: 'a', text: 'half a thought for a' });
    expect(field.value, 'nothing follows into b').to.equal('');
    type('for b');
    await go('a', 'half a thought for a');
    expect(drafts.at(-1)).to.deep.equal({ room: 'b', text: 'for b' });
    expect(field.value).to.equal('half a thought for a');
  });

  it('sends in the room it is in, and the sent draft is emptied', async () => {
    const { el, field, drafts, type, go } = await composer('a');
    await go('b', 'draft of b');
    const sent: string[] = [];
    el.addEventListener('parley-send', (e) =>
      sent.push((e as CustomEvent<{ text: string }>).detail.text),
    );
    type('draft of b, finished');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(sent).to.deep.equal(['draft of b, finished']);
    expect(drafts.at(-1)).to.deep.equal({ room: 'b', text: '' });
    expect(field.value).to.equal('');
  });

  it('says typing stopped only after the send, and not when typing went on meanwhile', async () => {
    const { el, field, type } = await composer('a');
    const told: string[] = [];
    el.addEventListener('parley-send', () => told.push('send'));
    el.addEventListener('parley-typing', (e) =>
      told.push(`typing ${(e as CustomEvent<{ typing: boolean }>).detail.typing}`),
    );
    type('first');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(told, 'nothing goes ahead of the message').to.deep.equal(['typing true', 'send']);
    await aTask();
    expect(told).to.deep.equal(['typing true', 'send', 'typing false']);

    told.length = 0;
    type('second');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    type('t'); // the next message begun before the task came
    await aTask();
    expect(told).to.deep.equal(['typing true', 'send', 'typing true']);
  });

  it('shows a draft that loads late, unless something is being written already', async () => {
    const { el, field, type } = await composer('a');
    el.draft = 'saved yesterday';
    await el.updateComplete;
    expect(field.value).to.equal('saved yesterday');
    const other = await composer('c');
    other.type('typing now');
    other.el.draft = 'saved yesterday';
    await other.el.updateComplete;
    expect(other.field.value).to.equal('typing now');
    type('');
  });
});
