/**
 * The README's "In CI, before deploy" commands, run as a user pastes them, through the BUILT
 * binary, from a checkout's root (a temp dir):
 * - the GitHub Actions workflow: it is valid YAML; its `pulldoctor check` steps, on a `k8s/`
 *   directory with a misplaced pull secret, print annotations on the repository's file and fail
 *   the job (exit 1), and write SARIF 2.1.0 whose locations are repository paths (exit 0);
 * - the generic shell step: `kubectl kustomize overlays/prod > rendered.yaml`, then the checks
 *   with `--context prod` (the API double, as the kubeconfig's context) and `--probe`.
 *   Needs kubectl with kustomize v5; with an older one that part is skipped, with a warning.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Report } from '../src/model/finding.js';
import { startApiServer, writeKubeconfig } from './apiserver/index.js';
import { BASE_ENV, CLI } from './helpers/cli.js';
import { kustomizeVersion } from './helpers/kustomize.js';
import { ROOT } from './helpers/root.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### In CI, before deploy'), readme.indexOf('\n## ', readme.indexOf('### In CI, before deploy')));
const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string);

const work = mkdtempSync(path.join(tmpdir(), 'pulldoctor-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A README command line as argv: words split on blanks, without its redirection and comment. */
function argv(line: string): { args: string[]; out?: string } {
  const words = line.replace(/\s+#.*$/, '').trim().split(/\s+/);
  const i = words.indexOf('>');
  return { args: i < 0 ? words : words.slice(0, i), ...(i < 0 ? {} : { out: words[i + 1] }) };
}

/** `pulldoctor …` as the built binary, in `cwd` (async: the API double answers in this process). */
function pulldoctor(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(BASE_ENV)) if (v === undefined) delete e[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('README "In CI, before deploy": the GitHub Actions workflow', () => {
  it('its pulldoctor steps annotate the repository file and fail the job; the SARIF step writes repository paths and passes', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first (npm test does)`).toBe(true);
    const [workflowText] = blocks('yaml');
    const workflow = parse(workflowText ?? '') as { permissions: Record<string, string>; jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }> };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const runs = steps.flatMap((s) => (s.run?.startsWith('pulldoctor check') ? [s.run] : []));
    expect(runs).toHaveLength(2);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));

    // The repository: its manifests under k8s/ (one of them with a misplaced imagePullSecrets).
    const repo = path.join(work, 'repo');
    cpSync(path.join(ROOT, 'fixtures/check/pull-secret-misplaced/fires'), path.join(repo, 'k8s'), { recursive: true });

    const annotate = argv(runs[0] as string);
    const a = await pulldoctor(annotate.args.slice(1), repo);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(1);
    expect(a.stdout).toMatch(/^::error file=k8s\/workloads\.yaml,line=17,col=11,.*title=pulldoctor pull-secret-misplaced%3A /m);

    const sarif = argv(runs[1] as string);
    expect(sarif.out).toBe(upload?.with?.sarif_file);
    const s = await pulldoctor(sarif.args.slice(1), repo);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const log = JSON.parse(s.stdout) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: 'k8s/workloads.yaml', uriBaseId: '%SRCROOT%' });
  });
});

const kustomize = kustomizeVersion();
if (!kustomize.version) console.warn(`SKIPPED test/readme-check-e2e.test.ts "the generic shell step": ${kustomize.why}`);

describe.skipIf(!kustomize.version)('README "In CI, before deploy": the generic shell step', () => {
  it('renders with kubectl kustomize, checks against --context prod with --probe, writes the JSON report', async () => {
    const [shell] = blocks('sh');
    const lines = (shell ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('set '));
    const render = lines.find((l) => l.startsWith('kubectl kustomize')) as string;
    const checks = lines.filter((l) => l.startsWith('pulldoctor check'));
    expect(checks).toHaveLength(2);
    expect(lines.at(-1)).toBe('kubectl apply -f rendered.yaml'); // (not run: the double is read-only for us)

    // The checkout: the kustomize fixture's overlays and bases.
    const repo = path.join(work, 'shell');
    cpSync(path.join(ROOT, 'fixtures/check/scenarios/kustomize/src'), repo, { recursive: true });
    const r = argv(render);
    const rendered = execFileSync('kubectl', r.args.slice(1), { cwd: repo, encoding: 'utf8' });
    expect(r.out).toBe('rendered.yaml');
    writeFileSync(path.join(repo, 'rendered.yaml'), rendered);

    // The cluster `prod`: payments holds no secret named acme-pull.
    const server = await startApiServer({
      objects: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'payments' } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'storefront' } },
      ],
      tls: true,
    });
    try {
      const kubeconfig = writeKubeconfig({ contexts: [{ name: 'prod', server }, { name: 'staging', server }], currentContext: 'staging' });
      const env = { KUBECONFIG: kubeconfig };
      const text = await pulldoctor(argv(checks[0] as string).args.slice(1), repo, env);
      expect(text.stderr).toBe('');
      expect(text.code).toBe(1); // the error stops the script (set -e) before kubectl apply
      expect(text.stdout).toMatch(/^pulldoctor · manifests rendered\.yaml against context prod /m);
      expect(text.stdout).toContain('pull-secret-not-found  (secret acme-pull)');
      expect(text.stdout).toContain('at: rendered.yaml:77:9 spec.template.spec.imagePullSecrets[0].name');

      const json = argv(checks[1] as string);
      expect(json.out).toBe('pulldoctor-check.json');
      const j = await pulldoctor(json.args.slice(1), repo, env);
      expect(j.stderr).toBe('');
      expect(j.code).toBe(0);
      const report = JSON.parse(j.stdout) as Report;
      expect(report.source).toMatchObject({ kind: 'manifest', context: 'prod' });
      expect(report.findings.map((f) => f.rule)).toContain('pull-secret-not-found');
    } finally {
      await server.close();
    }
  });
});
