/**
 * Passing as someone else on screen (issue 26, item 1), against the presence and contacts
 * controllers (real IndexedDB, in-page transports). The attackers are members signing with a
 * valid identity of their own: one whose key is ground to match Alice's short fingerprint (here:
 * what it would take — the fingerprint must carry at least 40 bits), and ones who take a name
 * that renders like hers (Unicode's confusables, UTS #39). Bob, who met Alice before, and a
 * newcomer who never did, are both warned; a different name is not; a verified author is marked
 * so on the rows too.
 */
import { expect } from '@open-wc/testing';
import '../../support/confusables.js';
import { fingerprintOf, type RosterMember } from '../../../src/controllers/presence/roster.js';
import { createIdentity, safetyCode, type Identity } from '../../../src/protocol/identity.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { stranger, suiteMembers, until, type Member } from '../room-harness.js';

const by = (who: Identity, name: string) => ({ from: { id: who.id, name, key: who.publicKey } });
const line = (m: Member, userId: string): RosterMember | undefined =>
  m.presence.roster.find((l) => l.userId === userId);
const later = () => new Promise((r) => setTimeout(r, 1100));

/** Bits a string of `chars` symbols from an alphabet of `size` can tell apart. */
const bits = (chars: number, size: number) => chars * Math.log2(size);

