/**
 * The payload rules every transport applies both ways (`payload.ts`), after the walk over the
 * arguments was rewritten without closures or a `Set` (issue 25): the same verdicts as before —
 * a value met twice side by side is fine, one that contains itself at any depth is not; at
 * most 32 levels; the cap counted to the byte; an endless value refused at once. A received
 * event is serialised again only when the walk's count says it might be over the cap, and that
 * count is never below the exact size (escapes, the longest numbers, random values).
 */
import { expect } from '@open-wc/testing';
import { TransportError } from '../../src/transport/errors.js';
import { utf8Length } from '../../src/protocol/limits.js';
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
  it('measures a received event well under the cap without serialising it again', () => {
    const stringify = JSON.stringify;
    let calls = 0;
    JSON.stringify = ((...args: Parameters<typeof stringify>) => {
      calls++;
      return stringify(...args);
    }) as typeof stringify;
    try {
      expect(refusal('chat:message', [{ text: 'hello', n: 1, ok: true }], CAP)).to.equal(undefined);
      expect(calls, 'small').to.equal(0);
      // 200 characters could be 1,200 bytes of escapes: only the exact size can tell.
      expect(refusal('chat:message', ['x'.repeat(200)], CAP)).to.equal(undefined);
      expect(calls, 'might be over').to.equal(1);
    } finally {
      JSON.stringify = stringify;
    }
  });

  it('refuses what only escapes or long numbers put over the cap', () => {
    // A control character takes 6 bytes in JSON ("\u0001"), though it is one character.
    expect(refusal('chat:message', ['\u0001'.repeat(166)], CAP)).to.equal(undefined); // 1000
    expect(refusal('chat:message', ['\u0001'.repeat(167)], CAP)).to.equal('too-large'); // 1006
    expect(codeOf(['\u0001'.repeat(167)])).to.equal('too-large');
    // A lone surrogate too; a pair is 4 bytes for its two units.
    expect(refusal('chat:message', ['\ud800'.repeat(167)], CAP)).to.equal('too-large');
    expect(refusal('chat:message', ['😀'.repeat(249)], CAP)).to.equal(undefined); // 1000
    // The longest numbers: 24 and 25 characters each, though the walk counts one.
    const longest = [-1.2345678901234567e-308, -0.0000012345678901234567];
    const list = (n: number) => Array.from({ length: n }, (_, i) => longest[i % 2]!);
    expect(stringifiedSize([list(39)])).to.equal(997);
    expect(refusal('chat:message', [list(39)], CAP)).to.equal(undefined);
    expect(refusal('chat:message', [list(40)], CAP)).to.equal('too-large');
  });

  it('gives a received event the verdict of its exact size, for random values', () => {
    let seed = 25;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const units = ['a', 'é', '\u0000', '"', '\\', '\n', '\ud83d', '\ude00', '😀', '\u2028', '中'];
    const numbers = [0, -0, 1e21, -1.2345678901234567e-308, 5e-324, -Number.MAX_VALUE, 0.1];
    const value = (depth: number): unknown => {
      switch (rand(depth > 3 ? 4 : 6)) {
        case 0:
          return Array.from({ length: rand(40) }, () => units[rand(units.length)]).join('');
        case 1:
          return numbers[rand(numbers.length)]! / (rand(2) ? 1 : 3.3);
        case 2:
          return rand(2) === 0 ? null : rand(2) === 0;
        case 3:
          return rand(1000) / 7;
        case 4:
          return Array.from({ length: rand(6) }, () => value(depth + 1));
        default:
          return Object.fromEntries(
            Array.from({ length: rand(6) }, () => [value(9) as string, value(depth + 1)]),
          );
      }
    };
    let over = 0;
    for (let i = 0; i < 3000; i++) {
      const args = [value(0), value(0)];
      const size = stringifiedSize(args);
      for (const cap of [size - 1, size, size + 1, 200]) {
        const want = size > cap ? 'too-large' : undefined;
        expect(refusal('chat:message', args, cap), `${stringify(args)} under ${cap}`).to.equal(
          want,
        );
      }
      if (size > 200) over++;
    }
    expect(over, 'some values are over the 200-byte cap').to.be.greaterThan(100);
  });
});

const stringify = JSON.stringify;
/** UTF-8 bytes of `args`' JSON: the size the cap is about. */
const stringifiedSize = (args: unknown[]) => utf8Length(stringify(args));
