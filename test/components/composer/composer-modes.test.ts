import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleyComposer } from '../../../src/components/composer/parley-composer.js';
import { EMPTY_EDIT } from '../../../src/components/composer/composer-modes.js';

if (!customElements.get('parley-composer'))
  customElements.define('parley-composer', ParleyComposer);

type Fired = { type: string; detail: unknown };

async function composer() {
  const fired: Fired[] = [];
  const log = (e: Event) => fired.push({ type: e.type, detail: (e as CustomEvent).detail });
  const el = await fixture<ParleyComposer>(
    html`<parley-composer
      room="lobby"
      @parley-send=${log}
      @parley-compose-end=${log}
      @parley-edit-last=${log}
      @parley-draft=${log}
    ></parley-composer>`,
  );
  const root = el.shadowRoot!;
  // The modes come in a chunk of their own, right after the first render.
  await waitUntil(() => (el as unknown as { modes?: unknown }).modes, 'the modes load');
  await el.updateComplete;
  const field = root.querySelector('textarea')!;
  const type = (text: string) => {
    field.value = text;
    field.dispatchEvent(new Event('input'));
  };
  const bar = () => root.querySelector<HTMLElement>('[part="mode"]');
  const of = (type: string) => fired.filter((f) => f.type === type).map((f) => f.detail);
  return { el, root, field, type, bar, fired, of };
}

describe('parley-composer: reply and edit modes', () => {
  it('replies: a bar names who and what, Enter sends { text, reply } and the mode ends', async () => {
    const { el, field, type, bar, of } = await composer();
    el.replying = { id: 'm1', name: 'Alice', excerpt: 'lunch at noon?' };
    await el.updateComplete;
    expect(bar()!.textContent).to.equal('Replying to Alice: lunch at noon?×');
    expect(bar()!.querySelector('button')!.getAttribute('aria-label')).to.equal('Cancel reply');
    expect(el.shadowRoot!.activeElement).to.equal(field);
    type('yes!');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(of('parley-send')).to.deep.equal([{ text: 'yes!', reply: 'm1' }]);
    expect(of('parley-compose-end')).to.deep.equal([{}]);
    expect(el.replying).to.equal(undefined);
    expect(bar()).to.equal(null);
    expect(field.value).to.equal('');
    type('and plain');
    await sendKeys({ press: 'Enter' });
    expect(of('parley-send').at(-1)).to.deep.equal({ text: 'and plain' });
  });

  it('a reply whose send is cancelled stays a reply', async () => {
    const { el, field, type, bar, of } = await composer();
    el.addEventListener('parley-send', (e) => e.preventDefault());
    el.replying = { id: 'm1', name: 'Alice', excerpt: 'hi' };
    await el.updateComplete;
    type('refused');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(bar()).to.not.equal(null);
    expect(field.value).to.equal('refused');
    expect(of('parley-compose-end')).to.deep.equal([]);
  });

  it('edits: fills the field, Enter sends { text, edit }, and the draft comes back', async () => {
    const { el, field, type, bar, of } = await composer();
    type('half a thought');
    el.editing = { id: 'm3', text: 'teh typo' };
    await el.updateComplete;
    expect(bar()!.textContent).to.equal('Editing your message×');
    expect(bar()!.querySelector('button')!.getAttribute('aria-label')).to.equal('Cancel edit');
    expect(field.value).to.equal('teh typo');
    expect(el.shadowRoot!.activeElement).to.equal(field);
    const drafts = of('parley-draft').length;
    type('the typo');
    expect(of('parley-draft').length, 'an edit is no draft').to.equal(drafts);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(of('parley-send')).to.deep.equal([{ text: 'the typo', edit: 'm3' }]);
    expect(of('parley-compose-end')).to.deep.equal([{}]);
    expect(el.editing).to.equal(undefined);
    expect(field.value).to.equal('half a thought');
  });

  it('an unchanged edit just ends; an empty one is refused in words', async () => {
    const { el, root, field, type, bar, of } = await composer();
    el.editing = { id: 'm3', text: 'same' };
    await el.updateComplete;
    type('   ');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(root.querySelector('[part="note"]')!.textContent).to.equal(EMPTY_EDIT);
    expect(EMPTY_EDIT).to.contain('Delete');
    expect(bar()).to.not.equal(null);
    type('same');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(of('parley-send')).to.deep.equal([]);
    expect(bar()).to.equal(null);
    expect(of('parley-compose-end')).to.deep.equal([{}]);
    expect(field.value).to.equal('');
  });

  it('Escape and the Cancel buttons end either mode', async () => {
    const { el, root, field, type, bar, of } = await composer();
    el.replying = { id: 'm1', name: 'Alice', excerpt: 'hi' };
    await el.updateComplete;
    type('kept');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(bar()).to.equal(null);
    expect(field.value, 'a cancelled reply keeps its words').to.equal('kept');
    el.editing = { id: 'm3', text: 'old' };
    await el.updateComplete;
    root.querySelector<HTMLElement>('[aria-label="Cancel edit"]')!.click();
    await el.updateComplete;
    expect(bar()).to.equal(null);
    expect(field.value, 'the draft is back').to.equal('kept');
    expect(of('parley-compose-end')).to.deep.equal([{}, {}]);
    expect(of('parley-send')).to.deep.equal([]);
  });

  it('ArrowUp in an empty field asks to edit our last message', async () => {
    const { el, field, type, of } = await composer();
    field.focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(of('parley-edit-last')).to.deep.equal([{}]);
    type('words');
    await sendKeys({ press: 'ArrowUp' });
    expect(of('parley-edit-last')).to.deep.equal([{}]);
    el.editing = { id: 'm3', text: 'x' };
    await el.updateComplete;
    type('');
    await sendKeys({ press: 'ArrowUp' });
    expect(of('parley-edit-last')).to.deep.equal([{}]);
  });

  it('leaving the room ends an edit, and the room keeps its draft, not the edit', async () => {
    const { el, field, type, bar, of } = await composer();
    type('draft for lobby');
    el.editing = { id: 'm3', text: 'being edited' };
    await el.updateComplete;
    el.room = 'other';
    el.draft = '';
    await el.updateComplete;
    expect(bar()).to.equal(null);
    expect(of('parley-draft').at(-1)).to.deep.equal({ room: 'lobby', text: 'draft for lobby' });
    expect(of('parley-compose-end')).to.deep.equal([{}]);
    expect(field.value).to.equal('');
  });
});
