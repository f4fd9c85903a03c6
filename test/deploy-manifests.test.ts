/**
 * The manifests in deploy/ as shipped: each valid against its kind's schema (no unknown
 * fields), read-only RBAC, hardened pods, the image parameterised in one place per overlay,
 * and the serve Deployment, Service, ServiceMonitor and alerts wired to each other.
 * test/deploy-e2e.test.ts renders the overlays with the real kustomize (kubectl kustomize)
 * and runs promtool on the alerts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestProblems, readManifests, validateObject, yamlFiles, type K8sObject, type Located } from './helpers/manifests.js';
import { ROOT } from './helpers/root.js';

const DEPLOY = path.join(ROOT, 'deploy');
const rel = (file: string) => path.relative(ROOT, file);
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const IMAGE = 'ghcr.io/pulldoctor/pulldoctor';

const isKustomization = (file: string) => path.basename(file) === 'kustomization.yaml';
const isKrew = (file: string) => rel(file).startsWith(path.join('deploy', 'krew'));
/** Prometheus rule files and their promtool tests (not Kubernetes objects; promtool checks them). */
const isPrometheusRules = (file: string) => rel(file).startsWith(path.join('deploy', 'prometheus') + path.sep);
const manifestFiles = yamlFiles(DEPLOY).filter((f) => !isKustomization(f) && !isKrew(f) && !isPrometheusRules(f));
const kustomizations = yamlFiles(DEPLOY).filter(isKustomization);
const all: Located[] = manifestFiles.flatMap((f) => readManifests(f).map((l) => ({ ...l, file: rel(f) })));

function find(kind: string, name: string): K8sObject {
  const hit = all.find((l) => l.object.kind === kind && l.object.metadata.name === name);
  if (!hit) throw new Error(`no ${kind}/${name} in deploy/`);
  return hit.object;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
type Any = any;

describe('every manifest in deploy/', () => {
  it('is found: the serve, cronjob, base, secrets and prometheus-operator manifests', () => {
    expect(manifestFiles.map(rel).sort()).toEqual(
      [
        'deploy/base/rbac.yaml',
        'deploy/cronjob/cronjob.yaml',
        'deploy/prometheus-operator/prometheusrule.yaml',
        'deploy/prometheus-operator/servicemonitor.yaml',
        'deploy/secrets/rbac.yaml',
        'deploy/serve/deployment.yaml',
        'deploy/serve/service.yaml',
      ].map((f) => path.normalize(f)),
    );
    for (const f of manifestFiles) expect(readManifests(f).length, rel(f)).toBeGreaterThan(0);
  });

  it('is valid against its kind schema, with no unknown field', () => {
    expect(manifestProblems(all)).toEqual([]);
  });

  it('fails the validator when it should (a typo, a wrong type, a kind without a schema)', () => {
    const deployment = structuredClone(find('Deployment', 'pulldoctor')) as Any;
    deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem = true;
    expect(validateObject(deployment)).toEqual(['unknown field .spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem']);
    const cron = structuredClone(find('CronJob', 'pulldoctor')) as Any;
    cron.spec.schedule = 30;
    expect(validateObject(cron).join('\n')).toMatch(/schedule must be string/);
    const rule = structuredClone(find('PrometheusRule', 'pulldoctor')) as Any;
    rule.spec.groups[0].rules[0].for = 'five minutes';
    expect(validateObject(rule).join('\n')).toMatch(/for must match pattern/);
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'no schema for example.com/v1/Widget: add its model to test/helpers/manifests.ts',
    ]);
  });

  it('names the released image, tagged with package.json version, and never a placeholder', () => {
    const text = manifestFiles.concat(kustomizations).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(text).not.toMatch(/OWNER|REPLACE|CHANGEME|example\.com\/pulldoctor:(?!\d)/);
    const images = all.flatMap(({ object }) => podSpec(object)?.containers.map((c: Any) => c.image as string) ?? []);
    expect(images.length).toBe(2);
    for (const image of images) expect(image).toBe(`${IMAGE}:${VERSION}`);
  });
});

