/**
 * The schemas of the fields pulldoctor reads, and the validators generated from them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED, generateValidators } from './helpers/object-validators.js';

describe('generated validators', () => {
  it('are what the schemas in src/collect/object-schema.ts compile to (UPDATE_GOLDEN=1 rewrites them)', () => {
    const code = generateValidators();
    if (process.env.UPDATE_GOLDEN) writeFileSync(GENERATED, code);
    expect(readFileSync(GENERATED, 'utf8')).toBe(code);
  });
});
