import { expect, fixtureCleanup, waitUntil } from '@open-wc/testing';
import 'axe-core/axe.min.js';
import { deleteParleyDb } from '../../src/store/db.js';
import { MemoryHub } from '../../src/transport/memory.js';
import { uniqueDbName } from '../helpers/db.js';
import { connected, loginOf, mountChat, register, shadow, shownMessages, typeAndEnter } from './chat-helpers.js';

type AxeResult = { id: string; nodes: { html: string; target: unknown; failureSummary?: string; any: {message: string}[] }[] };
async function audit(el: Element, label: string) {
  const axe = (window as unknown as { axe: { run(el: Element): Promise<{ violations: AxeResult[]; incomplete: AxeResult[] }> } }).axe;
  const r = await axe.run(el);
  const fmt = (rs: AxeResult[]) => rs.map((v) => `${v.id}: ` + v.nodes.map((n) => `\n    ${n.html.slice(0, 140)} ${JSON.stringify(n.target)} ${n.any.map(a=>a.message).join(';')} ${n.failureSummary ?? ''}`).join('')).join('\n  ');
  console.log(`### ${label}\n VIOLATIONS:\n  ${fmt(r.violations)}\n INCOMPLETE:\n  ${fmt(r.incomplete)}`);
}

describe('explore', function () {
  this.timeout(30000);
  const dbs: string[] = [];
  const newDb = () => { const n = uniqueDbName(); dbs.push(n); return n; };
  afterEach(async () => { fixtureCleanup(); await Promise.all(dbs.splice(0).map((n) => deleteParleyDb(n))); });
  for (const theme of ['light', 'dark']) {
    it(`baseline ${theme}`, async () => {
      const hub = new MemoryHub();
      const a = await mountChat(hub, newDb());
      a.setAttribute('theme', theme);
      await waitUntil(() => loginOf(a).open);
      await audit(a, `${theme} login`);
      const b = await mountChat(hub, newDb());
      await register(a, 'Alice');
      await register(b, 'Bob');
      await Promise.all([connected(a), connected(b)]);
      await audit(a, `${theme} empty room`);
      await typeAndEnter(a, 'hello');
      await typeAndEnter(b, 'hi Alice');
      await waitUntil(() => shownMessages(a).length === 2);
      await new Promise((r) => setTimeout(r, 300));
      await audit(a, `${theme} messages`);
      shadow(a).querySelector<HTMLButtonElement>('header button')!.click();
      await new Promise((r) => setTimeout(r, 300));
      await audit(a, `${theme} settings`);
      expect(1).to.equal(1);
    });
  }
});
