/**
 * `pulldoctor check` in process: a Helm-rendered multi-document file (`# Source:` comments, no
 * namespaces: `-n`) and a `kustomize build` output (name prefixes, generator hashes, labels, two
 * namespaces) with every finding's location asserted exactly; bad input as one line with file and
 * line and exit 2; namespaces; stdin; and the output formats — JSON valid against the report
 * schema, SARIF valid against the published SARIF 2.1.0 schema (vendored, test/data/sarif), GitHub
 * annotations with GitHub's escaping.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../src/model/finding.js';
import { annotation, escapeData, escapeProperty } from '../src/report/github.js';
import { runMain } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';
import { fixtureSecretValues } from './helpers/secrets.js';

const NOW = '2026-11-28T12:00:00Z';
const HELM = 'fixtures/check/scenarios/helm/shop.yaml';
const KUSTOMIZE = 'fixtures/check/scenarios/kustomize/prod.yaml';
const KUSTOMIZE_CLUSTER = 'fixtures/check/scenarios/kustomize/cluster.yaml';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateReport = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

const SARIF_SCHEMA = path.join(ROOT, 'test/data/sarif/sarif-2.1.0-rtm.5.json');
// The schema's patterns are ECMAScript without the u flag (one has a lone `]`): compile them that way.
const sarifAjv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(sarifAjv);
const validateSarif = sarifAjv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));

async function json(args: string[]): Promise<{ code: number | null; report: Report }> {
  const r = await runMain(['check', ...args, '-o', 'json', '--now', NOW]);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(validateReport(report), JSON.stringify(validateReport.errors, null, 1)).toBe(true);
  return { code: r.code, report };
}

/** `rule container/secret @ file:line:column path` for each finding, in report order. */
const where = (f: Finding) =>
  `${f.rule} ${f.workload.kind}/${f.workload.name}${f.container ? ` ${f.container}` : ''} @ ${f.location?.file}:${f.location?.line}:${f.location?.column} ${f.location?.path}`;

const tmp = mkdtempSync(path.join(tmpdir(), 'pulldoctor-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('a Helm-rendered chart (helm template shop ./chart), -n shop', () => {
  it('finds the re-keyed registry, the mutable tag with IfNotPresent and the misplaced list, each at its field', async () => {
    const { code, report } = await json(['-f', HELM, '-n', 'shop']);
    expect(code).toBe(1);
    expect(report.source).toMatchObject({ kind: 'manifest', namespaces: ['shop'] });
    expect(report.summary).toMatchObject({ podsScanned: 2, findings: { error: 2, warning: 1, info: 0 } });
    expect(report.skipped).toEqual({ ConfigMap: 1, Service: 1 });
    expect(report.findings.map(where)).toEqual([
      `registry-credentials-mismatch Deployment/shop-api api @ ${HELM}:102:11 spec.template.spec.containers[0].image`,
      `pull-secret-misplaced CronJob/shop-cleanup @ ${HELM}:137:15 spec.jobTemplate.spec.template.spec.containers[0].imagePullSecrets`,
      `image-pull-policy-mutable-tag Deployment/shop-api metrics @ ${HELM}:113:11 spec.template.spec.containers[1].imagePullPolicy`,
    ]);
    const [mismatch, misplaced] = report.findings;
    // The pod template lists no pull secrets: admission gives it ServiceAccount shop's, whose
    // secret (in the chart) keys "https://registry.acme.io/v1" — a path, not the registry.
    expect(mismatch).toMatchObject({ namespace: 'shop', secret: 'shop-registry', severity: 'error' });
    expect(mismatch?.location).toEqual({
      file: HELM,
      line: 102,
      column: 11,
      endLine: 102,
      endColumn: 51,
      path: 'spec.template.spec.containers[0].image',
      object: { kind: 'Deployment', namespace: 'shop', name: 'shop-api' },
      template: 'shop/templates/deployment.yaml',
    });
    expect(mismatch?.remediation[0]).toBe(
      `# ${HELM}:31:3 Secret shop-registry data[".dockerconfigjson"] — re-key the credentials as "registry.acme.io": the next command prints the Secret; replace the document with it (keep the password out of the repository)`,
    );
    expect(misplaced?.location?.template).toBe('shop/templates/cronjob-cleanup.yaml');
    expect(misplaced?.remediation).toContain(
      `# ${HELM}:132:9 spec.jobTemplate.spec.template.spec.imagePullSecrets — and write it in the pod spec, beside containers: imagePullSecrets: [{name: shop-registry}]`,
    );
  });

  it('without -n the objects land in default (a check alone has no context)', async () => {
    const { report } = await json(['-f', HELM]);
    expect(new Set(report.findings.map((f) => f.namespace))).toEqual(new Set(['default']));
  });
});

