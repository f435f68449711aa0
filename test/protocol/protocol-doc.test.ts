/**
 * docs/PROTOCOL.md's schemas are the code's: every block between `<!-- schema:NAME:… -->`
 * markers is what `scripts/protocol-schemas.ts` prints from the valibot schemas the app and the
 * server check with, every documented schema has its block, and a schema changed in the code
 * shows up as a difference (so `npm test` fails until the document follows).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { blocks, documentedSchemas, fill, PROTOCOL_DOC } from '../../scripts/protocol-schemas.js';

const doc = readFileSync(PROTOCOL_DOC, 'utf8');

describe('docs/PROTOCOL.md', () => {
  it("holds every schema exactly as the code's (run `npx tsx scripts/protocol-schemas.ts --write`)", () => {
    assert.deepEqual(fill(doc).problems, []);
  });

  it('shows the rules of each schema: lengths, patterns, literals, optional fields, the words', () => {
    const all = blocks();
    assert.match(all.get('RoomName')!, /maxLength 64 "a room name has at most 64 characters"/);
    assert.match(all.get('JoinRequest')!, /\n {2}v\?: string\(maxLength 16\)\n/);
    assert.match(all.get('SealedBody')!, /enc: "aes-256-gcm\/1"/);
    assert.match(all.get('Envelope')!, /^Envelope = object \{/);
    assert.match(all.get('RelayedEvents')!, /"chat:message": strictTuple\[WireEnvelope\]/);
  });

  it('notices a schema that changed in the code, a missing block and a stray one', () => {
    // The room name's cap and the join request's fields, as if someone changed the code.
    const changed = {
      ...documentedSchemas,
      RoomName: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
      JoinRequest: v.object({ room: v.string(), extra: v.optional(v.boolean()) }),
    };
    const problems = fill(doc, blocks(changed)).problems;
    assert.ok(problems.includes('RoomName: differs from the code'), problems.join('; '));
    assert.ok(problems.includes('JoinRequest: differs from the code'), problems.join('; '));
    const fewer = new Map(blocks());
    fewer.delete('Ack');
    assert.ok(
      fill(doc, fewer).problems.includes('Ack: the document has a schema block the code does not'),
    );
    const more = new Map(blocks()).set('Newcomer', 'Newcomer = string');
    assert.ok(fill(doc, more).problems.includes('Newcomer: missing from the document'));
  });
});
