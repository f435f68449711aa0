import { expect, fixture, html } from '@open-wc/testing';
import { ParleyRoster } from '../../src/components/parley-roster.js';
import type { LinkKind, RosterMember } from '../../src/controllers/roster.js';

if (!customElements.get('parley-roster')) customElements.define('parley-roster', ParleyRoster);

const member = (id: string, name: string, link: LinkKind, self = false): RosterMember => ({
  id,
  name,
  link,
  self,
});

async function mount(members: RosterMember[]): Promise<ParleyRoster> {
  return fixture<ParleyRoster>(html`<parley-roster .members=${members}></parley-roster>`);
}

const root = (el: ParleyRoster) => el.shadowRoot!;
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const lines = (el: ParleyRoster) => [...root(el).querySelectorAll('ul > li')];
const names = (el: ParleyRoster) => lines(el).map((li) => text(li.querySelector('.name')));

describe('<parley-roster>', () => {
  it('lists ourselves first, marked "(you)", then the others by name', async () => {
    const el = await mount([
      member('c', 'zoë', 'direct'),
      member('a', 'Bob', 'relay'),
      member('me', 'Mallory', 'relay', true),
      member('b', 'alice', 'direct'),
    ]);
    expect(names(el)).to.deep.equal(['Mallory', 'alice', 'Bob', 'zoë']);
    const [self, ...others] = lines(el);
    expect(text(self)).to.match(/^Mallory \(you\)/);
    for (const li of others) expect(text(li)).not.to.contain('(you)');
    const list = root(el).querySelector('ul')!;
    expect(list.getAttribute('aria-label')).to.equal('People in this room');
  });

  it('says how each member is reached in plain words (icon name and tooltip), not for ourselves', async () => {
    const el = await mount([
      member('me', 'Me', 'direct', true),
      member('1', 'Ann', 'relay'),
      member('2', 'Ben', 'direct'),
      member('3', 'Cat', 'tab'),
      member('4', 'Dan', 'memory'),
    ]);
    const [self, ...others] = lines(el);
    // Our own line has no link: how *we* are connected is not how anyone else reaches us.
    expect(self!.querySelector('.badge')).to.equal(null);
    const icons = others.map((li) => li.querySelector('.badge')!);
    expect(icons.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'via the server',
      'directly',
      'another tab',
      'in this page',
    ]);
    for (const icon of icons) {
      expect(icon.getAttribute('role')).to.equal('img');
      expect(icon.getAttribute('title')).to.equal(icon.getAttribute('aria-label'));
      expect(icon.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
    }
  });

  it('counts everyone in the heading and follows changes', async () => {
    const el = await mount([member('me', 'Me', 'relay', true), member('1', 'Ann', 'relay')]);
    const heading = () => text(root(el).querySelector('h2'));
    expect(heading()).to.equal('In this room (2)');
    el.members = [...el.members, member('2', 'Ben', 'relay'), member('3', 'Cy', 'relay')];
    await el.updateComplete;
    expect(heading()).to.equal('In this room (4)');
    expect(names(el)).to.deep.equal(['Me', 'Ann', 'Ben', 'Cy']);
    expect(root(el).querySelector('.empty')).to.equal(null);
  });

  it('says so when nobody else is here', async () => {
    const el = await mount([member('me', 'Me', 'tab', true)]);
    expect(text(root(el).querySelector('h2'))).to.equal('In this room (1)');
    expect(names(el)).to.deep.equal(['Me']);
    expect(text(root(el))).to.contain('Nobody else is here yet.');
    el.members = [];
    await el.updateComplete;
    expect(lines(el)).to.have.length(0);
    expect(text(root(el))).to.contain('Nobody else is here yet.');
  });

  it('renders names as text, never as markup', async () => {
    const el = await mount([
      member('me', 'Me', 'relay', true),
      member('1', '<b>x</b>', 'relay'),
      member('2', '<img src=x onerror="window.__rosterPwned = true">', 'relay'),
    ]);
    expect(names(el)).to.include('<b>x</b>');
    expect(root(el).querySelector('b')).to.equal(null);
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as { __rosterPwned?: boolean }).__rosterPwned).to.equal(undefined);
  });
});
