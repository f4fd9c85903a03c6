import { describe, expect, it } from 'vitest';
import { memoString } from '../src/util/memo.js';

describe('memoString', () => {
  it('computes each string once, with the same answer as the function', () => {
    const calls: string[] = [];
    const width = memoString((s: string) => (calls.push(s), [...s].length));
    expect([width('☕名'), width('☕名'), width('a'), width('☕名')]).toEqual([2, 2, 1, 2]);
    expect(calls).toEqual(['☕名', 'a']);
  });

  it('remembers a result that is undefined too', () => {
    let n = 0;
    const f = memoString((_s: string) => (n++, undefined));
    f('x');
    f('x');
    expect(n).toBe(1);
  });

  it('keeps at most `entries` strings and never keeps long ones', () => {
    const calls: string[] = [];
    const f = memoString((s: string) => (calls.push(s), s.length), 2, 8);
    f('a');
    f('b');
    f('c'); // full: starts over with c
    f('a');
    const long = 'x'.repeat(9);
    f(long);
    f(long);
    expect(calls).toEqual(['a', 'b', 'c', 'a', long, long]);
  });
});