describe('kustomize build output (kubectl kustomize src/overlays/prod): prefixes, a generated secret, two namespaces', () => {
  it('against a dump: kustomize renamed the generated secret in storefront only; the payments Deployment still names "acme-pull"', async () => {
    const { code, report } = await json(['-f', KUSTOMIZE, '--against', KUSTOMIZE_CLUSTER]);
    expect(code).toBe(1);
    expect(report.source.namespaces).toEqual(['payments', 'storefront']);
    expect(report.findings.map(where)).toEqual([
      `pull-secret-not-found Deployment/prod-ledger @ ${KUSTOMIZE}:77:9 spec.template.spec.imagePullSecrets[0].name`,
      `image-tag-mutable Deployment/prod-web edge-proxy @ ${KUSTOMIZE}:105:9 spec.template.spec.containers[1].image`,
    ]);
    const missing = report.findings[0];
    expect(missing).toMatchObject({ namespace: 'payments', secret: 'acme-pull', severity: 'error' });
    expect(missing?.evidence.map((e) => e.detail)).toContain('not in the manifests; not found: the input holds Secrets, but none named "acme-pull" in namespace payments');
    expect(missing?.remediation.at(-1)).toBe(`# ${KUSTOMIZE}:77:9 spec.template.spec.imagePullSecrets[0].name — and name the right one: name: '<secret-name>'`);
    // storefront's reference was rewritten to the generated name, which the set holds: no finding there.
    expect(report.findings.filter((f) => f.namespace === 'storefront').map((f) => f.rule)).toEqual(['image-tag-mutable']);
  });

  it('the secret is in the manifest set, but in another namespace: the fix is a copy of its document', async () => {
    const config = Buffer.from(JSON.stringify({ auths: { 'registry.acme.io': { username: 'ci', password: 'Ci-Pa55-wrong-ns' } } })).toString('base64');
    const f = write(
      'wrong-ns.yaml',
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: {name: acme-pull, namespace: storefront}',
        'type: kubernetes.io/dockerconfigjson',
        `data: {.dockerconfigjson: ${config}}`,
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: ledger, namespace: payments}',
        'spec:',
        '  imagePullSecrets: [{name: acme-pull}]',
        '  containers: [{name: ledger, image: "registry.acme.io/payments/ledger:3.1.0"}]',
        '',
      ].join('\n'),
    );
    const { code, report } = await json(['-f', f, '--against', KUSTOMIZE_CLUSTER]);
    expect(code).toBe(1);
    expect(report.findings.map(where)).toEqual([`pull-secret-wrong-namespace Pod/ledger @ ${f}:11:23 spec.imagePullSecrets[0].name`]);
    expect(report.findings[0]?.remediation[0]).toBe(`# ${f}:3:29 — the manifests hold Secret storefront/acme-pull: add a copy of that document with metadata.namespace: payments`);
    expect(JSON.stringify(report)).not.toContain('Ci-Pa55-wrong-ns');
  });

  it('the manifests alone: a secret that is not in the set is unknown, never missing', async () => {
    const { code, report } = await json(['-f', KUSTOMIZE]);
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.rule)).toEqual(['image-tag-mutable']);
  });
});