describe('passing as someone else on screen', function () {
  this.timeout(30000);
  const member = suiteMembers();
  let alice: Identity;
  let mallory: Identity;
  let bob: Identity;
  before(async () => {
    [alice, mallory, bob] = await Promise.all([
      createIdentity(),
      createIdentity(),
      createIdentity(),
    ]);
  });

  it('shows at least 40 bits of the safety code beside a name, not one 5-digit group', async () => {
    const code = await safetyCode(alice.publicKey);
    const fp = fingerprintOf(code);
    // Digits only (spaces group them): the alphabet is 10 symbols.
    const digits = fp.replace(/ /g, '');
    expect(digits).to.match(/^\d+$/);
    expect(code.replace(/ /g, '').startsWith(digits), 'the start of the code').to.equal(true);
    expect(bits(digits.length, 10)).to.be.at.least(40);
    // A key ground to match the first group (what took ~88,000 tries) no longer looks the same.
    const ground = `${code.slice(0, 5)} ${code.slice(6).replace(/\d/g, (d) => String((+d + 1) % 10))}`;
    expect(fingerprintOf(ground)).not.to.equal(fp);
    for (let g = 1; g < 3; g++) {
      const groups = code.split(' ');
      groups[g] = groups[g] === '00000' ? '00001' : '00000';
      expect(fingerprintOf(groups.join(' ')), `group ${g + 1}`).not.to.equal(fp);
    }
  });

  it('shows that fingerprint in the member list', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'fp');
    const t = await stranger(hub, 'fp', alice, 'Alice');
    await until(() => line(ann, alice.id)?.trust !== undefined, 'Alice with her code');
    const code = await safetyCode(alice.publicKey);
    expect(line(ann, alice.id)!.trust!.fingerprint).to.equal(code.split(' ').slice(0, 3).join(' '));
    t.close();
  });

  const impostors: Array<[string, string]> = [
    ['A\u04CFice', 'Alice'],
    ['VVendy', 'Wendy'],
    ['Alice\u3164', 'Alice'],
    ['\u13AAlice', 'Alice'],
  ];
  for (const [fake, real] of impostors) {
    it(`warns Bob, who met ${real} before, about "${fake}" in the member list and on the rows`, async () => {
      const hub = new MemoryHub();
      const room = `met-${fake.length}-${fake.codePointAt(1)}`;
      const ann = await member(hub, 'Bob', room);
      const contacts = await ann.presence.contactsReady;
      const first = await stranger(hub, room, alice, real);
      await until(() => line(ann, alice.id)?.trust !== undefined, `${real} met`);
      first.close();
      await until(() => ann.presence.roster.length === 1, `${real} left`);
      await later();
      const t = await stranger(hub, room, mallory, fake);
      await until(() => line(ann, mallory.id)?.trust !== undefined, 'the impostor listed');
      expect(line(ann, mallory.id)!.trust!.namesakes.map((n) => n.userId)).to.deep.equal([
        alice.id,
      ]);
      // Their messages too, next to the real one's.
      const messages = [by(alice, real), by(mallory, fake)];
      await until(() => contacts.authorMarks(messages).has(mallory.id), 'the impostor marked');
      const marks = contacts.authorMarks(messages);
      expect(marks.get(mallory.id)!.namesakes.map((n) => n.userId)).to.deep.equal([alice.id]);
      expect(marks.has(alice.id), 'the one met before is not flagged').to.equal(false);
      t.close();
    });
  }

  it('warns a newcomer, who met neither, about two members whose names look alike', async () => {
    const hub = new MemoryHub();
    const a = await stranger(hub, 'new', alice, 'Alice');
    const m = await stranger(hub, 'new', mallory, 'A\u04CFice');
    const b = await stranger(hub, 'new', bob, 'Bob');
    const carol = await member(hub, 'Carol', 'new');
    await until(
      () => [alice, mallory, bob].every((i) => line(carol, i.id)?.trust !== undefined),
      'all three listed',
    );
    await until(() => (line(carol, mallory.id)!.trust!.alike.length ?? 0) > 0, 'look-alikes');
    expect(line(carol, mallory.id)!.trust!.alike.map((l) => l.userId)).to.deep.equal([alice.id]);
    expect(line(carol, alice.id)!.trust!.alike.map((l) => l.userId)).to.deep.equal([mallory.id]);
    expect(line(carol, mallory.id)!.trust!.scripts).to.deep.equal(['Latin', 'Cyrillic']);
    expect(line(carol, bob.id)!.trust, 'a different name').to.deep.include({
      alike: [],
      namesakes: [],
    });
    expect(line(carol, bob.id)!.trust!.scripts).to.equal(undefined);
    // Only in the conversation (not in the room): still told apart.
    m.close();
    await until(() => line(carol, mallory.id) === undefined, 'the impostor left');
    const contacts = await carol.presence.contactsReady;
    const messages = [by(alice, 'Alice'), by(mallory, 'A\u04CFice'), by(bob, 'Bob')];
    await until(() => contacts.authorMarks(messages).size === 2, 'both marked');
    const marks = contacts.authorMarks(messages);
    expect(marks.get(mallory.id)!.alike.map((l) => l.userId)).to.deep.equal([alice.id]);
    expect(marks.has(bob.id)).to.equal(false);
    a.close();
    b.close();
  });

  it('marks a verified author Verified on the rows, and settles the look-alike question', async () => {
    const hub = new MemoryHub();
    const a = await stranger(hub, 'ok', alice, 'Alice');
    const m = await stranger(hub, 'ok', mallory, 'A\u04CFice');
    const carol = await member(hub, 'Carol', 'ok');
    await until(
      () => [alice, mallory].every((i) => line(carol, i.id)?.trust !== undefined),
      'both listed',
    );
    const contacts = await carol.presence.contactsReady;
    const messages = [by(alice, 'Alice'), by(mallory, 'A\u04CFice')];
    await until(() => contacts.authorMarks(messages).size === 2, 'both marked');
    expect(contacts.authorMarks(messages).get(alice.id)!.verified).to.equal(false);
    await contacts.setVerified(alice.id, true);
    const marks = contacts.authorMarks(messages);
    expect(marks.get(alice.id)).to.deep.include({ verified: true, alike: [] });
    expect(marks.get(mallory.id)!.alike).to.deep.equal([
      {
        userId: alice.id,
        name: 'Alice',
        fingerprint: fingerprintOf(await safetyCode(alice.publicKey)),
        verified: true,
      },
    ]);
    a.close();
    m.close();
  });
});
