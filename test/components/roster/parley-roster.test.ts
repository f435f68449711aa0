import { expect, fixture, html } from '@open-wc/testing';
import { ParleyRoster } from '../../../src/components/roster/parley-roster.js';

type VerifyDetail = { userId: string; verified: boolean };
import {
  rosterOf,
  type LinkKind,
  type MemberTrust,
  type RosterMember,
} from '../../../src/controllers/presence/roster.js';
import type { Reach } from '../../../src/controllers/connection/transport-controller.js';
import { createIdentity } from '../../../src/protocol/identity.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import '../../support/confusables.js';
import { uniqueDbName } from '../../support/db.js';
import { stranger, suiteMembers, until, type Member } from '../../controllers/room-harness.js';

if (!customElements.get('parley-roster')) customElements.define('parley-roster', ParleyRoster);

const member = (id: string, name: string, link: LinkKind, self = false): RosterMember => ({
  id,
  userId: `user-${id}`,
  name,
  link,
  self,
});

/** A member with a proven key and what is known of it. */
const trusted = (
  id: string,
  name: string,
  code: string,
  more: Partial<MemberTrust> = {},
): RosterMember => ({
  ...member(id, name, 'relay'),
  key: `ed25519:key-of-${id}`,
  trust: {
    code,
    fingerprint: code.slice(0, 17),
    verified: false,
    namesakes: [],
    alike: [],
    ...more,
  },
});

/** Every member the reach lists, as if each had said so with its own signed hello. */
const confirmedAll = (reach: Reach) => (peer: string) => {
  const hello = reach.members.find((m) => m.hello.id === peer)?.hello;
  return hello && { userId: hello.userId, name: hello.name, key: hello.key ?? '' };
};

const CODE_A = '12345 67890 11111 22222 33333 44444';
const CODE_B = '98765 43210 55555 66666 77777 88888';

async function mount(members: RosterMember[]): Promise<ParleyRoster> {
  return fixture<ParleyRoster>(html`<parley-roster .members=${members}></parley-roster>`);
}

