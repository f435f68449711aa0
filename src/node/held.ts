/**
 * Messages a bot kept from an earlier run, checked again before it trusts them: the same
 * shape and signature checks as anything from the network (a file can be edited too).
 */
import * as v from 'valibot';
import { EnvelopeSchema, type Envelope } from '../protocol/chat-events.js';
import { verifyEnvelope } from '../protocol/signed-envelope.js';

/** How many envelopes are verified at once. */
const BATCH = 256;

/** The envelopes of `room` among `items` whose signatures check out, and how many did not. */
export async function loadHistory(
  room: string,
  items: Iterable<unknown>,
): Promise<{ kept: Envelope[]; refused: number }> {
  const kept: Envelope[] = [];
  let refused = 0;
  let batch: Envelope[] = [];
  const run = async () => {
    const ok = await Promise.all(batch.map((env) => verifyEnvelope(env)));
    batch.forEach((env, i) => (ok[i] ? kept.push(env) : refused++));
    batch = [];
  };
  for (const item of items) {
    const parsed = v.safeParse(EnvelopeSchema, item);
    if (!parsed.success || parsed.output.room !== room) refused++;
    else batch.push(parsed.output as Envelope);
    if (batch.length >= BATCH) await run();
  }
  await run();
  return { kept, refused };
}
