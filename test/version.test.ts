/** The version has one source, package.json (via src/paths.ts): the report's tool.version and `--version` both come from it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RULES } from '../rules/index.js';
import { collectDemo, DEMO_NOW } from '../src/collect/demo.js';
import { runEngine } from '../src/engine/analyse.js';
import { mergeReports } from '../src/engine/report.js';
import { packageVersion } from '../src/paths.js';
import { ROOT } from './helpers/root.js';

vi.mock(import('../src/paths.js'), async (original) => ({ ...(await original()), packageVersion: () => '9.8.7-from-package-json' }));

describe('tool version', () => {
  it('reports the version src/paths.ts reads, for one snapshot and for a fleet', async () => {
    const report = runEngine(await collectDemo(), RULES, DEMO_NOW);
    expect(report.tool).toEqual({ name: 'pulldoctor', version: '9.8.7-from-package-json' });
    expect(mergeReports([report]).tool.version).toBe('9.8.7-from-package-json');
  });

  it('src/paths.ts reads package.json', async () => {
    const real = await vi.importActual<{ packageVersion: typeof packageVersion }>('../src/paths.js');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(real.packageVersion()).toBe(pkg.version);
  });
});
