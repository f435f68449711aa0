/**
 * The JSON export of a room (real IndexedDB, real signatures): one header line, one envelope
 * per line oldest first, exactly as signed (each verifies on its own), sealed bodies sealed,
 * nothing only this browser knows, other rooms and accounts left out.
 */
import { expect } from '@open-wc/testing';
import { EnvelopeSchema, type Envelope } from '../../../src/protocol/chat-events.js';
import { verifyEnvelope } from '../../../src/protocol/signed-envelope.js';
import { PROTOCOL_VERSION } from '../../../src/protocol/version.js';
import * as v from 'valibot';
import { exportJson, storedPages } from '../../../src/controllers/room/history-export.js';
import { addMessages } from '../../../src/store/history.js';
import { freshDb } from '../../support/db.js';
import { author, signedBy } from '../../support/envelopes.js';
import { linesOf, roomKey, storeHistory } from './history-fixtures.js';

const OWNER = 'account-a';

describe('history export (JSON)', function () {
  this.timeout(20000);
  let drop: () => Promise<void> = async () => {};
  afterEach(() => drop());

  it('writes a header, then every envelope of the room as signed, one a line, oldest first', async () => {
    const fresh = await freshDb();
    drop = fresh.drop;
    const { envs } = await storeHistory(fresh.db, OWNER, 'general');
    // Another room, another account, and one only this browser's tabs saw: none of them goes.
    const eve = await author('Eve');
    await addMessages(fresh.db, OWNER, [await signedBy(eve, { room: 'random' })], () => 'received');
    await addMessages(
      fresh.db,
      'account-b',
      [await signedBy(eve, { room: 'general' })],
      () => 'received',
    );
    const local = await signedBy(eve, { room: 'general', text: 'tabs only' });
    await addMessages(fresh.db, OWNER, [local], () => 'received', { local: true });

    const before = Date.now();
    const text = await (await exportJson(fresh.db, OWNER, 'general')).text();
    const lines = linesOf(text);
    expect(lines[0]!.endsWith(',"messages":[')).to.equal(true);
    const header = JSON.parse(lines[0]!.slice(0, -',"messages":['.length) + '}');
    expect(header).to.include({
      format: 'parley-history',
      version: 1,
      protocol: PROTOCOL_VERSION,
      room: 'general',
      count: envs.length,
    });
    expect(header.exported).to.be.within(before, Date.now());
    expect(lines.at(-1)).to.equal(']}');
    expect(lines.length).to.equal(envs.length + 2);
    // The whole is JSON, and the lines are the envelopes as signed, in order.
    const doc = JSON.parse(text) as { messages: Envelope[] };
    expect(doc.messages).to.deep.equal(envs);
    lines.slice(1, -1).forEach((line, i) => {
      expect(JSON.parse(line.replace(/,$/, ''))).to.deep.equal(envs[i]);
    });
    expect(text).to.not.include('tabs only');
    expect(text).to.not.include('"status"');
    expect(text).to.not.include(OWNER);
    for (const env of doc.messages) {
      expect(await verifyEnvelope(v.parse(EnvelopeSchema, env) as Envelope)).to.equal(true);
    }
  });

  it('keeps an encrypted room sealed: no opened text in the file', async () => {
    const fresh = await freshDb();
    drop = fresh.drop;
    const key = await roomKey();
    const { envs } = await storeHistory(fresh.db, OWNER, 'secret', key);
    const text = await (await exportJson(fresh.db, OWNER, 'secret')).text();
    const doc = JSON.parse(text) as { messages: Envelope[] };
    expect(doc.messages).to.deep.equal(envs);
    for (const env of doc.messages) expect(env.body).to.have.property('enc', 'aes-256-gcm/1');
    for (const word of ['secret world', 'edited', 'Hi Alice', '👍', 'lines', '"reply"'])
      expect(text).to.not.include(word);
  });

  it('writes an empty room as an empty list, and reads big rooms page by page', async () => {
    const fresh = await freshDb();
    drop = fresh.drop;
    const empty = JSON.parse(await (await exportJson(fresh.db, OWNER, 'nobody')).text());
    expect(empty).to.include({ count: 0 });
    expect(empty.messages).to.deep.equal([]);
    const eve = await author('Eve');
    const many = await Promise.all(
      Array.from({ length: 1203 }, (_, i) => signedBy(eve, { room: 'big', ts: 1_000_000 + i })),
    );
    await addMessages(fresh.db, OWNER, many, () => 'received');
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of storedPages(fresh.db, OWNER, 'big')) {
      pages.push(page.length);
      ids.push(...page.map((m) => m.id));
    }
    expect(pages).to.deep.equal([500, 500, 203]);
    expect(ids).to.deep.equal(many.map((m) => m.id));
    // Capped: the newest are kept.
    const capped: string[] = [];
    for await (const page of storedPages(fresh.db, OWNER, 'big', 700))
      capped.push(...page.map((m) => m.id));
    expect(capped).to.deep.equal(many.slice(-700).map((m) => m.id));
    const doc = JSON.parse(await (await exportJson(fresh.db, OWNER, 'big')).text());
    expect(doc.count).to.equal(1203);
  });
});
