import { expect } from '@open-wc/testing';
import { render } from 'lit';
import {
  isDay,
  messageRow,
  newestRows,
  toRows,
} from '../../../src/components/messages/message-rows.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import { MAX_TIME } from '../../../src/protocol/fields.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

const HOUR = 3_600_000;
const msg = (i: number, ts: number): ChatMessage => ({
  id: `m${i}`,
  room: 'lobby',
  from: { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key },
  ts,
  seq: i,
  sig: SIGNATURE_SHAPED,
  body: { text: `#${i}` },
  text: `#${i}`,
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
) => rows.map((r) => (isDay(r) ? `day${new Date(r.day).getDate()}` : 'id' in r ? r.id : 'begin'));

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

  it('renders a time no Date can hold as "unknown time", without throwing', () => {
    // Beyond what the schema lets in (an older version's record, or a hostile peer's).
    const ts = 8.7e15;
    expect(ts).to.be.above(MAX_TIME);
    const far = [msg(1, ts)];
    const rows = toRows(far);
    expect(rows.filter(isDay)).to.have.lengthOf(1);
    const host = document.createElement('ol');
    const own = { ...msg(2, ts), from: { ...far[0]!.from, id: 'me' }, status: 'sent' as const };
    render(
      rows.concat(own).map((row) => messageRow(row, 'me', () => {})),
      host,
    );
    const [day, theirs, ours] = [...host.querySelectorAll('li')];
    expect(day!.textContent).to.equal('Unknown day');
    for (const li of [theirs!, ours!]) {
      const time = li.querySelector('time')!;
      expect(time.getAttribute('title')).to.equal('unknown time');
      expect(time.textContent).to.equal('--:--');
      expect(time.getAttribute('datetime')).to.equal('');
    }
    expect(theirs!.querySelector('.text')!.textContent).to.equal('#1');
    expect(ours!.querySelector('.text')!.textContent).to.equal('#2');
  });

  it("shows someone's fingerprint beside the name, and a message's flag where it applies", () => {
    const host = document.createElement('ol');
    document.body.append(host);
    const row = { ...msg(1, noon), fingerprint: '12345', inClear: true as const };
    const flags = new Map([[row.id, { flag: 'Not encrypted' }]]);
    render(
      messageRow(row, 'me', () => {}, {
        cont: new Set(),
        open: new Set(),
        toggle: () => {},
        flags,
      }),
      host,
    );
    const author = host.querySelector('[part="author"]')!;
    expect(author.getAttribute('data-fp')).to.equal('12345');
    expect(author.textContent, 'the name stays the name').to.equal('Bob');
    expect(host.querySelector('[part="flag"]')!.textContent).to.equal('Not encrypted');
    render(
      messageRow(msg(2, noon), 'me', () => {}),
      host,
    );
    expect(host.querySelector('[part="author"]')!.hasAttribute('data-fp')).to.equal(false);
    expect(host.querySelector('[part="flag"]')).to.equal(null);
    host.remove();
  });
});
