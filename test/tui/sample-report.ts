/** A hand-built, realistic Report for the UI tests: several namespaces, severities, credentials, an access problem. */
import type { Finding, PodReport, Report, Severity } from '../../src/model/finding.js';

export const GENERATED_AT = '2025-03-01T12:00:00.000Z';
export const FINGERPRINT = 'sha256:5e1f0c9a';
export const OTHER_FINGERPRINT = 'sha256:77aa02d4';

let n = 0;
export function finding(p: Partial<Finding> & Pick<Finding, 'rule' | 'namespace' | 'workload' | 'pod'>): Finding {
  n += 1;
  return {
    id: p.id ?? `f${n}-${p.rule}-${p.namespace}-${p.workload.name}`,
    title: p.title ?? p.rule.replace(/-/g, ' '),
    severity: p.severity ?? 'error',
    confidence: p.confidence ?? 'confirmed',
    pods: p.pods ?? [p.pod],
    message: p.message ?? `${p.rule} in ${p.workload.name}`,
    evidence: p.evidence ?? [],
    remediation: p.remediation ?? [],
    unverified: p.unverified ?? [],
    related: p.related ?? [],
    runbook: p.runbook ?? `rules/${p.rule}.md`,
    ...p,
  };
}

export function apiFinding(): Finding {
  return finding({
    id: 'api-secret-missing',
    rule: 'pull-secret-not-found',
    title: 'Pull secret does not exist',
    severity: 'error',
    namespace: 'payments',
    workload: { kind: 'Deployment', name: 'payments-api' },
    pod: 'payments-api-7d9f8b6c4-x2x9q',
    pods: ['payments-api-7d9f8b6c4-x2x9q', 'payments-api-7d9f8b6c4-lm4pz', 'payments-api-7d9f8b6c4-qq7rt'],
    container: 'api',
    image: 'registry.example.com/payments/api:1.42.0',
    secret: 'regcred-payments',
    message: 'Secret payments/regcred-payments named in imagePullSecrets does not exist; the kubelet pulls without it.',
    evidence: [
      {
        source: 'event',
        ref: 'Event payments/payments-api-7d9f8b6c4-x2x9q.17a3 (FailedToRetrieveImagePullSecret x12)',
        detail: 'Unable to retrieve some image pull secrets (regcred-payments); attempting to pull the image may not succeed.',
        count: 12,
        lastSeen: '2025-03-01T11:54:00.000Z',
      },
      {
        source: 'event',
        ref: 'Event payments/payments-api-7d9f8b6c4-x2x9q.17a4 (Failed x4)',
        detail: 'Failed to pull image "registry.example.com/payments/api:1.42.0": 401 Unauthorized',
        count: 4,
        lastSeen: '2025-03-01T11:58:00.000Z',
      },
    ],
    remediation: [
      "kubectl create secret docker-registry regcred-payments -n payments --docker-server=registry.example.com --docker-username=<username> --docker-password='<password>'",
      'kubectl rollout restart deployment/payments-api -n payments',
    ],
  });
}

function workerFinding(): Finding {
  return finding({
    id: 'worker-auth',
    rule: 'registry-auth-rejected',
    title: 'Registry rejected the credentials',
    severity: 'error',
    confidence: 'likely',
    namespace: 'payments',
    workload: { kind: 'Deployment', name: 'ledger-worker' },
    pod: 'ledger-worker-5c6d7-abcde',
    container: 'worker',
    image: 'ghcr.io/acme/ledger-worker:2.3',
    secret: 'ghcr-token',
    message: 'ghcr.io answered 401 for the credentials of secret ghcr-token.',
    evidence: [{ source: 'event', ref: 'Event payments/ledger-worker-5c6d7-abcde.1 (Failed x7)', detail: 'unauthorized: authentication required', count: 7, lastSeen: '2025-03-01T11:50:00.000Z' }],
    remediation: ['# rotate the token in secret ghcr-token', 'kubectl -n payments edit secret ghcr-token'],
    unverified: ['The token may also lack the read:packages scope.'],
  });
}

function dbFinding(): Finding {
  return finding({
    id: 'db-mismatch',
    rule: 'registry-credentials-mismatch',
    title: 'Credentials for another registry',
    severity: 'warning',
    namespace: 'shop',
    workload: { kind: 'StatefulSet', name: 'orders-db' },
    pod: 'orders-db-0',
    pods: ['orders-db-0', 'orders-db-1'],
    container: 'postgres',
    image: 'quay.io/acme/postgres:16',
    secret: 'quay-creds',
    message: 'Secret quay-creds has a key for quay.io/acme-old, which does not match quay.io/acme/postgres.',
    remediation: ['kubectl -n shop get secret quay-creds -o jsonpath={.data.\\.dockerconfigjson} | base64 -d'],
  });
}

function reportFinding(): Finding {
  return finding({
    id: 'report-info',
    rule: 'image-tag-latest',
    title: 'Image uses the latest tag',
    severity: 'info',
    namespace: 'shop',
    workload: { kind: 'CronJob', name: 'nightly-report' },
    pod: 'nightly-report-28911-x',
    container: 'report',
    image: 'acme/report:latest',
    message: 'acme/report:latest is re-pulled on every start (pull policy Always).',
  });
}

