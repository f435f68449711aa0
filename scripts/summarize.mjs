// Adds up what every runner reported (static checks, node:test TAP, web-test-runner JSON) and
// prints one plain line: `tests: N passed, M failed`. A runner that crashed without reporting
// counts as one failure, so a broken harness can never look green.
import { existsSync, readFileSync } from 'node:fs';

const out = process.argv[2] ?? '.test-output';
let passed = 0;
let failed = 0;
const lines = [];
const read = (f) => (existsSync(`${out}/${f}`) ? readFileSync(`${out}/${f}`, 'utf8') : undefined);

for (const line of (read('static') ?? '').split('\n').filter(Boolean)) {
  const [name, p, f] = line.split(' ');
  passed += Number(p);
  failed += Number(f);
  lines.push(`${name}: ${Number(p) ? 'ok' : 'FAILED'}`);
}

function runner(label, counts) {
  const rc = Number(read(`${label}.rc`) ?? 1);
  let { pass, fail } = counts ?? { pass: 0, fail: 0 };
  if (rc !== 0 && fail === 0) fail = 1; // crashed, or failed outside any test
  if (!counts && rc === 0) fail = 1; // said nothing: not a pass
  passed += pass;
  failed += fail;
  lines.push(`${label}: ${pass} passed, ${fail} failed`);
}

for (const label of ['node', 'e2e']) {
  const tap = read(`${label}.tap`);
  const num = (key) => Number(tap?.match(new RegExp(`^# ${key} (\\d+)`, 'm'))?.[1] ?? 0);
  runner(label, tap ? { pass: num('pass'), fail: num('fail') + num('cancelled') } : undefined);
}
const wtr = read('browser.json');
runner(
  'browser',
  wtr ? (({ passed: pass, failed: fail }) => ({ pass, fail }))(JSON.parse(wtr)) : undefined,
);

console.log(lines.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
