/**
 * `pulldoctor check` end to end, through the BUILT binary:
 * - against the Kubernetes API double (a live context over HTTPS): the cluster holds some pull
 *   secrets and ServiceAccounts, the manifests others (and one that the manifests redefine:
 *   theirs wins); the findings and their locations, and the request budget — only GETs, by name
 *   for what the manifests name, one `metadata.name` lookup per missing name, two typed lists per
 *   namespace that needs them, and never a pod or an event;
 * - with `--probe` against a real registry (Debian's docker-registry, htpasswd + TLS): the
 *   manifests' own pull secret is what the probe sends; one tag exists, one was never pushed;
 * - a real `kubectl kustomize` render of fixtures/check/scenarios/kustomize/src/overlays/prod
 *   (two namespaces, a generated secret) piped into `check -f -`: the render is byte for byte the
 *   fixture the unit tests read, and the findings sit at their lines of the rendered stream.
 *   Needs kubectl with kustomize v5 (kubectl 1.27+); with an older one it is skipped, with a warning.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/finding.js';
import { startApiServer, writeKubeconfig } from './apiserver/index.js';
import { CLI, runBin, type CliOptions } from './helpers/cli.js';
import { kustomizeVersion } from './helpers/kustomize.js';
import { ROOT } from './helpers/root.js';
import { pushTestImage } from './registry/images.js';
import { makeCa, makeServerCert, tempDir, type Ca } from './registry/pki.js';
import { requireDockerRegistry, requireHtpasswd, requireOpenssl, startRegistry, writeHtpasswd, type RegistryInstance } from './registry/registry.js';

const NOW = '2026-11-28T12:00:00Z';
const NO_HOME: CliOptions = { env: { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' } };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const dockerConfig = (auths: Record<string, { username: string; password: string }>) => b64(JSON.stringify({ auths }));

const work = tempDir('check-e2e');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const secret = (namespace: string, name: string, data: Record<string, string>, type = 'kubernetes.io/dockerconfigjson') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace, uid: randomBytes(8).toString('hex') },
  type,
  data,
});

describe('check --kubeconfig against the API double: cluster secrets + manifest secrets', () => {
  const PW = { acme: `acme-${randomBytes(8).toString('hex')}`, ci: `ci-${randomBytes(8).toString('hex')}`, web: `web-${randomBytes(8).toString('hex')}` };
  const acme = { '.dockerconfigjson': dockerConfig({ 'registry.acme.io': { username: 'acme-robot', password: PW.acme } }) };
  const cluster = [
    secret('shop', 'acme-pull', acme),
    secret('ci', 'ci-pull', { '.dockerconfigjson': dockerConfig({ 'registry.acme.io': { username: 'ci-robot', password: PW.ci } }) }),
    // in the cluster an Opaque leftover; the manifests redefine it properly (theirs wins)
    secret('shop', 'web-pull', { token: b64(PW.web) }, 'Opaque'),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'shop' }, imagePullSecrets: [{ name: 'acme-pull' }] },
    // a busy cluster: pods and events a check never reads
    ...Array.from({ length: 30 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `noise-${i}`, namespace: 'shop', uid: randomBytes(8).toString('hex') },
      spec: { containers: [{ name: 'c', image: 'registry.acme.io/shop/noise:1' }] },
      status: { phase: 'Running' },
    })),
    { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'noise-1', namespace: 'shop' }, reason: 'Pulled', message: 'x' },
  ];
  const deployment = (name: string, image: string, pull?: string[], sa?: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  selector:',
      `    matchLabels: {app: ${name}}`,
      '  template:',
      '    metadata:',
      `      labels: {app: ${name}}`,
      '    spec:',
      ...(sa ? [`      serviceAccountName: ${sa}`] : []),
      ...(pull ? ['      imagePullSecrets:', ...pull.map((p) => `        - name: ${p}`)] : []),
      '      containers:',
      `        - name: ${name}`,
      `          image: ${image}`,
      '',
    ].join('\n');
  const manifests = path.join(work, 'manifests');

  let report: Report;
  let requests: { method: string; path: string; query: Record<string, string> }[];
  let code: number | null;
  let stderr: string;

  beforeAll(async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first (npm test does)`).toBe(true);
    mkdirSync(manifests, { recursive: true });
    writeFileSync(
      path.join(manifests, 'web.yaml'),
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: {name: web-pull}',
        'type: kubernetes.io/dockerconfigjson',
        'data:',
        `  .dockerconfigjson: ${dockerConfig({ 'registry.web.io': { username: 'web-robot', password: PW.web } })}`,
        '---',
        deployment('web', 'registry.web.io/web/site:4.2.0', ['web-pull']),
      ].join('\n'),
    );
    writeFileSync(path.join(manifests, 'cart.yaml'), deployment('cart', 'registry.acme.io/shop/cart:1.4.2', ['acme-pull']));
    writeFileSync(path.join(manifests, 'api.yaml'), deployment('api', 'registry.acme.io/shop/api:2.0.0', ['acme-pul']));
    writeFileSync(path.join(manifests, 'report.yaml'), deployment('report', 'registry.acme.io/shop/report:1.0.0', ['ci-pull']));
    writeFileSync(path.join(manifests, 'builder.yaml'), deployment('builder', 'registry.acme.io/ci/builder:3.0.0', undefined, 'builder'));

    const server = await startApiServer({ objects: cluster, tls: true });
    try {
      const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server, namespace: 'shop' }] });
      const r = await runBin(['check', '-f', manifests, '--kubeconfig', kubeconfig, '-o', 'json', '--now', NOW], NO_HOME);
      code = r.code;
      stderr = r.stderr;
      report = JSON.parse(r.stdout) as Report;
      requests = [...server.requests];
    } finally {
      await server.close();
    }
  });

  it('finds what only the two together show, each at its field; the context is the default namespace', () => {
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.source).toMatchObject({ kind: 'manifest', context: 'double', namespaces: ['shop'] });
    const at = (f: Report['findings'][number]) => `${f.rule} ${f.workload.name} @ ${path.relative(work, f.location?.file ?? '')}:${f.location?.line}:${f.location?.column} ${f.location?.path}`;
    expect(report.findings.map(at)).toEqual([
      'pull-secret-not-found api @ manifests/api.yaml:13:11 spec.template.spec.imagePullSecrets[0].name',
      'pull-secret-not-referenced api @ manifests/api.yaml:12:7 spec.template.spec.imagePullSecrets',
      // acme-pull (in the cluster, namespace shop) serves report's image too: referencing it is the other fix
      'pull-secret-not-referenced report @ manifests/report.yaml:12:7 spec.template.spec.imagePullSecrets',
      'pull-secret-wrong-namespace report @ manifests/report.yaml:13:11 spec.template.spec.imagePullSecrets[0].name',
    ]);
    const [notFound, , , wrongNs] = report.findings;
    // The typo's fix names the secret the cluster has, and the commands name the context.
    expect(notFound?.remediation[0]).toBe(
      `# ${path.join(work, 'manifests/api.yaml')}:13:11 spec.template.spec.imagePullSecrets[0].name — a typo? secret "acme-pull" exists in shop and holds a key for registry.acme.io; name it instead of "acme-pul": name: acme-pull`,
    );
    expect(notFound?.evidence.map((e) => e.detail)).toContain('not in the manifests; not found: the API server answered 404 to GET /api/v1/namespaces/shop/secrets/acme-pul');
    expect(wrongNs?.remediation).toContain(
      `kubectl --context double get secret ci-pull -n ci -o json | jq 'del(.metadata.namespace,.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp,.metadata.managedFields,.metadata.ownerReferences,.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"])' | kubectl --context double create -n shop -f -`,
    );
    // web-pull is an Opaque leftover in the cluster, but the manifests' web-pull is what is applied.
    expect(report.findings.filter((f) => f.secret === 'web-pull')).toEqual([]);
    for (const pw of Object.values(PW)) expect(JSON.stringify(report)).not.toContain(pw);
  });

  it('request budget: GETs by name for what the manifests do not hold, one lookup per missing name, the typed lists of shop; no pod, no event', () => {
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const seen = requests.map((r) => `${r.path}${r.query.fieldSelector ? `?fieldSelector=${r.query.fieldSelector}` : ''}`).sort();
    expect(seen).toEqual(
      [
        // ServiceAccounts the templates run as (admission copies their pull secrets)
        '/api/v1/namespaces/shop/serviceaccounts/builder',
        '/api/v1/namespaces/shop/serviceaccounts/default',
        // the secrets the templates and those ServiceAccounts name (web-pull is in the manifests)
        '/api/v1/namespaces/shop/secrets/acme-pul',
        '/api/v1/namespaces/shop/secrets/acme-pull',
        '/api/v1/namespaces/shop/secrets/ci-pull',
        // is a missing name in another namespace?
        '/api/v1/secrets?fieldSelector=metadata.name=acme-pul',
        '/api/v1/secrets?fieldSelector=metadata.name=ci-pull',
        // shop has templates whose image no listed secret covers: its pull secrets, by type
        '/api/v1/namespaces/shop/secrets?fieldSelector=type=kubernetes.io/dockercfg',
        '/api/v1/namespaces/shop/secrets?fieldSelector=type=kubernetes.io/dockerconfigjson',
      ].sort(),
    );
    expect(requests.some((r) => /\/(pods|events)\b/.test(r.path))).toBe(false);
  });
});

describe('check --probe against a real registry: one tag exists, one was never pushed', () => {
  let ca: Ca;
  let reg: RegistryInstance;
  const password = `alice-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    requireDockerRegistry();
    requireHtpasswd();
    requireOpenssl();
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first (npm test does)`).toBe(true);
    ca = makeCa('pulldoctor-check-e2e-ca', tempDir('check-pki'));
    const htpasswd = writeHtpasswd(ca.dir, { alice: password });
    reg = await startRegistry({ tls: makeServerCert(ca, 'registry'), auth: { htpasswd: { realm: 'pulldoctor-check', path: htpasswd } } });
    await pushTestImage({ base: reg.url, ca: ca.certPem, authorization: () => `Basic ${b64(`alice:${password}`)}` }, 'team/app');
  });
  afterAll(async () => {
    await reg?.stop();
    if (ca) rmSync(ca.dir, { recursive: true, force: true });
  });

  it('the missing tag is an error at its image field; the pushed one passes; the credentials are the manifests\' own', async () => {
    const file = path.join(work, 'probe.yaml');
    const lines = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: team-pull, namespace: team}',
      'type: kubernetes.io/dockerconfigjson',
      'data:',
      `  .dockerconfigjson: ${dockerConfig({ [reg.host]: { username: 'alice', password } })}`,
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: app, namespace: team}',
      'spec:',
      '  selector: {matchLabels: {app: app}}',
      '  template:',
      '    metadata: {labels: {app: app}}',
      '    spec:',
      '      imagePullSecrets: [{name: team-pull}]',
      '      containers:',
      `        - {name: current, image: "${reg.host}/team/app:1.0"}`,
      `        - {name: next, image: "${reg.host}/team/app:2.0"}`,
      '',
    ];
    writeFileSync(file, lines.join('\n'));
    const r = await runBin(['check', '-f', file, '--probe', '--registry-ca', ca.certFile, '-o', 'json', '--now', NOW], { env: { NODE_EXTRA_CA_CERTS: undefined } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => `${f.rule} ${f.severity} ${f.container} @ ${f.location?.line}:${f.location?.column} ${f.location?.path}`)).toEqual([
      'image-not-found error next @ 19:24 spec.template.spec.containers[1].image',
    ]);
    const f = report.findings[0]!;
    expect(f.confidence).toBe('confirmed');
    expect(f.message).toBe(
      `Image "${reg.host}/team/app:2.0" of container next would not pull once deployed: asked with the credentials the kubelet would send (secret "team-pull"), repository ${reg.host}/team/app exists but has no tag "2.0": it was never pushed, or was deleted.`,
    );
    expect(f.remediation).toContain(`# ${file}:19:24 spec.template.spec.containers[1].image — name an image that was pushed: image: '${reg.host}/team/app:<existing-tag>'`);
    const pod = report.pods.find((p) => p.name === 'app');
    expect(pod?.containers.map((c) => `${c.name} ${c.probe?.outcome} ${c.probe?.attempts.map((a) => `${a.credential}/${a.username}`).join(',')}`)).toEqual([
      'current ok team-pull/alice',
      'next tag-not-found team-pull/alice',
    ]);
    expect(r.stdout).not.toContain(password);

    // -o github: the annotation sits on the image line of the missing tag.
    const g = await runBin(['check', '-f', file, '--probe', '--registry-ca', ca.certFile, '-o', 'github', '--now', NOW]);
    // (outside the working directory, so the path stays absolute)
    expect(g.stdout.split('\n')[0]?.startsWith(`::error file=${file},line=19,col=24,endLine=19,`)).toBe(true);
  });

  it('a wrong password, no pull secret at all, a registry nobody answers for: rejected and denied are errors; no answer is a warning, never a pass', async () => {
    const file = path.join(work, 'probe-refused.yaml');
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const pod = (name: string, image: string, pull?: string, namespace = 'team') => [
      'apiVersion: v1',
      'kind: Pod',
      `metadata: {name: ${name}, namespace: ${namespace}}`,
      'spec:',
      ...(pull ? [`  imagePullSecrets: [{name: ${pull}}]`] : []),
      `  containers: [{name: app, image: "${image}"}]`,
    ];
    const lines = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: stale-pull, namespace: team}',
      'type: kubernetes.io/dockerconfigjson',
      'data:',
      `  .dockerconfigjson: ${dockerConfig({ [reg.host]: { username: 'alice', password: wrong } })}`,
      '---',
      ...pod('stale', `${reg.host}/team/app:1.0`, 'stale-pull'),
      '---',
      // a namespace without pull secrets: the kubelet would pull anonymously
      ...pod('anon', `${reg.host}/team/app:1.0`, undefined, 'other'),
      '---',
      // nothing listens on port 9 of the loopback (discard; closed on any test machine)
      ...pod('nowhere', '127.0.0.1:9/team/app:1.0'),
      '',
    ];
    writeFileSync(file, lines.join('\n'));
    const r = await runBin(['check', '-f', file, '--probe', '--registry-ca', ca.certFile, '--insecure-registry', '127.0.0.1:9', '-o', 'json', '--now', NOW], {
      env: { NODE_EXTRA_CA_CERTS: undefined },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const by = (pod: string) => report.findings.filter((f) => f.pod === pod).map((f) => `${f.rule} ${f.severity} ${f.confidence} @ ${f.location?.line}:${f.location?.column} ${f.location?.path}`);
    expect(by('stale')).toEqual(['registry-auth-rejected error confirmed @ 13:28 spec.containers[0].image']);
    expect(by('anon')).toEqual(['registry-access-denied error confirmed @ 19:28 spec.containers[0].image']);
    expect(by('nowhere')).toEqual(['registry-unreachable warning likely @ 25:28 spec.containers[0].image']);
    const [rejected] = report.findings.filter((f) => f.pod === 'stale');
    expect(rejected?.message).toMatch(new RegExp(`^Image "${reg.host}/team/app:1\\.0" of container app would not pull once deployed: registry ${reg.host} rejected the credentials the kubelet would send — secret "stale-pull" \\(username "alice"\\) \\(HTTP 401\\)`));
    // The secret is in the manifests: its fix is that document, at its data key.
    expect(rejected?.remediation[0]).toBe(`# ${file}:6:3 Secret stale-pull data[".dockerconfigjson"] — put credentials the registry accepts in it: the next command prints the Secret; replace the document with it (keep the password out of the repository)`);
    expect(rejected?.remediation[1]).toBe(`kubectl create secret docker-registry stale-pull -n team --docker-server=${reg.host} --docker-username=alice --docker-password='<password>' --dry-run=client -o yaml`);
    const [denied] = report.findings.filter((f) => f.pod === 'anon');
    expect(denied?.message).toContain('so the kubelet would pull anonymously, and the registry refused an anonymous pull (HTTP 401)');
    expect(denied?.remediation.slice(1)).toEqual([
      `kubectl create secret docker-registry '<secret-name>' -n other --docker-server=${reg.host} --docker-username='<username>' --docker-password='<password>' --dry-run=client -o yaml`,
      `# ${file}:18:1 spec.imagePullSecrets — and name it in the pod spec, beside containers: imagePullSecrets: [{name: "<secret-name>"}]`,
    ]);
    const [unreached] = report.findings.filter((f) => f.pod === 'nowhere');
    expect(unreached?.message).toContain('Whether the image exists and the credentials work was not verified.');
    expect(r.stdout).not.toContain(wrong);
    expect(r.stdout).not.toContain(password);

    // The same stale secret in the cluster instead: its fix rewrites it there, never with kubectl apply.
    const api = await startApiServer({ objects: [secret('team', 'stale-pull', { '.dockerconfigjson': dockerConfig({ [reg.host]: { username: 'alice', password: wrong } }) })], tls: true });
    try {
      const onlyPod = path.join(work, 'probe-cluster-secret.yaml');
      writeFileSync(onlyPod, pod('stale', `${reg.host}/team/app:1.0`, 'stale-pull').join('\n') + '\n');
      const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server: api }] });
      const c = await runBin(['check', '-f', onlyPod, '--kubeconfig', kubeconfig, '--context', 'double', '--probe', '--registry-ca', ca.certFile, '-o', 'json', '--now', NOW], {
        env: { ...NO_HOME.env, NODE_EXTRA_CA_CERTS: undefined },
      });
      expect(c.stderr).toBe('');
      expect(c.code).toBe(1);
      const f = (JSON.parse(c.stdout) as Report).findings;
      expect(f.map((x) => x.rule)).toEqual(['registry-auth-rejected']);
      expect(f[0]?.remediation).toEqual([
        '# the Secret is in the cluster: replace its credentials before applying the manifests',
        `kubectl --context double create secret docker-registry stale-pull -n team --docker-server=${reg.host} --docker-username=alice --docker-password='<password>' --dry-run=client -o yaml | kubectl --context double replace -n team -f -`,
      ]);
      expect(c.stdout).not.toContain(wrong);
    } finally {
      await api.close();
    }

    // Only the unanswered probe: warnings, exit 0 with --fail-on error, 1 with --fail-on warning.
    const only = path.join(work, 'probe-nowhere.yaml');
    writeFileSync(only, pod('nowhere', '127.0.0.1:9/team/app:1.0').join('\n') + '\n');
    const w = await runBin(['check', '-f', only, '--probe', '--insecure-registry', '127.0.0.1:9', '--now', NOW]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^0 errors, 1 warning, 0 info in 1 workload/m);
    expect((await runBin(['check', '-f', only, '--probe', '--insecure-registry', '127.0.0.1:9', '--fail-on', 'warning', '--now', NOW])).code).toBe(1);
  });
});

const KUSTOMIZE_DIR = path.join(ROOT, 'fixtures/check/scenarios/kustomize');
const kustomize = kustomizeVersion();
if (!kustomize.version) console.warn(`SKIPPED test/check-e2e.test.ts "kubectl kustomize | pulldoctor check -f -": ${kustomize.why}`);

describe.skipIf(!kustomize.version)('kubectl kustomize | pulldoctor check -f - (a real render)', () => {
  it('the render is the fixture; the findings sit at their lines of the stream, against a dump of payments', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first (npm test does)`).toBe(true);
    const rendered = execFileSync('kubectl', ['kustomize', path.join(KUSTOMIZE_DIR, 'src/overlays/prod')], { encoding: 'utf8', timeout: 60_000 });
    // The unit tests read this render as a file (test/check.test.ts): it is what kustomize prints.
    expect(rendered).toBe(readFileSync(path.join(KUSTOMIZE_DIR, 'prod.yaml'), 'utf8'));
    const r = await runBin(['check', '-f', '-', '--against', path.join(KUSTOMIZE_DIR, 'cluster.yaml'), '-o', 'json', '--now', NOW], { input: rendered });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.source.namespaces).toEqual(['payments', 'storefront']);
    expect(report.skipped).toEqual({ Namespace: 2, Service: 1 });
    // kustomize renamed the generated secret (prefix + hash) and the reference in its own
    // namespace; the payments Deployment still names "acme-pull", which payments does not hold.
    expect(report.findings.map((f) => `${f.rule} ${f.namespace}/${f.workload.name} ${f.secret ?? f.container} @ ${f.location?.file}:${f.location?.line}:${f.location?.column} ${f.location?.path}`)).toEqual([
      'pull-secret-not-found payments/prod-ledger acme-pull @ stdin:77:9 spec.template.spec.imagePullSecrets[0].name',
      'image-tag-mutable storefront/prod-web edge-proxy @ stdin:105:9 spec.template.spec.containers[1].image',
    ]);
    const pod = report.pods.find((p) => p.name === 'prod-web');
    expect(pod?.imagePullSecrets).toEqual([{ name: expect.stringMatching(/^prod-acme-pull-[a-z0-9]{10}$/) as unknown as string, status: 'found' }]);
    expect(r.stdout).not.toContain('St0re-Ci-Pa55wd');
  });
});

describe('check --kubeconfig where reading secrets is forbidden (as p2-complete treats unreadable pods in a scan)', () => {
  it('the check is incomplete (exit 2, whatever --fail-on): the refused reads with their kubectl auth can-i line; a secret it could not read is never called missing', async () => {
    const server = await startApiServer({
      objects: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } }],
      tls: true,
      user: 'system:serviceaccount:ci:deployer',
      faults: [{ resource: 'secrets', status: 403 }],
    });
    try {
      const file = path.join(work, 'forbidden.yaml');
      writeFileSync(
        file,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: cart, namespace: shop}\nspec:\n  imagePullSecrets: [{name: acme-pull}]\n  containers: [{name: cart, image: "registry.acme.io/shop/cart:1.4.2"}]\n',
      );
      const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server }] });
      const r = await runBin(['check', '-f', file, '--kubeconfig', kubeconfig, '-o', 'json', '--now', NOW], NO_HOME);
      // Incomplete: the secret the template names could not be read. Exit 2, even with nothing found.
      expect(r.code).toBe(2);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.summary.complete).toBe(false);
      expect(report.summary.skipped.map((e) => `${e.kind} ${e.namespace}/${e.name ?? '*'} ${e.status} ${e.check}`)).toEqual([
        'Secret shop/acme-pull 403 kubectl auth can-i get secrets -n shop',
        'Secret shop/* 403 kubectl auth can-i list secrets -n shop',
      ]);
      expect(report.findings).toEqual([]); // unknown, never "not found"
      expect(r.stderr).toBe(
        'pulldoctor: Secret shop/acme-pull could not be read (get forbidden (403): secrets "acme-pull" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "secrets" in API group "" in the namespace "shop"); the result does not cover them; check: kubectl auth can-i get secrets -n shop\n',
      );
      const t = await runBin(['check', '-f', file, '--kubeconfig', kubeconfig, '--fail-on', 'never', '--now', NOW], NO_HOME);
      expect(t.code).toBe(2);
      expect(t.stdout).toContain('INCOMPLETE: nothing found in the 1 pod template; not covered: Secret shop/acme-pull (forbidden)');
      expect(t.stdout).not.toContain('no image pull problems');
      const g = await runBin(['check', '-f', file, '--kubeconfig', kubeconfig, '-o', 'github', '--now', NOW], NO_HOME);
      expect(g.code).toBe(2);
      expect(g.stdout).toMatch(/^::warning title=pulldoctor%3A access problem::get secrets in shop: 403 /m);
      expect(g.stdout.trimEnd().split('\n').at(-1)).toBe('pulldoctor: INCOMPLETE: nothing found in the 1 pod template; not covered: Secret shop/acme-pull (forbidden)');
    } finally {
      await server.close();
    }
  });
});
