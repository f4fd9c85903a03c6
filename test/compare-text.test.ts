import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText } from '../src/util/text.js';

const sign = (n: number) => Math.sign(n);

describe('compareText: the order of localeCompare, without ICU for names and API times', () => {
  it('orders Kubernetes names as localeCompare does', () => {
    const name = fc.stringMatching(/^[a-z0-9.-]{0,12}$/);
    fc.assert(fc.property(name, name, (a, b) => sign(compareText(a, b)) === sign(a.localeCompare(b))), { numRuns: 2000 });
  });

  it('orders API server times as localeCompare does (newest last)', () => {
    const time = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d+Z$/, 'Z'));
    fc.assert(fc.property(time, time, (a, b) => sign(compareText(a, b)) === sign(a.localeCompare(b))), { numRuns: 2000 });
    expect(compareText('2025-05-01T09:30:00Z', '2025-05-01T10:00:00Z')).toBeLessThan(0);
    expect(compareText('', '2025-05-01T09:30:00Z')).toBeLessThan(0);
  });

  it('leaves everything else to localeCompare (case, other characters)', () => {
    // Code-unit order would put "Prod" before "dev"; the collation puts "dev" first.
    expect(compareText('dev', 'Prod')).toBeLessThan(0);
    expect(compareText('StatefulSet', 'Deployment')).toBeGreaterThan(0);
    expect(compareText('équipe', 'zeta')).toBeLessThan(0);
    const any = fc.string({ maxLength: 8 });
    fc.assert(fc.property(any, any, (a, b) => sign(compareText(a, b)) === sign(a.localeCompare(b))), { numRuns: 2000 });
  });
});
