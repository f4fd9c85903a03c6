/**
 * The CLI in this process (`main(argv)`): formats, exit codes as main returns them, usage
 * errors, rules/explain, and no secret value in any output. What needs a real process (its exit
 * status, a stdin pipe, TTY and colour detection, --version) is in cli-e2e.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { MANIFEST_RULES, NODE_RULES } from '../rules/index.js';
import { runMain } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';
import { fixtureSecretValues } from './helpers/secrets.js';

const NOW = '2026-11-28T12:00:00Z';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

// Cluster-scan rules only: node rules keep fake node roots there (test/node-rules-fixtures.test.ts).
const ruleIds = readdirSync(path.join(ROOT, 'fixtures')).filter((d) => d !== 'demo' && existsSync(path.join(ROOT, 'fixtures', d, 'fires.yaml')));

describe('pulldoctor CLI (in process)', () => {
  it('--demo -o json: schema-valid report, findings of every rule, exit 1', async () => {
    const r = await runMain(['--demo', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(report.source.kind).toBe('demo');
    const fired = new Set(report.findings.map((f: { rule: string }) => f.rule));
    const rules = (await runMain(['rules'])).stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]);
    expect(rules.length).toBeGreaterThan(20);
    // Node rules run on a node's filesystem (pulldoctor node), manifest rules on manifests (pulldoctor check), not on the demo cluster.
    const nodeRules = new Set<string | undefined>([...NODE_RULES, ...MANIFEST_RULES].map((n) => n.meta.id));
    expect([...rules].filter((id) => !fired.has(id) && !nodeRules.has(id))).toEqual([]);
  });

  it('-o text groups by namespace and workload and ends with runbook hints; no colour when not a terminal', async () => {
    const r = await runMain(['--demo', '-o', 'text']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^pulldoctor · bundled demo cluster/);
    expect(r.stdout).toMatch(/\nnamespace \S+\n {2}✖ error {2}\S+\/\S+/);
    expect(r.stdout).toContain('runbook: pulldoctor explain ');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('colour on a terminal and on request (FORCE_COLOR), never with NO_COLOR or TERM=dumb', async () => {
    const text = ['-f', path.join(ROOT, 'fixtures/pull-secret-not-found/fires.yaml'), '-o', 'text', '--now', NOW];
    expect((await runMain(text, { tty: true })).stdout).toContain('\x1b[31m');
    expect((await runMain(text, { env: { FORCE_COLOR: '1' } })).stdout).toContain('\x1b[31m');
    expect((await runMain(text, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await runMain(text, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await runMain(text, { tty: true, env: { TERM: 'dumb' } })).stdout).not.toContain('\x1b[');
  });

  it('-o markdown is a ticket-ready document', async () => {
    const r = await runMain(['--demo', '-o', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## pulldoctor report\n/);
    expect(r.stdout).toContain('| Severity | Namespace | Workload | Rule | Container |');
    expect(r.stdout).toContain('```sh\n');
  });

  it('--fail-on controls the exit code', async () => {
    expect((await runMain(['--demo', '-o', 'json', '--fail-on', 'never'])).code).toBe(0);
    const quiet = path.join(ROOT, 'fixtures/pull-secret-not-found/quiet.yaml');
    const r = await runMain(['-f', quiet, '-o', 'json', '--now', NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect((await runMain(['-f', quiet, '-o', 'text', '--now', NOW])).stdout).toContain('no image pull problems in 1 pod');
    const fires = path.join(ROOT, 'fixtures/pull-secret-not-found/fires.yaml');
    expect((await runMain(['-f', fires, '-o', 'json', '--now', NOW])).code).toBe(1);
  });

  it('reads a dump from stdin with -f -', async () => {
    const text = readFileSync(path.join(ROOT, 'fixtures/pull-secret-not-found/fires.yaml'), 'utf8');
    const r = await runMain(['-f', '-', '-o', 'json', '--now', NOW], { input: text });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).source.description).toBe('stdin');
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('pull-secret-not-found');
  });

  it.each([
    [['--no-such-flag'], /^pulldoctor: unknown option --no-such-flag \(see: pulldoctor --help\)$/m],
    [['--demo', '--outptu', 'json', '-Z'], /^pulldoctor: unknown options --outptu, -Z /],
    [['-f', 'test/data/bad/broken.yaml'], /^pulldoctor: test\/data\/bad\/broken\.yaml:\d+: invalid YAML/],
    [['-f', 'test/data/bad/binary.yaml'], /^pulldoctor: test\/data\/bad\/binary\.yaml: not a text file/],
    [['-f', 'does-not-exist.yaml'], /^pulldoctor: does-not-exist\.yaml: no such file or directory/],
    [['-f', 'test/data/bad/empty.yaml'], /^pulldoctor: test\/data\/bad\/empty\.yaml: file is empty/],
    [['-f', 'test/data/bad/not-k8s.yaml'], /no Kubernetes objects found/],
    [['--demo', '-f', 'x.yaml'], /--demo and -f cannot be used together/],
    [['--demo', '-o', 'xml'], /Invalid values?:/],
    [['--demo', '--interval', '0'], /^pulldoctor: --interval must be a positive number of seconds$/m],
    [['--demo', '--request-timeout', 'soon'], /^pulldoctor: --request-timeout must be a positive number of seconds$/m],
    [['--demo', '--platform', 'arm64'], /^pulldoctor: --platform: expected os\/arch\[\/variant\] such as linux\/arm64, got "arm64"$/m],
    [['--demo', '--probe', 'some'], /^pulldoctor: --probe: expected "failing" or "all", got "some"$/m],
    [['explain', 'no-such-rule'], /^pulldoctor: unknown rule "no-such-rule"; see: pulldoctor rules/],
  ])('%j → one line on stderr, exit 2, no stack trace', async (args, re) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('rules lists every rule with severity; explain prints the runbook', async () => {
    const rules = await runMain(['rules']);
    expect(rules.code).toBe(0);
    for (const id of ruleIds) expect(rules.stdout).toMatch(new RegExp(`^${id}\\s+(error|warning|info)\\s+\\S`, 'm'));
    const ex = await runMain(['explain', 'pull-secret-not-found']);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/^# pull-secret-not-found\n[\s\S]*## Meaning[\s\S]*## Impact[\s\S]*## Diagnosis[\s\S]*## Mitigation/);
  });

  it('no output format ever contains a secret value from any fixture', async () => {
    const secrets = fixtureSecretValues();
    expect(secrets.length).toBeGreaterThan(10);
    // Each fixture's objects once, as the JSON List `kubectl get -o json` prints, on stdin: the
    // three formats read the same objects without parsing the YAML three times.
    const lists = ruleIds.flatMap((id) =>
      ['fires.yaml', 'quiet.yaml'].map((f) => {
        const docs = parseAllDocuments(readFileSync(path.join(ROOT, 'fixtures', id, f), 'utf8')).map((d) => d.toJS() as { kind?: string; items?: unknown[] } | null);
        const items = docs.flatMap((d) => (d?.kind === 'List' ? (d.items ?? []) : d ? [d] : []));
        return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
      }),
    );
    const outputs: string[] = [];
    for (const fmt of ['json', 'text', 'markdown']) {
      outputs.push((await runMain(['--demo', '-o', fmt])).stdout);
      for (const input of lists) outputs.push((await runMain(['-f', '-', '-o', fmt, '--now', NOW], { input })).stdout);
    }
    expect(outputs).toHaveLength(3 * (1 + 2 * ruleIds.length));
    for (const out of outputs) {
      expect(out.length).toBeGreaterThan(0);
      for (const s of secrets) expect(out.includes(s), `output contains secret value ${s.slice(0, 3)}…`).toBe(false);
    }
    // The fixtures' findings came through: every rule's fires fixture fires in every format.
    const json = outputs.slice(1, 1 + lists.length).map((o) => JSON.parse(o) as { findings: { rule: string }[] });
    ruleIds.forEach((id, i) => expect(json[2 * i]?.findings.map((f) => f.rule), id).toContain(id));
  });

  it('leaves the process as it found it: environment, working directory, streams', async () => {
    const env = { ...process.env };
    const cwd = process.cwd();
    const write = process.stdout.write;
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    await runMain(['-f', '-', '-o', 'text'], { input: 'kind: Pod\n', tty: true, env: { NO_COLOR: '1', PULLDOCTOR_TEST_LEAK: 'x' } });
    await runMain(['--no-such-flag']);
    expect(process.env).toEqual(env);
    expect(process.cwd()).toBe(cwd);
    expect(process.stdout.write).toBe(write);
    expect(Object.getOwnPropertyDescriptor(process, 'stdin')).toEqual(stdin);
    expect(Object.getOwnPropertyDescriptor(process.stdout, 'isTTY')).toEqual(tty);
  });
});
