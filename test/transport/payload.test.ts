/**
 * The payload rules every transport applies both ways (`payload.ts`), after the walk over the
 * arguments was rewritten without closures or a `Set` (issue 25): the same verdicts as before —
 * a value met twice side by side is fine, one that contains itself at any depth is not; at
 * most 32 levels; the cap counted to the byte; an endless value refused at once.
 */
import { expect } from '@open-wc/testing';
import { TransportError } from '../../src/transport/errors.js';
import { checkOutgoing, refusal } from '../../src/transport/payload.js';

const CAP = 1000;
const codeOf = (args: unknown[]) => {
  try {
    checkOutgoing('chat:message', args, CAP);
    return 'ok';
  } catch (err) {
    return (err as TransportError).code;
  }
};
/** `inner` wrapped in `levels` arrays. */
const nested = (levels: number, inner: unknown = 1): unknown => {
  let value = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe('payload rules', () => {
  it('takes a value met twice side by side, at any depth (not a cycle)', () => {
    const shared = { text: 'same', list: [1, 2] };
    const args = [{ a: shared, b: shared, deeper: [shared, { again: shared }] }, shared];
    expect(codeOf(args)).to.equal('ok');
    expect(refusal('chat:message', JSON.parse(JSON.stringify(args)), CAP)).to.equal(undefined);
    expect(refusal('chat:message', args, CAP)).to.equal(undefined);
  });

  it('refuses a value that contains itself, however deep the loop starts', () => {
    for (const depth of [0, 1, 5, 20]) {
      const loop: Record<string, unknown> = { name: 'loop' };
      loop.next = { list: [1, loop] };
      const args = [nested(depth, loop)];
      expect(codeOf(args), `at depth ${depth}`).to.equal('invalid-payload');
      expect(refusal('chat:message', args, CAP)).to.equal('invalid');
    }
  });

  it('allows 32 levels below the argument list and refuses 33', () => {
    expect(codeOf([nested(32)])).to.equal('ok');
    expect(codeOf([nested(33)])).to.equal('invalid-payload');
    expect(refusal('chat:message', [nested(33)], CAP)).to.equal('invalid');
  });

  it('counts the cap to the byte, multi-byte characters included', () => {
    // ["…"]: 4 bytes around the text.
    expect(codeOf(['x'.repeat(CAP - 4)])).to.equal('ok');
    expect(codeOf(['x'.repeat(CAP - 3)])).to.equal('too-large');
    expect(refusal('chat:message', ['é'.repeat((CAP - 4) / 2)], CAP)).to.equal(undefined);
    expect(refusal('chat:message', ['é'.repeat((CAP - 4) / 2 + 1)], CAP)).to.equal('too-large');
    expect(checkOutgoing('chat:message', [{ a: [1, true, null] }], CAP)).to.equal(
      '[{"a":[1,true,null]}]',
    );
  });

  it('refuses what JSON would change or lose, and an endless value by its size', () => {
    const holes: unknown[] = [1];
    holes[2] = 3;
    const extra = Object.assign([1, 2], { note: 'x' });
    class Thing {
      a = 1;
    }
    for (const bad of [undefined, NaN, -Infinity, new Date(0), new Thing(), holes, extra, 1n]) {
      expect(codeOf([bad]), String(bad)).to.equal('invalid-payload');
    }
    expect(codeOf([Object.assign(Object.create(null), { a: 1 })])).to.equal('ok');
    // 4.3 billion holes: the brackets and commas alone are over the cap, so no item is read.
    expect(refusal('chat:message', [new Array(2 ** 32 - 1)], CAP)).to.equal('too-large');
  });
});