const root = (el: ParleyRoster) => el.shadowRoot!;
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const lines = (el: ParleyRoster) => [...root(el).querySelectorAll('ul > li')];
const names = (el: ParleyRoster) => lines(el).map((li) => text(li.querySelector('.name')));
/** A line's text as read: without the decorative avatar (aria-hidden). */
const read = (li: Element) => {
  const copy = li.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
  return text(copy);
};

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
    expect(read(self!)).to.match(/^Mallory \(you\)/);
    for (const li of others) expect(read(li)).not.to.contain('(you)');
    const list = root(el).querySelector('ul')!;
    expect(list.getAttribute('aria-label')).to.equal('People in this room');
  });

  it('shows our own other tabs as us, "(you, 2 tabs)", never as another member', async () => {
    const me = { userId: 'user-ann', name: 'Ann' };
    const hello = (id: string, userId: string, name: string) => ({ id, userId, name, since: 1 });
    const reach: Reach = {
      selfId: 'conn-1',
      me,
      kind: 'memory',
      members: [
        { hello: hello('conn-2', 'user-ann', 'Ann'), link: 'tab' },
        { hello: hello('conn-9', 'user-bob', 'Bob'), link: 'relay' },
      ],
    };
    const members = rosterOf(reach, confirmedAll(reach), () => undefined);
    expect(members.map((m) => [m.name, m.self, m.tabs])).to.deep.equal([
      ['Ann', true, 2],
      ['Bob', false, undefined],
    ]);
    const el = await mount(members);
    expect(lines(el).map(read)).to.deep.equal([
      'Ann (you, 2 tabs) unverified identity',
      'Bob unverified identity',
    ]);
    expect(text(root(el).querySelector('h2'))).to.equal('In this room (2)');
    // One tab alone: plain "(you)".
    const one = { ...reach, members: reach.members.slice(1) };
    el.members = rosterOf(one, confirmedAll(one), () => undefined);
    await el.updateComplete;
    expect(read(lines(el)[0]!)).to.equal('Ann (you) unverified identity');
  });

  it('gives each identity its colour and initial, never by name: two "alice"s differ', async () => {
    const a1 = { ...member('1', 'alice', 'relay'), userId: 'id-alice-1' };
    const a2 = { ...member('2', 'alice', 'relay'), userId: 'id-alice-2' };
    const el = await mount([member('me', 'Me', 'relay', true), a1, a2]);
    const avatars = lines(el).map((li) => li.querySelector('[part="avatar"]')!);
    expect(avatars.map((a) => a.textContent)).to.deep.equal(['M', 'A', 'A']);
    expect(avatars.every((a) => a.getAttribute('aria-hidden') === 'true')).to.equal(true);
    const colour = (a: Element) => getComputedStyle(a).backgroundColor;
    expect(colour(avatars[1]!)).not.to.equal(colour(avatars[2]!));
    // The same identity under another name keeps its colour.
    el.members = [member('me', 'Me', 'relay', true), { ...a1, name: 'Zed' }];
    await el.updateComplete;
    const again = lines(el)[1]!.querySelector('[part="avatar"]')!;
    expect([again.textContent, colour(again)]).to.deep.equal(['Z', colour(avatars[1]!)]);
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

describe('<parley-roster> and identities', () => {
  const lineOf = (el: ParleyRoster, name: string, fp?: string) =>
    lines(el).find(
      (li) =>
        text(li.querySelector('.name')) === name &&
        (fp === undefined || text(li.querySelector('[part=fingerprint]')).endsWith(fp)),
    )!;

  it('shows each member with the short fingerprint, the full code on demand, and "unverified identity" without a key', async () => {
    const el = await mount([
      { ...trusted('me', 'Me', CODE_B), self: true },
      trusted('a', 'Alice', CODE_A),
      member('o', 'Old', 'relay'),
    ]);
    const alice = lineOf(el, 'Alice');
    const fp = alice.querySelector('[part=fingerprint]')!;
    expect(text(fp)).to.equal('fingerprint 12345 67890 11111');
    expect(fp.querySelector('.visually-hidden')).to.exist;
    const details = alice.querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(text(details.querySelector('summary'))).to.equal(
      'Safety code of Alice, 12345 67890 11111',
    );
    const groups = [...details.querySelectorAll('[part=code] span')].map((g) => text(g));
    expect(groups).to.deep.equal(CODE_A.split(' '));
    const old = lineOf(el, 'Old');
    expect(text(old.querySelector('[part=unproven]'))).to.equal('unverified identity');
    expect(old.querySelector('details'), 'no code to show').to.equal(null);
    expect(old.querySelector('[part=fingerprint]')).to.equal(null);
    // Our own line: our fingerprint, no button to verify ourselves.
    const self = lines(el)[0]!;
    expect(text(self.querySelector('[part=fingerprint]'))).to.equal(
      'fingerprint 98765 43210 55555',
    );
    expect(self.querySelector('button')).to.equal(null);
  });

  it('asks to mark a member verified, and shows the badge and "Unmark verified" once it is', async () => {
    const el = await mount([trusted('me', 'Me', CODE_B), trusted('a', 'Alice', CODE_A)]);
    const asked: VerifyDetail[] = [];
    el.addEventListener('parley-verify', (e) => asked.push(e.detail));
    const button = () =>
      lineOf(el, 'Alice').querySelector<HTMLButtonElement>('button[part=verify]')!;
    expect(text(button())).to.equal('Mark as verified (Alice, 12345 67890 11111)');
    expect(lineOf(el, 'Alice').querySelector('[part=verified]')).to.equal(null);
    button().click();
    expect(asked).to.deep.equal([{ userId: 'user-a', verified: true }]);
    el.members = [trusted('me', 'Me', CODE_B), trusted('a', 'Alice', CODE_A, { verified: true })];
    await el.updateComplete;
    expect(text(lineOf(el, 'Alice').querySelector('[part=verified]'))).to.equal('✓ Verified');
    expect(text(button())).to.equal('Unmark verified (Alice, 12345 67890 11111)');
    button().click();
    expect(asked[1]).to.deep.equal({ userId: 'user-a', verified: false });
  });

  it('warns about members here whose names look alike (UTS #39), and names that mix scripts', async () => {
    const fake = 'A\u04CFice';
    const alike = (userId: string, name: string, fingerprint: string) => ({
      userId,
      name,
      fingerprint,
      verified: false,
    });
    const el = await mount([
      trusted('me', 'Me', CODE_B),
      trusted('a', 'Alice', CODE_A, { alike: [alike('user-m', fake, '98765 43210 55555')] }),
      trusted('m', fake, CODE_B, {
        alike: [alike('user-a', 'Alice', '12345 67890 11111')],
        scripts: ['Latin', 'Cyrillic'],
      }),
      trusted('b', 'Bob', CODE_A),
    ]);
    const warning = (fp: string) =>
      text(lineOf(el, fp === '12345 67890 11111' ? 'Alice' : fake).querySelector('[part=warning]'));
    expect(warning('98765 43210 55555')).to.equal(
      '⚠ Not the same person as Alice (12345 67890 11111): the names look alike, the keys differ — compare safety codes. The name mixes Latin and Cyrillic letters.',
    );
    expect(warning('12345 67890 11111')).to.equal(
      `⚠ Not the same person as ${fake} (98765 43210 55555): the names look alike, the keys differ — compare safety codes.`,
    );
    expect(lineOf(el, 'Bob').querySelector('[part=warning]'), 'a different name').to.equal(null);
    // A name that mixes scripts, with nobody it looks like here: still said.
    el.members = [
      trusted('me', 'Me', CODE_B),
      trusted('m', fake, CODE_B, { scripts: ['Latin', 'Cyrillic'] }),
    ];
    await el.updateComplete;
    expect(warning('98765 43210 55555')).to.equal(
      '⚠ The name mixes Latin and Cyrillic letters: it may pass for another.',
    );
  });

  it('warns, as an alert, about a member whose name belongs to someone met before with another key', async () => {
    const before = { userId: 'user-x', name: 'Alice', fingerprint: '12345', verified: true };
    const el = await mount([
      trusted('me', 'Me', CODE_B),
      trusted('a', 'Alice', CODE_A),
      trusted('b', 'alice', CODE_B, { namesakes: [before] }),
    ]);
    expect(lines(el), 'two lines, never merged').to.have.length(3);
    const warned = lineOf(el, 'alice');
    const warning = warned.querySelector('[part=warning]')!;
    expect(warning.getAttribute('role')).to.equal('alert');
    expect(text(warning)).to.equal(
      '⚠ Not the alice you verified before (12345): different key — compare safety codes.',
    );
    expect(warned.classList.contains('warned')).to.equal(true);
    expect(lineOf(el, 'Alice').querySelector('[part=warning]')).to.equal(null);
    // Once this member's own code is compared and marked, the question is settled.
    el.members = [
      trusted('me', 'Me', CODE_B),
      trusted('b', 'alice', CODE_B, {
        namesakes: [{ ...before, verified: false }],
        verified: true,
      }),
    ];
    await el.updateComplete;
    expect(lineOf(el, 'alice').querySelector('[part=warning]')).to.equal(null);
  });
});

describe('<parley-roster> identities, accessibility', () => {
  for (const theme of ['light', 'dark']) {
    it(`passes axe with verified, warned, unproven members and an open safety code (${theme})`, async () => {
      const before = { userId: 'user-x', name: 'Alice', fingerprint: '12345', verified: false };
      const wrap = await fixture<HTMLElement>(html`
        <div style="color-scheme: ${theme}; width: 13rem">
          <parley-roster
            .members=${[
              { ...trusted('me', 'Me', CODE_B), self: true },
              trusted('a', 'Alice', CODE_A, { verified: true }),
              trusted('b', 'Alice', CODE_B, { namesakes: [before] }),
              member('o', 'Old', 'relay'),
            ]}
          ></parley-roster>
        </div>
      `);
      const el = wrap.querySelector('parley-roster')!;
      await el.updateComplete;
      el.shadowRoot!.querySelectorAll('details').forEach((d) => (d.open = true));
      await expect(wrap).to.be.accessible();
    });
  }
});

describe('<parley-roster> with the contacts of an account', function () {
  this.timeout(20000);
  const join = suiteMembers();

  /** A roster drawn from `m`'s presence controller, its "Mark as verified" wired to it. */
  async function rosterOf(m: Member): Promise<ParleyRoster> {
    const el = await fixture<ParleyRoster>(
      html`<parley-roster
        .members=${m.presence.roster}
        @parley-verify=${(e: CustomEvent<VerifyDetail>) =>
          void m.presence.contacts?.setVerified(e.detail.userId, e.detail.verified)}
      ></parley-roster>`,
    );
    return el;
  }
  const refresh = async (el: ParleyRoster, m: Member) => {
    el.members = m.presence.roster;
    await el.updateComplete;
  };

  it('keeps the "Verified" badge after a reload of the store', async () => {
    const hub = new MemoryHub();
    const dbName = uniqueDbName();
    const alice = await createIdentity();
    const ann = await join(hub, 'Ann', 'badge', {}, dbName);
    const t = await stranger(hub, 'badge', alice, 'Alice');
    await until(() => ann.presence.roster.some((l) => l.trust && !l.self), 'Alice with a code');
    const el = await rosterOf(ann);
    const line = () => lines(el).find((li) => text(li.querySelector('.name')) === 'Alice')!;
    expect(line().querySelector('[part=verified]')).to.equal(null);
    line().querySelector<HTMLButtonElement>('button[part=verify]')!.click();
    await until(() => ann.presence.roster.some((l) => l.trust?.verified), 'marked');
    await refresh(el, ann);
    expect(text(line().querySelector('[part=verified]'))).to.equal('✓ Verified');
    // The same account again, new controllers on the same database: the mark was stored.
    const again = await join(hub, 'Ann', 'badge', {}, dbName);
    await until(() => again.presence.roster.some((l) => l.trust?.verified), 'still verified');
    const el2 = await rosterOf(again);
    const line2 = lines(el2).find((li) => text(li.querySelector('.name')) === 'Alice')!;
    expect(text(line2.querySelector('[part=verified]'))).to.equal('✓ Verified');
    t.close();
  });

  it('warns about a same-name member with another key and tells the two apart by fingerprint', async () => {
    const hub = new MemoryHub();
    const [alice, impostor] = await Promise.all([createIdentity(), createIdentity()]);
    const ann = await join(hub, 'Ann', 'twins');
    const first = await stranger(hub, 'twins', alice, 'Alice');
    await until(() => ann.presence.roster.some((l) => l.trust && !l.self), 'Alice met');
    await new Promise((r) => setTimeout(r, 1100));
    const second = await stranger(hub, 'twins', impostor, 'Alice');
    await until(
      () => ann.presence.roster.filter((l) => l.trust && !l.self).length === 2,
      'both with codes',
    );
    const el = await rosterOf(ann);
    const alices = lines(el).filter((li) => text(li.querySelector('.name')) === 'Alice');
    expect(alices, 'two lines').to.have.length(2);
    const fps = alices.map((li) => text(li.querySelector('[part=fingerprint]')));
    expect(fps[0]).not.to.equal(fps[1]);
    const warnings = alices.map((li) => text(li.querySelector('[part=warning]')));
    const fake = ann.presence.roster.find((l) => l.userId === impostor.id)!;
    const real = ann.presence.roster.find((l) => l.userId === alice.id)!;
    expect(warnings.filter(Boolean)).to.deep.equal([
      `⚠ Not the Alice you talked to before (${real.trust!.fingerprint}): different key — compare safety codes.`,
    ]);
    const warned = alices.find((li) => li.querySelector('[part=warning]'))!;
    expect(text(warned.querySelector('[part=fingerprint]'))).to.equal(
      `fingerprint ${fake.trust!.fingerprint}`,
    );
    first.close();
    second.close();
  });
});
