/**
 * The help desk's knock (protocol 1.5, PROTOCOL.md §19): the vector opens with the agent's key
 * as the document says, and a knock opens for nobody else — not another agent, not under
 * another author or desk, not changed in any part, not for a room its author did not make.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  agentCard,
  deskRoomOf,
  makeKnock,
  openKnock,
  readAgentCard,
  readAgentCards,
  siteProblem,
  type Agent,
  type Knock,
} from '../../src/protocol/desk.js';
import { createIdentity } from '../../src/protocol/identity.js';
import { createAgreementKeys, type AgreementKeys } from '../../src/protocol/key-agreement.js';
import { newPrivateRoom } from '../../src/protocol/room-id.js';
import { toBase64Url } from '../../src/protocol/encoding.js';
import { readBody } from '../../src/protocol/message-body.js';

const vectors = JSON.parse(readFileSync('docs/protocol-vectors.json', 'utf8'));
const k = vectors.knock;

/** The vector agent's key-agreement key pair, from its JWK. */
async function vectorAgentKeys(): Promise<AgreementKeys> {
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    k.agent.kxPrivateJwk,
    { name: 'X25519' },
    false,
    ['deriveBits'],
  );
  return { alg: 'x25519', privateKey, publicKey: k.agent.kx };
}

/** A fresh agent: identity, key-agreement keys and card. */
async function newAgent(): Promise<{ agent: Agent; keys: AgreementKeys }> {
  const identity = await createIdentity();
  const keys = await createAgreementKeys();
  return { agent: { key: identity.publicKey, id: identity.id, kx: keys.publicKey }, keys };
}

describe('help-desk knocks (1.5)', () => {
  it('opens the vector with the agent key, to the payload and the room key', async () => {
    const opened = await openKnock(k.desk, k.author, k.knock, k.agent.id, await vectorAgentKeys());
    assert.deepEqual(opened, { ...k.payload, key: k.roomKey });
    assert.equal(k.desk, deskRoomOf('bakery'));
    assert.deepEqual(await readAgentCard(k.agent.card), {
      key: k.agent.key,
      kx: k.agent.kx,
      id: k.agent.id,
    });
    // A 1.4 member keeps it as a kind it does not know.
    assert.deepEqual(readBody(k.knock), { kind: 'unknown', name: 'knock' });
  });

  it('opens for nobody but the agents it names, and only as made', async () => {
    const mine = await vectorAgentKeys();
    const open = (over: Partial<{ desk: string; author: typeof k.author; knock: Knock }>) =>
      openKnock(
        over.desk ?? k.desk,
        over.author ?? k.author,
        over.knock ?? k.knock,
        k.agent.id,
        mine,
      );
    // Another desk, or another author re-posting it as theirs.
    assert.equal(await open({ desk: deskRoomOf('bakery2') }), undefined);
    const other = await createIdentity();
    assert.equal(await open({ author: { id: other.id, key: other.publicKey } }), undefined);
    // Any part changed.
    const flip = (s: string) => (s[5] === 'A' ? 'B' : 'A') + s.slice(1);
    const knock = k.knock as Knock;
    assert.equal(await open({ knock: { ...knock, ct: flip(knock.ct) } }), undefined);
    assert.equal(await open({ knock: { ...knock, iv: flip(knock.iv) } }), undefined);
    const keys = [{ ...knock.keys[0]!, ct: flip(knock.keys[0]!.ct) }];
    assert.equal(await open({ knock: { ...knock, keys } }), undefined);
    // Another agent holds no copy; the same agent id with another key pair cannot open it.
    const { agent, keys: theirs } = await newAgent();
    assert.equal(await openKnock(k.desk, k.author, k.knock, agent.id, theirs), undefined);
    assert.equal(await openKnock(k.desk, k.author, k.knock, k.agent.id, theirs), undefined);
    // Not a knock at all.
    assert.equal(await open({ knock: { ...knock, kind: 'rekey' } as unknown as Knock }), undefined);
  });

  it('refuses a knock for a room its author did not make (a hijacked conversation)', async () => {
    const visitor = await createIdentity();
    const mallory = await createIdentity();
    const { agent, keys } = await newAgent();
    const { room, nonce } = await newPrivateRoom(visitor.publicKey);
    const raw = crypto.getRandomValues(new Uint8Array(32));
    // Mallory points the agents at the visitor's room, under his own name.
    const made = await makeKnock(
      deskRoomOf('shop'),
      mallory.id,
      raw,
      { room, nonce, title: 'Visitor 1' },
      [agent],
    );
    const by = { id: mallory.id, key: mallory.publicKey };
    assert.equal(await openKnock(deskRoomOf('shop'), by, made!.knock, agent.id, keys), undefined);
    // The visitor's own knock for it opens.
    const hers = await makeKnock(deskRoomOf('shop'), visitor.id, raw, { room, nonce, title: 'V' }, [
      agent,
    ]);
    const opened = await openKnock(
      deskRoomOf('shop'),
      { id: visitor.id, key: visitor.publicKey },
      hers!.knock,
      agent.id,
      keys,
    );
    assert.deepEqual(opened, { room, nonce, title: 'V', key: toBase64Url(raw) });
  });

  it('reads agent cards: bad ones counted, repeats once, at most 16', async () => {
    const { agent } = await newAgent();
    const card = agentCard(agent.key, agent.kx);
    const text = `${card}  ${card}\nnot-a-card ed25519:x~x25519:y`;
    const read = await readAgentCards(text);
    assert.deepEqual(read.agents, [agent]);
    assert.equal(read.bad, 2);
    const many = await Promise.all(Array.from({ length: 20 }, newAgent));
    const cards = many.map(({ agent: a }) => agentCard(a.key, a.kx)).join(' ');
    assert.equal((await readAgentCards(cards)).agents.length, 16);
    assert.equal(siteProblem('bakery'), undefined);
    for (const bad of ['', 'Bakery', '-shop', 'a'.repeat(41), 'shop.x', 'shop x'])
      assert.ok(siteProblem(bad), bad);
  });
});