describe('RBAC (checked without kustomize)', () => {
  const roles = all.filter((l) => l.object.kind === 'ClusterRole' || l.object.kind === 'Role').map((l) => l.object as Any);

  it('grants only get, list and watch, on named core resources, without wildcards', () => {
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      expect(role.aggregationRule, role.metadata.name).toBeUndefined();
      for (const rule of role.rules) {
        expect(rule.apiGroups, role.metadata.name).toEqual(['']);
        expect(rule.nonResourceURLs, role.metadata.name).toBeUndefined();
        for (const verb of rule.verbs) expect(['get', 'list', 'watch'], `${role.metadata.name}: verb ${verb}`).toContain(verb);
        for (const resource of rule.resources)
          expect(['pods', 'events', 'serviceaccounts', 'nodes', 'secrets'], `${role.metadata.name}: ${resource}`).toContain(resource);
      }
    }
  });

  it('keeps secrets out of the reader role: only the optional secrets role reads them', () => {
    const resources = (name: string) => find('ClusterRole', name).rules as Any[];
    expect(resources('pulldoctor-reader').flatMap((r) => r.resources).sort()).toEqual(['events', 'nodes', 'pods', 'serviceaccounts']);
    expect(resources('pulldoctor-secrets-reader')).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    const holders = roles.filter((r) => r.rules.some((rule: Any) => rule.resources.includes('secrets'))).map((r) => r.metadata.name);
    expect(holders).toEqual(['pulldoctor-secrets-reader']);
    const file = all.find((l) => l.object.metadata.name === 'pulldoctor-secrets-reader')!.file;
    expect(file).toBe(path.normalize('deploy/secrets/rbac.yaml'));
  });

  it('binds each role to the pulldoctor ServiceAccount that the pods run as', () => {
    const sa = find('ServiceAccount', 'pulldoctor');
    const bindings = all.filter((l) => l.object.kind === 'ClusterRoleBinding').map((l) => l.object as Any);
    expect(bindings.map((b) => b.roleRef.name).sort()).toEqual(roles.map((r) => r.metadata.name).sort());
    for (const b of bindings) {
      expect(b.roleRef.kind).toBe('ClusterRole');
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    }
    for (const { object } of all) if (podSpec(object)) expect(podSpec(object).serviceAccountName).toBe(sa.metadata.name);
  });
});

/** The pod spec of a Deployment or CronJob. */
function podSpec(object: K8sObject): Any {
  const o = object as Any;
  if (o.kind === 'Deployment') return o.spec.template.spec;
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  return undefined;
}

