/**
 * deploy/ with the real tools: every kustomize overlay rendered by `kubectl kustomize` (the
 * kustomize built into kubectl) and its output validated like the files themselves; the image
 * set from an overlay of the user's own; the PrometheusRule's groups through `promtool check
 * rules`, and `promtool test rules` with the labels a ServiceMonitor target gets (the alert
 * names the workload and links to its runbook through the Service). The rule file's own unit
 * tests are deploy/prometheus/rules_test.yaml.
 * scripts/setup-test-deps installs kubectl and promtool.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { manifestProblems, parseManifests, type K8sObject } from './helpers/manifests.js';
import { ROOT } from './helpers/root.js';

const DEPLOY = path.join(ROOT, 'deploy');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(path.join(tmpdir(), 'pulldoctor-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A tool's path, or a failure that says how to get it. */
function tool(name: string): string {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir || '.', name))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!found) throw new Error(`${name} is not on PATH: run \`npm run setup\` (scripts/setup-test-deps) to install the test tools`);
  return found;
}

/** kubectl's built-in kustomize version (major), or undefined when it cannot say. */
function kustomizeMajor(kubectl: string): number | undefined {
  const out = spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }).stdout;
  try {
    const v = (JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion;
    return v ? Number(/^v(\d+)/.exec(v)?.[1]) : undefined;
  } catch {
    return undefined;
  }
}

const kubectl = tool('kubectl');
// kubectl before 1.21 embeds kustomize v2.0, which cannot take directories as resources (the
// overlays' ../base): Debian 12's kubernetes-client is 1.20. Users need kubectl >= 1.21
// (deploy/README.md); the files themselves are validated in test/deploy-manifests.test.ts.
const major = kustomizeMajor(kubectl);
const modernKustomize = major !== undefined && major >= 4;
if (!modernKustomize) console.warn(`SKIPPED kustomize renders in test/deploy-e2e.test.ts: ${kubectl} embeds ${major !== undefined ? `kustomize v${major}` : 'a kustomize that reports no version (before kubectl 1.21)'}; the overlays need v4 or later`);

function kustomize(dir: string): K8sObject[] {
  const out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseManifests(out, dir).map((l) => l.object);
}

const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
const images = (objects: K8sObject[]) =>
  objects.flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []).map((s) => s.slice('"image":"'.length, -1));

describe.runIf(modernKustomize)('kubectl kustomize deploy/…', () => {
  it.each([
    ['serve', ['ClusterRole/pulldoctor-reader', 'ClusterRole/pulldoctor-secrets-reader', 'ClusterRoleBinding/pulldoctor-reader', 'ClusterRoleBinding/pulldoctor-secrets-reader', 'Deployment/pulldoctor', 'Namespace/pulldoctor', 'Service/pulldoctor', 'ServiceAccount/pulldoctor']],
    ['cronjob', ['ClusterRole/pulldoctor-reader', 'ClusterRole/pulldoctor-secrets-reader', 'ClusterRoleBinding/pulldoctor-reader', 'ClusterRoleBinding/pulldoctor-secrets-reader', 'CronJob/pulldoctor', 'Namespace/pulldoctor', 'ServiceAccount/pulldoctor']],
    ['prometheus-operator', ['PrometheusRule/pulldoctor', 'ServiceMonitor/pulldoctor']],
    ['base', ['ClusterRole/pulldoctor-reader', 'ClusterRoleBinding/pulldoctor-reader', 'Namespace/pulldoctor', 'ServiceAccount/pulldoctor']],
    ['secrets', ['ClusterRole/pulldoctor-secrets-reader', 'ClusterRoleBinding/pulldoctor-secrets-reader']],
  ])('%s renders valid objects', (dir, expected) => {
    const objects = kustomize(path.join(DEPLOY, dir));
    expect(names(objects)).toEqual(expected);
    expect(manifestProblems(objects.map((object) => ({ file: `kubectl kustomize deploy/${dir}`, object })))).toEqual([]);
    for (const image of images(objects)) expect(image).toBe(`ghcr.io/pulldoctor/pulldoctor:${VERSION}`);
  });

  it("takes the image from the user's own overlay, and the secrets grant can be left out", () => {
    const overlay = path.join(work, 'overlay');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(
      path.join(overlay, 'kustomization.yaml'),
      stringify({
        resources: [path.relative(overlay, path.join(DEPLOY, 'serve'))],
        images: [{ name: 'ghcr.io/pulldoctor/pulldoctor', newName: 'registry.example.com/team/pulldoctor', newTag: '9.9.9' }],
      }),
    );
    expect(images(kustomize(overlay))).toEqual(['registry.example.com/team/pulldoctor:9.9.9']);

    // The documented way to run without reading secrets: drop "- ../secrets".
    const noSecrets = path.join(work, 'no-secrets');
    cpSync(path.join(DEPLOY, 'serve'), noSecrets, { recursive: true });
    const k = readFileSync(path.join(noSecrets, 'kustomization.yaml'), 'utf8');
    expect(k).toMatch(/^ {2}- \.\.\/secrets$/m);
    const rel = path.relative(noSecrets, DEPLOY);
    writeFileSync(path.join(noSecrets, 'kustomization.yaml'), k.replace(/^ {2}- \.\.\/secrets\n/m, '').replace('- ../base', `- ${rel}/base`));
    const objects = kustomize(noSecrets);
    expect(names(objects).filter((n) => n.includes('secrets'))).toEqual([]);
    expect(names(objects)).toContain('Deployment/pulldoctor');
  });
});

