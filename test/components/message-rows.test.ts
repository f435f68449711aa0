import { expect } from '@open-wc/testing';
import { isDay, newestRows, toRows } from '../../src/components/message-rows.js';
import type { ChatMessage } from '../../src/controllers/message-list.js';

const HOUR = 3_600_000;
const msg = (i: number, ts: number): ChatMessage => ({
  id: `m${i}`,
  room: 'lobby',
  from: { id: 'bob', name: 'Bob' },
  ts,
  seq: i,
  body: { text: `#${i}` },
  owner: 'me',
  status: 'received',
});
/** Three messages on each of three days, noon onwards (local time). */
const noon = new Date(2025, 0, 6, 12).getTime();
const messages = [0, 1, 2].flatMap((d) =>
  [0, 1, 2].map((k) => msg(d * 3 + k, noon + d * 24 * HOUR + k * HOUR)),
);
const label = (
  rows: ReturnType<typeof toRows> | ReadonlyArray<ReturnType<typeof toRows>[number]>,
) => rows.map((r) => (isDay(r) ? `day${new Date(r.day).getDate()}` : r.id));

describe('message rows', () => {
  it('puts a day separator before each day', () => {
    expect(label(toRows(messages))).to.deep.equal([
      'day6',
      'm0',
      'm1',
      'm2',
      'day7',
      'm3',
      'm4',
      'm5',
      'day8',
      'm6',
      'm7',
      'm8',
    ]);
  });

  it('keeps the newest messages, headed by their first day', () => {
    const rows = toRows(messages);
    expect(label(newestRows(rows, 2))).to.deep.equal(['day8', 'm7', 'm8']);
    expect(label(newestRows(rows, 3))).to.deep.equal(['day8', 'm6', 'm7', 'm8']);
    expect(label(newestRows(rows, 4))).to.deep.equal(['day7', 'm5', 'day8', 'm6', 'm7', 'm8']);
    expect(newestRows(rows, 9)).to.deep.equal(rows);
    expect(newestRows(rows, 50)).to.deep.equal(rows);
    expect(newestRows([], 5)).to.deep.equal([]);
  });
});