function debugFinding(): Finding {
  return finding({
    id: 'debug-ref',
    rule: 'image-reference-invalid',
    title: 'Image reference is invalid',
    severity: 'error',
    namespace: 'default',
    workload: { kind: 'Pod', name: 'debug' },
    pod: 'debug',
    container: 'shell',
    image: 'busybox:1.36:latest',
    message: 'busybox:1.36:latest is not a valid image reference.',
    remediation: ['kubectl -n default delete pod debug'],
  });
}

function apiPod(): PodReport {
  return {
    namespace: 'payments',
    name: 'payments-api-7d9f8b6c4-x2x9q',
    workload: { kind: 'Deployment', name: 'payments-api' },
    node: 'worker-2',
    serviceAccount: 'payments-api',
    imagePullSecrets: [
      { name: 'regcred-payments', status: 'missing' },
      { name: 'dockerhub', status: 'found' },
    ],
    containers: [
      {
        name: 'api',
        kind: 'container',
        image: 'registry.example.com/payments/api:1.42.0',
        reference: { domain: 'registry.example.com', path: 'payments/api', tag: '1.42.0' },
        lookup: 'registry.example.com/payments/api',
        pullPolicy: 'IfNotPresent',
        waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/payments/api:1.42.0"' },
        credentials: [],
      },
      {
        name: 'istio-init',
        kind: 'init',
        image: 'docker.io/istio/proxyv2:1.22.0',
        reference: { domain: 'docker.io', path: 'istio/proxyv2', tag: '1.22.0' },
        lookup: 'docker.io/istio/proxyv2',
        pullPolicy: 'IfNotPresent',
        credentials: [
          {
            secret: 'dockerhub',
            registryKey: 'https://index.docker.io/v1/',
            normalizedKey: 'docker.io',
            username: 'acme-ci',
            hasPassword: true,
            fingerprint: FINGERPRINT,
            viaDockerHubFallback: true,
          },
        ],
      },
    ],
    accessProblems: [],
  };
}

function workerPod(): PodReport {
  return {
    namespace: 'payments',
    name: 'ledger-worker-5c6d7-abcde',
    workload: { kind: 'Deployment', name: 'ledger-worker' },
    serviceAccount: 'default',
    imagePullSecrets: [{ name: 'ghcr-token', status: 'found' }],
    containers: [
      {
        name: 'worker',
        kind: 'container',
        image: 'ghcr.io/acme/ledger-worker:2.3',
        reference: { domain: 'ghcr.io', path: 'acme/ledger-worker', tag: '2.3' },
        lookup: 'ghcr.io/acme/ledger-worker',
        pullPolicy: 'Always',
        waiting: { reason: 'ErrImagePull', message: 'unauthorized: authentication required' },
        credentials: [
          {
            secret: 'ghcr-token',
            registryKey: 'ghcr.io',
            normalizedKey: 'ghcr.io',
            username: 'acme-bot',
            hasPassword: true,
            fingerprint: OTHER_FINGERPRINT,
            viaDockerHubFallback: false,
          },
        ],
      },
    ],
    accessProblems: [],
  };
}

function dbPod(): PodReport {
  return {
    namespace: 'shop',
    name: 'orders-db-0',
    workload: { kind: 'StatefulSet', name: 'orders-db' },
    serviceAccount: 'orders-db',
    imagePullSecrets: [{ name: 'quay-creds', status: 'forbidden' }],
    containers: [
      {
        name: 'postgres',
        kind: 'container',
        image: 'quay.io/acme/postgres:16',
        reference: { domain: 'quay.io', path: 'acme/postgres', tag: '16' },
        lookup: 'quay.io/acme/postgres',
        pullPolicy: 'IfNotPresent',
        credentials: [],
      },
    ],
    accessProblems: [
      {
        resource: 'secrets',
        namespace: 'shop',
        name: 'quay-creds',
        verb: 'get',
        status: 403,
        message: 'secrets "quay-creds" is forbidden: User "alice" cannot get resource "secrets" in the namespace "shop"',
        canI: 'kubectl auth can-i get secrets/quay-creds -n shop',
      },
    ],
  };
}

export function counts(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

export function makeReport(findings: Finding[], extra: Partial<Report> = {}): Report {
  const workloads = new Set(findings.map((f) => `${f.namespace}/${f.workload.kind}/${f.workload.name}`));
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: '0.1.0' },
    source: { kind: 'demo', description: 'bundled demo cluster', cluster: 'demo' },
    generatedAt: GENERATED_AT,
    summary: {
      podsScanned: 42,
      podsWithPullProblems: findings.length ? 6 : 0,
      workloadsAffected: workloads.size,
      findings: counts(findings),
      complete: true,
      skipped: [],
    },
    findings,
    pods: [],
    accessProblems: [],
    skipped: {},
    errors: [],
    ...extra,
  };
}

/** The main sample: 3 namespaces, 5 workloads, every severity, one access problem. */
export function sampleReport(): Report {
  const findings = [apiFinding(), workerFinding(), debugFinding(), dbFinding(), reportFinding()];
  return makeReport(findings, {
    pods: [apiPod(), workerPod(), dbPod()],
    accessProblems: [
      {
        resource: 'secrets',
        namespace: 'shop',
        name: 'quay-creds',
        verb: 'get',
        status: 403,
        message: 'secrets "quay-creds" is forbidden: User "alice" cannot get resource "secrets" in the namespace "shop"',
        canI: 'kubectl auth can-i get secrets/quay-creds -n shop',
      },
    ],
  });
}

export function emptyReport(pods = 17): Report {
  const r = makeReport([]);
  r.summary.podsScanned = pods;
  return r;
}