describe('pods', () => {
  const workloads = all.filter((l) => podSpec(l.object)).map((l) => l.object);
  const dockerUser = /^USER\s+(\d+):(\d+)\s*$/m.exec(readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8'));

  it.each(workloads.map((w) => [w.kind, w] as const))('%s: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp', (_kind, w) => {
    const spec = podSpec(w);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // The same numeric user as the image's USER.
    expect(dockerUser).not.toBeNull();
    expect(spec.securityContext.runAsUser).toBe(Number(dockerUser![1]));
    expect(spec.securityContext.runAsGroup).toBe(Number(dockerUser![2]));
    for (const c of spec.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits.memory).toEqual(expect.any(String));
      // /tmp: the one writable place, an emptyDir.
      const mount = c.volumeMounts.find((m: Any) => m.mountPath === '/tmp');
      expect(spec.volumes.find((v: Any) => v.name === mount?.name)?.emptyDir).toBeDefined();
    }
  });

  it('serve: `serve --listen :9489 -A`, probes on /healthz and /readyz, one replica', () => {
    const d = find('Deployment', 'pulldoctor') as Any;
    const [c] = d.spec.template.spec.containers;
    expect(c.args).toEqual(['serve', '--listen', ':9489', '-A']);
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9489, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector.matchLabels).toEqual(d.spec.template.metadata.labels);
  });

  it('the Service exposes port 9489 named metrics, selecting the serve pods; the ServiceMonitor scrapes it', () => {
    const d = find('Deployment', 'pulldoctor') as Any;
    const svc = find('Service', 'pulldoctor') as Any;
    expect(svc.spec.ports).toEqual([{ name: 'metrics', port: 9489, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(d.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    // The Service must not select the CronJob's pods.
    const cron = find('CronJob', 'pulldoctor') as Any;
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).not.toMatchObject(svc.spec.selector);
    const sm = find('ServiceMonitor', 'pulldoctor') as Any;
    expect(svc.metadata.labels).toMatchObject(sm.spec.selector.matchLabels);
    expect(sm.spec.namespaceSelector.matchNames).toContain(svc.metadata.namespace);
    expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics', honorLabels: true })]);
  });
});

describe('alerts (PrometheusRule)', () => {
  const rule = find('PrometheusRule', 'pulldoctor') as Any;
  const alerts = rule.spec.groups.flatMap((g: Any) => g.rules) as Any[];
  const svc = find('Service', 'pulldoctor') as Any;
  const sm = find('ServiceMonitor', 'pulldoctor') as Any;

  it('has the four alerts of issue 15, each with summary, description and runbook_url', () => {
    expect(alerts.map((a) => a.alert)).toEqual(['PullDoctorImagePullFailing', 'PullDoctorLatentPullProblem', 'PullDoctorScanIncomplete', 'PullDoctorDown']);
    for (const a of alerts) {
      expect(Object.keys(a.annotations).sort(), a.alert).toEqual(['description', 'runbook_url', 'summary']);
      expect(a.labels.severity, a.alert).toMatch(/^(critical|warning)$/);
      expect(a.annotations.runbook_url, a.alert).toMatch(/\$labels\.pulldoctor_url/);
    }
  });

  it("the ServiceMonitor gives the alerts their links: pulldoctor_url is the Service's address", () => {
    const relabel = sm.spec.endpoints[0].relabelings.find((r: Any) => r.targetLabel === 'pulldoctor_url');
    expect(relabel).toEqual({ targetLabel: 'pulldoctor_url', replacement: `http://${svc.metadata.name}.${svc.metadata.namespace}.svc:${svc.spec.ports[0].port}` });
  });

  it('PullDoctorDown selects the job the ServiceMonitor scrapes as (the Service name)', () => {
    expect(sm.spec.jobLabel).toBeUndefined();
    const down = alerts.find((a) => a.alert === 'PullDoctorDown');
    expect(down.expr).toMatch(new RegExp(`up\\{job="${svc.metadata.name}"\\}`));
  });

  it('is the same rule file as deploy/prometheus/rules.yaml, when that file is there', () => {
    const file = path.join(DEPLOY, 'prometheus', 'rules.yaml');
    if (!existsSync(file)) {
      console.warn('deploy/prometheus/rules.yaml is not in this tree: the PrometheusRule is checked on its own');
      return;
    }
    expect(rule.spec.groups).toEqual((parse(readFileSync(file, 'utf8')) as Any).groups);
  });
});

describe('kustomizations', () => {
  const load = (file: string) => parse(readFileSync(file, 'utf8')) as Any;

  it('reference files and directories that exist, and every manifest is in one', () => {
    const referenced = new Set<string>();
    for (const k of kustomizations) {
      const doc = load(k);
      expect(doc.apiVersion, rel(k)).toBe('kustomize.config.k8s.io/v1beta1');
      expect(doc.kind, rel(k)).toBe('Kustomization');
      for (const r of doc.resources as string[]) {
        const target = path.resolve(path.dirname(k), r);
        expect(existsSync(target), `${rel(k)}: ${r}`).toBe(true);
        if (r.startsWith('..')) expect(existsSync(path.join(target, 'kustomization.yaml')), `${rel(k)}: ${r} is a kustomization`).toBe(true);
        else referenced.add(target);
      }
    }
    expect([...referenced].sort()).toEqual([...manifestFiles].sort());
  });

  it.each(['serve', 'cronjob'])('deploy/%s: base, secrets, and the image set once, at package.json version', (dir) => {
    const doc = load(path.join(DEPLOY, dir, 'kustomization.yaml'));
    expect(doc.resources).toEqual(expect.arrayContaining(['../base', '../secrets']));
    expect(doc.images).toEqual([{ name: IMAGE, newName: IMAGE, newTag: VERSION }]);
  });
});
