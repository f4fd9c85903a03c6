import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REDACTED, reveal, seal } from '../src/credentials/vault.js';
import type { Sealed } from '../src/model/sealed.js';

describe('the vault behind the model’s opaque Sealed type', () => {
  const value = { username: 'robot', password: 'hunter2-very-secret' };

  it('prints, serialises and inspects a sealed value as the redaction marker only', () => {
    const s = seal(value);
    for (const out of [String(s), `${s}`, JSON.stringify({ s }), inspect(s, { depth: null, showHidden: true }), inspect({ s })]) {
      expect(out).not.toContain('hunter2');
      expect(out).not.toContain('robot');
      expect(out).toContain(REDACTED);
    }
    expect(Object.keys(s)).toEqual([]);
    expect(reveal(s)).toEqual(value);
  });

  it('does not open a look-alike: only values the vault sealed can be revealed', () => {
    const fake = { toString: () => REDACTED, toJSON: () => REDACTED } as unknown as Sealed<typeof value>;
    expect(() => reveal(fake)).toThrow('not a sealed value');
    // Type level: an object literal is not a Sealed<T> (the brand cannot be named outside the model).
    // @ts-expect-error missing the brand
    const literal: Sealed<string> = { toString: () => REDACTED, toJSON: () => REDACTED };
    expect(() => reveal(literal)).toThrow();
  });
});