describe('promtool on the PrometheusRule', () => {
  const promtool = tool('promtool');
  const rule = parse(readFileSync(path.join(DEPLOY, 'prometheus-operator', 'prometheusrule.yaml'), 'utf8')) as { spec: { groups: unknown[] } };
  const rules = path.join(work, 'rules.yaml');
  writeFileSync(rules, stringify({ groups: rule.spec.groups }));

  const run = (args: string[]) => {
    const r = spawnSync(promtool, args, { cwd: work, encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('check rules: the expressions and templates parse', () => {
    const r = run(['check', 'rules', rules]);
    expect(r.out).toMatch(/SUCCESS: 4 rules found/);
    expect(r.status).toBe(0);
  });

  it('check rules fails on a broken expression (the check is real)', () => {
    const broken = path.join(work, 'broken.yaml');
    const groups = structuredClone(rule.spec.groups) as { rules: { expr: string }[] }[];
    groups[0]!.rules[0]!.expr = 'max by (rule (pulldoctor_findings';
    writeFileSync(broken, stringify({ groups }));
    expect(run(['check', 'rules', broken]).status).not.toBe(0);
  });

  it('test rules: with the labels the ServiceMonitor scrapes, alerts name the workload and link to the runbook through the Service', () => {
    // What Prometheus stores for a ServiceMonitor target: job = the Service name, instance =
    // the pod's address, honorLabels keeps the workload's namespace, relabeling adds pulldoctor_url.
    const sm = parse(readFileSync(path.join(DEPLOY, 'prometheus-operator', 'servicemonitor.yaml'), 'utf8')) as {
      spec: { endpoints: { relabelings: { targetLabel: string; replacement: string }[] }[] };
    };
    const url = sm.spec.endpoints[0]!.relabelings.find((r) => r.targetLabel === 'pulldoctor_url')!.replacement;
    const target = `job="pulldoctor",instance="10.0.3.7:9489",pod="pulldoctor-7c9d-x2k8q",pulldoctor_url="${url}"`;
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: `pulldoctor_findings{${target},rule="pull-secret-not-found",severity="error",namespace="shop",workload_kind="Deployment",workload="cart"}`, values: '2x10' },
          ],
          alert_rule_test: [
            {
              eval_time: '6m',
              alertname: 'PullDoctorImagePullFailing',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'critical',
                    job: 'pulldoctor',
                    instance: '10.0.3.7:9489',
                    pod: 'pulldoctor-7c9d-x2k8q',
                    pulldoctor_url: url,
                    rule: 'pull-secret-not-found',
                    namespace: 'shop',
                    workload_kind: 'Deployment',
                    workload: 'cart',
                  },
                  exp_annotations: {
                    summary: 'Deployment shop/cart cannot pull its image: pull-secret-not-found',
                    description: `pulldoctor has found pull-secret-not-found (severity error) on 2 pod(s) of Deployment cart in namespace shop for more than 5 minutes: their image pull fails now. The runbook explains the cause and the fix; the finding with its exact commands is on the pulldoctor page (${url}/) and in \`pulldoctor -n shop\`.`,
                    runbook_url: 'http://pulldoctor.pulldoctor.svc:9489/runbooks/pull-secret-not-found',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const file = path.join(work, 'servicemonitor.test.yaml');
    writeFileSync(file, stringify(tests));
    const r = run(['test', 'rules', file]);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });
});