describe('input', () => {
  it('files, directories and - (stdin) together; the same object twice: the last one wins', async () => {
    const pod = (name: string, container: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x}\nspec:\n  containers: [${container}]\n`;
    const a = write('a.yaml', pod('p', '{name: c, image: "nginx:latest", imagePullPolicy: IfNotPresent}'));
    const one = await json(['-f', a]);
    expect(one.report.findings.map(where)).toEqual([`image-pull-policy-mutable-tag Pod/p c @ ${a}:5:49 spec.containers[0].imagePullPolicy`]);
    const dir = path.join(tmp, 'dir');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'r.yaml'), pod('r', '{name: c, image: "nginx:latest"}'));
    writeFileSync(path.join(dir, 's.yml'), pod('p', '{name: c, image: "nginx:1.27.3", imagePullPolicy: IfNotPresent}')); // p again, fixed
    writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
    const r = await runMain(['check', '-f', a, '-f', dir, '-f', '-', '-o', 'json'], {
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: x}\nspec:\n  containers:\n    - name: c\n      image: nginx\n',
    });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.source.description).toBe(`manifests ${a}, ${path.join(dir, 'r.yaml')}, ${path.join(dir, 's.yml')}, stdin`);
    expect(report.summary.podsScanned).toBe(3);
    expect(report.findings.map(where)).toEqual([
      `image-tag-mutable Pod/q c @ stdin:7:7 spec.containers[0].image`,
      `image-tag-mutable Pod/r c @ ${path.join(dir, 'r.yaml')}:5:26 spec.containers[0].image`,
    ]);
  });

  it.each([
    ['invalid YAML', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n    labels: x\nspec: {}\n', /^pulldoctor: .*bad\.yaml:4: invalid YAML: Nested mappings are not allowed in compact mappings\n$/],
    ['a document that is not an object', 'apiVersion: v1\nkind: Pod\n---\n- a\n- b\n', /^pulldoctor: .*bad\.yaml:4: not a Kubernetes object/],
    ['an object without kind', '# values.yaml by mistake\nimage:\n  tag: 1.0\n', /^pulldoctor: .*bad\.yaml:2: not a Kubernetes object: no "kind"/],
    ['invalid JSON', '{"kind": "Pod",\n "metadata": {"name": "p"}\n', /^pulldoctor: .*bad\.yaml:\d+: invalid YAML: /],
    ['an empty file', '\n\n', /^pulldoctor: .*bad\.yaml: file is empty\n$/],
    ['a Deployment without a pod template', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n', /^pulldoctor: .*bad\.yaml:5: Deployment web has no pod spec \(spec\.template\.spec\): not a valid Deployment/],
    ['a CronJob whose containers are not a list', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tidy}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: tidy\n', /^pulldoctor: .*bad\.yaml:1: CronJob tidy has no containers \(spec\.jobTemplate\.spec\.template\.spec\.containers is not a non-empty list\)/],
    ['an unrendered Helm template', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  {{- include "pod" . | nindent 2 }}\n', /^pulldoctor: .*bad\.yaml:6: invalid YAML: .*\(it holds \{\{ … \}\}: a Helm template\? render it first: helm template RELEASE CHART \| pulldoctor check -f -\)\n$/],
  ])('%s: one line naming the file and line, exit 2', async (_what, text, line) => {
    const f = write('bad.yaml', text);
    const r = await runMain(['check', '-f', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  });

  it('-o github: bad input is also an error annotation on its file and line; stdin or a message without a file gets none', async () => {
    const f = write('bad-gh.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n    labels: x\n');
    const r = await runMain(['check', '-f', f, '-o', 'github']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`::error file=${f},line=4,title=pulldoctor%3A bad input::invalid YAML: Nested mappings are not allowed in compact mappings\n`);
    expect(r.stderr).toBe(`pulldoctor: ${f}:4: invalid YAML: Nested mappings are not allowed in compact mappings\n`);
    const s = await runMain(['check', '-f', '-', '-o', 'github'], { input: 'kind: Pod\n' });
    expect(s.code).toBe(2);
    expect(s.stdout).toBe('');
    const n = await runMain(['check', '-f', path.join(tmp, 'nope.yaml'), '-o', 'github']);
    expect(n.code).toBe(2);
    expect(n.stdout).toBe('');
  });

  it('a kustomization or a Helm chart instead of manifests: one line saying how to render it, exit 2', async () => {
    const kz = path.join(tmp, 'overlay');
    mkdirSync(kz, { recursive: true });
    writeFileSync(path.join(kz, 'kustomization.yaml'), 'resources: [deployment.yaml]\nnamespace: shop\n');
    writeFileSync(path.join(kz, 'deployment.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "nginx:1.27.3"}]\n');
    const k = await runMain(['check', '-f', kz]);
    expect(k.code).toBe(2);
    expect(k.stdout).toBe('');
    expect(k.stderr).toBe(`pulldoctor: ${kz}/kustomization.yaml: a kustomization, not manifests: render it first: kubectl kustomize ${kz} | pulldoctor check -f -\n`);
    const chart = path.join(tmp, 'my chart');
    mkdirSync(path.join(chart, 'templates'), { recursive: true });
    writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.4.1\n');
    const h = await runMain(['check', '-f', chart]);
    expect(h.code).toBe(2);
    expect(h.stderr).toBe(`pulldoctor: ${chart}/Chart.yaml: a Helm chart, not manifests: render it first: helm template RELEASE '${chart}' | pulldoctor check -f -\n`);
  });

  it('a directory tree: manifests in subdirectories are read; a subdirectory with none (docs) is no error', async () => {
    const tree = path.join(tmp, 'tree');
    mkdirSync(path.join(tree, 'apps/web'), { recursive: true });
    mkdirSync(path.join(tree, 'docs'), { recursive: true });
    writeFileSync(path.join(tree, 'docs/README.md'), '# how we deploy\n');
    writeFileSync(path.join(tree, 'apps/web/pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: x}\nspec:\n  containers: [{name: c, image: "nginx"}]\n');
    const { code, report } = await json(['-f', tree]);
    expect(code).toBe(0);
    expect(report.findings.map(where)).toEqual([`image-tag-mutable Pod/web c @ ${path.join(tree, 'apps/web/pod.yaml')}:5:26 spec.containers[0].image`]);
  });

  it('a missing file, no -f, --against with --context: one line, exit 2', async () => {
    expect((await runMain(['check', '-f', path.join(tmp, 'nope.yaml')])).stderr).toMatch(/nope\.yaml: no such file or directory/);
    const none = await runMain(['check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/check needs manifests: -f/);
    const both = await runMain(['check', '-f', HELM, '--against', KUSTOMIZE_CLUSTER, '--context', 'x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--against and --context/);
  });

  it("the manifest's namespace wins over -n", async () => {
    const { report } = await json(['-f', 'fixtures/check/image-tag-mutable/fires', '-n', 'elsewhere']);
    expect(new Set(report.findings.map((f) => f.namespace))).toEqual(new Set(['platform']));
  });
});

describe('output formats', () => {
  const secrets = fixtureSecretValues();

  it('the vendored SARIF schema is the published one, unchanged', () => {
    expect(createHash('sha256').update(readFileSync(SARIF_SCHEMA)).digest('hex')).toBe('2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8');
  });

  it('-o sarif: valid SARIF 2.1.0; rules carry their runbook and helpUri; results their region and level', async () => {
    const r = await runMain(['check', '-f', HELM, '-n', 'shop', '-o', 'sarif', '--now', NOW]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 5), null, 1)).toBe(true);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    const rules = run.tool.driver.rules as { id: string; helpUri: string; help: { markdown: string }; defaultConfiguration: { level: string } }[];
    const misplacedRule = rules.find((x) => x.id === 'pull-secret-misplaced');
    expect(misplacedRule?.helpUri).toBe('https://github.com/pulldoctor/pulldoctor/blob/main/rules/pull-secret-misplaced.md');
    expect(misplacedRule?.help.markdown).toBe(readFileSync(path.join(ROOT, 'rules/pull-secret-misplaced.md'), 'utf8'));
    expect(rules.find((x) => x.id === 'image-tag-mutable')?.defaultConfiguration.level).toBe('note');
    expect(run.results.map((x: { ruleId: string; level: string }) => `${x.ruleId} ${x.level}`)).toEqual([
      'registry-credentials-mismatch error',
      'pull-secret-misplaced error',
      'image-pull-policy-mutable-tag warning',
    ]);
    const first = run.results[0];
    expect(rules[first.ruleIndex]?.id).toBe(first.ruleId);
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: HELM, uriBaseId: '%SRCROOT%' },
      region: { startLine: 102, startColumn: 11, endLine: 102, endColumn: 51 },
    });
    expect(first.locations[0].logicalLocations[0].fullyQualifiedName).toBe('shop/Deployment/shop-api');
    expect(first.partialFingerprints['pulldoctorFinding/v1']).toMatch(/^[0-9a-f]{12}$/);
    for (const s of secrets) expect(r.stdout.includes(s)).toBe(false);
  });

  it('--against a dump whose Secret is malformed: incomplete, exit 2 whatever --fail-on; SARIF carries the gap as a tool notification, and stays valid', async () => {
    const pod = write('incomplete-cart.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: cart, namespace: shop}\nspec:\n  imagePullSecrets: [{name: acme-pull}]\n  containers: [{name: cart, image: "registry.acme.io/shop/cart:1.4.2"}]\n');
    const dump = write('incomplete-dump.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: acme-pull, namespace: shop}\n  type: kubernetes.io/dockerconfigjson\n  data: [1, 2]\n');
    const t = await runMain(['check', '-f', pod, '--against', dump, '--fail-on', 'never', '--now', NOW]);
    expect(t.code).toBe(2);
    expect(t.stdout).toContain('INCOMPLETE: nothing found in the 1 pod template; not covered: Secret shop/acme-pull (malformed)');
    expect(t.stdout).toContain(`✖ Secret shop/acme-pull (${dump}:4): data: must be object`);
    expect(t.stderr).toBe(`pulldoctor: skipped 1 malformed object (1 Secret) at ${dump}:4; the report lists each with its reason\n`);
    const s = await runMain(['check', '-f', pod, '--against', dump, '-o', 'sarif', '--now', NOW]);
    expect(s.code).toBe(2);
    const log = JSON.parse(s.stdout) as Sarif.Log;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 5), null, 1)).toBe(true);
    expect(log.runs[0]?.invocations?.[0]?.toolExecutionNotifications).toEqual([{ level: 'error', message: { text: `Secret shop/acme-pull (${dump}:4): data: must be object` } }]);
  });

  it('-o github: one annotation per finding at its field, then the summary', async () => {
    const r = await runMain(['check', '-f', HELM, '-n', 'shop', '-o', 'github', '--now', NOW]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^::error file=fixtures\/check\/scenarios\/helm\/shop\.yaml,line=102,col=11,endLine=102,endColumn=51,title=pulldoctor registry-credentials-mismatch%3A No pull-secret key matches the image registry::No registry key /,
    );
    expect(lines[1]).toMatch(/^::error file=fixtures\/check\/scenarios\/helm\/shop\.yaml,line=137,col=15,/);
    expect(lines[2]).toMatch(/^::warning file=fixtures\/check\/scenarios\/helm\/shop\.yaml,line=113,col=11,/);
    expect(lines[0]).toContain('%0AFix:%0A  # fixtures/check/scenarios/helm/shop.yaml:31:3 Secret shop-registry');
    expect(lines[3]).toBe('pulldoctor: 2 errors, 1 warning, 0 info in 2 workloads (2 pod templates checked)');
    for (const s of secrets) expect(r.stdout.includes(s)).toBe(false);
  });

  it("GitHub's escaping: % CR LF in data; also : and , in properties; nothing from a manifest starts a command", () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const f = {
      id: '0123456789ab',
      rule: 'image-tag-mutable',
      title: 'Image is named by a mutable tag without a digest',
      severity: 'info',
      confidence: 'confirmed',
      namespace: 'x',
      pod: 'p',
      pods: ['p'],
      workload: { kind: 'Pod', name: 'p' },
      message: 'evil\n::error::injected \x1b[31mred',
      evidence: [],
      remediation: [],
      unverified: [],
      related: [],
      runbook: 'rules/image-tag-mutable.md',
      location: { file: 'dir,1/a:b.yaml', line: 3, column: 5, endLine: 3, endColumn: 9, path: 'spec', object: { kind: 'Pod', namespace: 'x', name: 'p' } },
    } satisfies Finding;
    const a = annotation(f, '/repo');
    expect(a.split('\n')).toHaveLength(1);
    expect(a).toMatch(/^::notice file=dir%2C1\/a%3Ab\.yaml,line=3,col=5,endLine=3,endColumn=9,title=pulldoctor image-tag-mutable%3A Image is named by a mutable tag without a digest::evil%0A::error::injected red /);
  });

  it('-o text and -o markdown name the place of each finding', async () => {
    const text = await runMain(['check', '-f', HELM, '-n', 'shop', '-o', 'text', '--now', NOW]);
    expect(text.stdout).toContain(`at: ${HELM}:137:15 spec.jobTemplate.spec.template.spec.containers[0].imagePullSecrets (rendered from shop/templates/cronjob-cleanup.yaml)`);
    expect(text.stdout).toMatch(/^2 errors, 1 warning, 0 info in 2 workloads \(2 pod templates checked\)$/m);
    const md = await runMain(['check', '-f', HELM, '-n', 'shop', '-o', 'markdown', '--now', NOW]);
    expect(md.stdout).toContain(`- **At:** \`${HELM}:102:11 spec.template.spec.containers[0].image (rendered from shop/templates/deployment.yaml)\``);
    // A check's findings name the pod templates (workloads) they affect: no pod exists yet.
    expect(md.stdout).toMatch(/^- \*\*Pod templates:\*\* `/m);
    expect(md.stdout).not.toContain('**Pods:**');
  });
});
