/**
 * What `npm publish` would ship (`npm pack`; `npm test` builds first): the bundle with every
 * chunk and source map, the runbooks, the demo cluster, the schema, README (and a LICENSE file
 * when the repository has one) — and none of the tests, other fixtures, benchmarks, TypeScript
 * sources or build leftovers. Then the packed package on its own, unpacked where no node_modules
 * can be found: the bundle carries its dependencies and finds its files from where it lies.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { CLI } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';

interface PackResult {
  filename: string;
  files: { path: string; mode: number }[];
}

let tmp: string;
let pack: PackResult;
let packed: string[];

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pulldoctor-pack-'));
  // The listing is `npm pack --dry-run --json`'s; without --dry-run npm also writes the tarball.
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  pack = (JSON.parse(out) as PackResult[])[0]!;
  packed = pack.files.map((f) => f.path).sort();
  execFileSync('tar', ['-xzf', path.join(tmp, pack.filename), '-C', tmp]);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Every file under a directory of the repository, as repository-relative paths. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .sort();
}

describe('npm pack contents', () => {
  it('the bundle: the entry, every chunk and on-demand file, each with its source map, and the bundled licences', () => {
    const dist = filesUnder('dist');
    const js = dist.filter((f) => /\.c?js$/.test(f));
    expect(js.filter((f) => f.startsWith('dist/lazy/')).length).toBeGreaterThan(0);
    expect(js).toContain(path.relative(ROOT, CLI));
    expect(js.length).toBeGreaterThan(3); // split: the UI, the cluster client, the probe, …
    for (const f of js) {
      expect(packed).toContain(f);
      expect(packed).toContain(`${f}.map`);
    }
    expect(packed).toContain('dist/THIRD-PARTY-LICENSES.txt');
    expect(packed.filter((f) => f.startsWith('dist/'))).toEqual(dist);
  });

  it('the files the bundle reads: runbooks, the demo cluster, the schema; and README, package.json', () => {
    for (const r of RULES) expect(packed).toContain(`rules/${r.meta.id}.md`);
    const demo = filesUnder('fixtures/demo');
    expect(demo.length).toBeGreaterThan(0);
    for (const f of demo) expect(packed).toContain(f);
    expect(packed).toContain('schema/report.schema.json');
    expect(packed).toContain('README.md');
    expect(packed).toContain('package.json');
    for (const license of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'NOTICE']) {
      if (existsSync(path.join(ROOT, license))) expect(packed).toContain(license);
    }
  });

  it('no tests, other fixtures, benchmarks, sources, build leftovers or tooling', () => {
    const unwanted = packed.filter(
      (f) =>
        /^(test|bench|src|scripts|dist-bench|coverage|node_modules|deploy|\.ci|\.tmp)\//.test(f) ||
        (f.startsWith('fixtures/') && !f.startsWith('fixtures/demo/')) ||
        (f.startsWith('rules/') && !f.endsWith('.md')) ||
        /\.(ts|tsx|mts|cts|tsbuildinfo)$/.test(f) ||
        /(^|\/)(tsconfig[^/]*\.json|vitest\.config\.\w+|eslint\.config\.\w+|package-lock\.json|BENCHMARKS\.md)$/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  it('the bins are executable', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    for (const bin of Object.values(pkg.bin)) {
      const entry = pack.files.find((f) => f.path === bin);
      expect(entry, bin).toBeDefined();
      expect(entry!.mode & 0o111, `${bin} mode ${entry!.mode.toString(8)}`).not.toBe(0);
    }
  });
});

describe('the packed package on its own (no node_modules anywhere above it)', () => {
  const run = (args: string[]) => {
    const bin = path.join(tmp, 'package', 'dist', 'cli.js');
    return spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 60_000 });
  };

  it('nothing to resolve packages from', () => {
    for (let d = path.join(tmp, 'package'); d !== path.dirname(d); d = path.dirname(d)) expect(existsSync(path.join(d, 'node_modules')), d).toBe(false);
  });

  it('--version is package.json\'s', () => {
    const r = run(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('the demo cluster scans (YAML parser, engine, rules, JSON report)', () => {
    const r = run(['--demo', '-o', 'json', '--fail-on', 'never']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { summary: { podsScanned: number }; findings: { rule: string }[] };
    expect(report.summary.podsScanned).toBeGreaterThan(0);
    expect(new Set(report.findings.map((f) => f.rule)).size).toBeGreaterThan(5);
  });

  it('--help lays out its text with the on-demand files (dist/lazy/) alone', () => {
    const r = run(['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^pulldoctor \[pods\.\.\] \[options\]\n/);
    expect(r.stdout).toContain('\nCommands:\n');
  });

  it('explain prints the packed runbook; schema prints the packed schema', () => {
    const id = RULES[0]!.meta.id;
    expect(run(['explain', id]).stdout).toBe(readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8'));
    expect(run(['schema']).stdout).toBe(readFileSync(path.join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
  });
});
