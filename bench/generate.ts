/**
 * A seeded generator of realistic clusters for the benchmark: Deployments, StatefulSets and
 * Jobs across many namespaces, a few percent of pods failing pulls with a realistic mix of
 * causes, real-shaped events (several per failing pod plus ordinary noise), nodes, pull
 * secrets and service accounts.
 *
 * Objects are shaped like API list items (server-populated fields and managedFields included).
 * Sub-objects that are equal across the replicas of one workload (container specs, volumes,
 * tolerations, managedFields) are shared references, so 50k pods + 200k events stay compact in
 * the API double's memory; JSON.stringify writes them out in full, so the bytes on the wire are
 * those of a real cluster.
 */
import { pullSecret, serviceAccount } from '../test/apiserver/index.js';

export type Obj = Record<string, unknown>;

/** The cluster's clock: pulldoctor runs with `--now CLOCK` so results are reproducible. */
export const CLOCK = '2025-05-01T09:30:00Z';
const CLOCK_MS = Date.parse(CLOCK);
const at = (minutesAgo: number): string => new Date(CLOCK_MS - Math.round(minutesAgo * 60_000)).toISOString().replace(/\.\d+Z$/, 'Z');

/** mulberry32: small, fast, good enough for shapes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Cause =
  | 'image-not-found'
  | 'auth-rejected'
  | 'secret-missing'
  | 'secret-other-namespace'
  | 'rate-limited'
  | 'unreachable'
  | 'tls'
  | 'access-denied'
  | 'platform-mismatch';

/** The mix of causes among failing workloads (weights). */
const CAUSES: [Cause, number][] = [
  ['image-not-found', 30],
  ['auth-rejected', 15],
  ['secret-missing', 10],
  ['secret-other-namespace', 5],
  ['rate-limited', 12],
  ['unreachable', 10],
  ['tls', 6],
  ['access-denied', 7],
  ['platform-mismatch', 5],
];

export interface Cluster {
  pods: Obj[];
  events: Obj[];
  secrets: Obj[];
  serviceAccounts: Obj[];
  nodes: Obj[];
  stats: ClusterStats;
}

export interface ClusterStats {
  pods: number;
  events: number;
  secrets: number;
  serviceAccounts: number;
  nodes: number;
  namespaces: number;
  workloads: { Deployment: number; StatefulSet: number; Job: number };
  failingPods: number;
  failingWorkloads: number;
  /** Namespaces holding at least one failing pod. */
  failingNamespaces?: number;
  causes: Record<string, number>;
  /** Distinct namespace/name secrets that pods name, directly or through their ServiceAccount. */
  referencedSecrets: number;
  /** Distinct names among referenced secrets that do not exist in the pod's namespace. */
  missingSecretNames: number;
}

const PRIVATE = 'registry.corp.example.com';
const TEAMS = ['payments', 'checkout', 'search', 'identity', 'ledger', 'media', 'growth', 'infra', 'data', 'ml', 'ads', 'mobile', 'support', 'risk', 'catalog', 'shipping'];
const APPS = ['api', 'web', 'worker', 'gateway', 'sync', 'indexer', 'scheduler', 'consumer', 'renderer', 'exporter', 'cache', 'auth', 'notifier', 'billing', 'reporter', 'ingest'];
const PUBLIC_IMAGES = ['nginx:1.27.2', 'redis:7.2.4', 'postgres:16.4', 'busybox:1.36', 'ghcr.io/acme/otel-collector:0.104.0', 'quay.io/prometheus/node-exporter:v1.8.2', 'docker.io/bitnami/kafka:3.7.1', 'registry.k8s.io/pause:3.10'];
const SIDECAR = 'docker.io/envoyproxy/envoy:v1.31.2';

const hex = (r: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const alnum = (r: () => number, n: number): string => {
  const a = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(r() * a.length)];
  return s;
};

/** Shared, equal-for-everyone pod parts. */
const TOLERATIONS = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
];
/** The controller's managed fields of a pod: keyed by its owner's uid, as the API server writes them. */
const podFieldsV1 = (ownerUid: string) => ({
  'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {} }, 'f:ownerReferences': { '.': {}, [`k:{"uid":"${ownerUid}"}`]: {} } },
  'f:spec': {
    'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:env': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': {}, 'f:readinessProbe': {}, 'f:resources': {} } },
    'f:dnsPolicy': {}, 'f:enableServiceLinks': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
  },
});
const POD_STATUS_FIELDS_V1 = {
  'f:status': { 'f:conditions': { 'k:{"type":"ContainersReady"}': { '.': {}, 'f:status': {}, 'f:type': {} }, 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:startTime': {} },
};
const EVENT_FIELDS_V1 = { 'f:count': {}, 'f:firstTimestamp': {}, 'f:involvedObject': {}, 'f:lastTimestamp': {}, 'f:message': {}, 'f:reason': {}, 'f:reportingComponent': {}, 'f:reportingInstance': {}, 'f:source': { 'f:component': {}, 'f:host': {} }, 'f:type': {} };

interface Workload {
  kind: 'Deployment' | 'StatefulSet' | 'Job';
  namespace: string;
  name: string;
  replicas: number;
  /** ReplicaSet name, StatefulSet name or Job name: the pods' controller. */
  owner: { kind: string; name: string; uid: string };
  containers: Obj[];
  initContainers?: Obj[];
  volumes: Obj[];
  labels: Record<string, string>;
  serviceAccount: string;
  pullSecrets?: { name: string }[];
  cause?: Cause;
  failingImage?: string;
  managedFields: Obj[];
  age: number;
}

export interface GenerateOptions {
  pods: number;
  seed?: number;
  /** Fraction of pods failing pulls (default 0.03). */
  failingFraction?: number;
}

export function generateCluster(opts: GenerateOptions): Cluster {
  const r = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const weighted = <T>(xs: readonly [T, number][]): T => {
    const total = xs.reduce((n, [, w]) => n + w, 0);
    let x = r() * total;
    for (const [v, w] of xs) if ((x -= w) < 0) return v;
    return (xs[xs.length - 1] as [T, number])[0];
  };
  let rv = 10_000_000;
  let uidSeq = 0;
  const uid = () => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-8${(++uidSeq).toString(16).padStart(3, '0').slice(-3)}-${hex(r, 12)}`;

  const target = Math.max(1, Math.floor(opts.pods));
  const nsCount = Math.max(3, Math.round(target / 200));
  const nodeCount = Math.max(3, Math.round(target / 30));
  const nodes: Obj[] = [];
  const nodeNames: string[] = [];
  const nodeInfo = {
    architecture: 'amd64', bootID: '3f7c1c9e-1b1e-4d0a-9d55-51b0a1e0c001', containerRuntimeVersion: 'containerd://1.7.22', kernelVersion: '6.8.0-1015-aws',
    kubeProxyVersion: 'v1.32.0', kubeletVersion: 'v1.32.0', machineID: 'ec2a4b1f0c2e4e4b9c8d', operatingSystem: 'linux', osImage: 'Ubuntu 24.04.1 LTS', systemUUID: 'ec2a4b1f-0c2e-4e4b-9c8d-0a1b2c3d4e5f',
  };
  for (let i = 0; i < nodeCount; i++) {
    const arm = i % 10 === 9;
    const name = `ip-10-${(i >> 8) & 255}-${i & 255}-${10 + (i % 200)}.eu-west-1.compute.internal`;
    nodeNames.push(name);
    nodes.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        creationTimestamp: at(60 * 24 * 20),
        labels: { 'kubernetes.io/arch': arm ? 'arm64' : 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': arm ? 'm7g.2xlarge' : 'm6i.2xlarge', 'topology.kubernetes.io/zone': `eu-west-1${'abc'[i % 3]}` },
        name,
        resourceVersion: String(++rv),
        uid: uid(),
      },
      spec: { podCIDR: `10.244.${i & 255}.0/24`, providerID: `aws:///eu-west-1a/i-0${hex(r, 16)}` },
      status: {
        addresses: [{ address: `10.${(i >> 8) & 255}.${i & 255}.10`, type: 'InternalIP' }, { address: name, type: 'Hostname' }],
        allocatable: { cpu: '7910m', 'ephemeral-storage': '95551679124', memory: '31792808Ki', pods: '58' },
        conditions: [
          { lastHeartbeatTime: at(1), lastTransitionTime: at(60 * 24), message: 'kubelet has sufficient memory available', reason: 'KubeletHasSufficientMemory', status: 'False', type: 'MemoryPressure' },
          { lastHeartbeatTime: at(1), lastTransitionTime: at(60 * 24), message: 'kubelet has no disk pressure', reason: 'KubeletHasNoDiskPressure', status: 'False', type: 'DiskPressure' },
          { lastHeartbeatTime: at(1), lastTransitionTime: at(60 * 24), message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' },
        ],
        nodeInfo: arm ? { ...nodeInfo, architecture: 'arm64' } : nodeInfo,
      },
    });
  }

  // Namespaces: a pull secret for the private registry in most, a default ServiceAccount that
  // names it in some (so pods get credentials without naming a secret), noise secrets.
  const namespaces: string[] = [];
  const secrets: Obj[] = [];
  const serviceAccounts: Obj[] = [];
  const nsHasRegcred = new Map<string, boolean>();
  const saSecrets = new Map<string, string[]>();
  for (let i = 0; i < nsCount; i++) {
    const ns = `${TEAMS[i % TEAMS.length]}-${i < TEAMS.length ? 'prod' : `${Math.floor(i / TEAMS.length)}`}`;
    namespaces.push(ns);
    const hasRegcred = r() < 0.9;
    nsHasRegcred.set(ns, hasRegcred);
    if (hasRegcred) secrets.push(pullSecret(ns, 'regcred', PRIVATE, `robot$${ns}`));
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { creationTimestamp: at(60 * 24 * 30), name: `${ns}-tls`, namespace: ns, resourceVersion: String(++rv), uid: uid() }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==', 'tls.key': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==' } });
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { creationTimestamp: at(60 * 24 * 30), name: 'app-config', namespace: ns, resourceVersion: String(++rv), uid: uid() }, type: 'Opaque', data: { DATABASE_URL: 'cG9zdGdyZXM6Ly8uLi4=' } });
    const saPull = hasRegcred && r() < 0.6 ? ['regcred'] : undefined;
    serviceAccounts.push(serviceAccount(ns, 'default', saPull));
    if (saPull) saSecrets.set(`${ns}/default`, saPull);
    serviceAccounts.push(serviceAccount(ns, 'app'));
  }

  // Workloads until the pod target is reached.
  const workloads: Workload[] = [];
  let placed = 0;
  const counts = { Deployment: 0, StatefulSet: 0, Job: 0 };
  for (let w = 0; placed < target; w++) {
    const ns = namespaces[w % nsCount] as string;
    const kind = weighted<Workload['kind']>([['Deployment', 70], ['StatefulSet', 12], ['Job', 18]]);
    const replicas = Math.min(target - placed, kind === 'Job' ? 1 : kind === 'StatefulSet' ? 1 + Math.floor(r() * 4) : 1 + Math.floor(r() * 8));
    const app = `${pick(APPS)}-${alnum(r, 4)}`;
    const privateImage = r() < 0.7;
    const team = ns.split('-')[0] ?? 'team';
    const image = privateImage ? `${PRIVATE}/${team}/${app.split('-')[0]}:${1 + Math.floor(r() * 4)}.${Math.floor(r() * 20)}.${Math.floor(r() * 10)}` : pick(PUBLIC_IMAGES);
    const ownerName = kind === 'Deployment' ? `${app}-${alnum(r, 9).slice(0, 9)}` : kind === 'Job' ? `${app}-${28_000_000 + w}` : app;
    const ownerKind = kind === 'Deployment' ? 'ReplicaSet' : kind;
    const labels: Record<string, string> =
      kind === 'Deployment'
        ? { app, 'pod-template-hash': ownerName.split('-').pop() as string }
        : kind === 'StatefulSet'
          ? { app, 'controller-revision-hash': `${app}-${alnum(r, 10)}` }
          : { 'batch.kubernetes.io/job-name': ownerName, 'job-name': ownerName, 'batch.kubernetes.io/controller-uid': uid() };
    const containers: Obj[] = [
      {
        env: [{ name: 'APP_ENV', value: 'production' }, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
        image,
        imagePullPolicy: 'IfNotPresent',
        name: 'app',
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
        readinessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
        resources: { limits: { memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access', readOnly: true }],
      },
    ];
    if (kind !== 'Job' && r() < 0.3)
      containers.push({ image: SIDECAR, imagePullPolicy: 'IfNotPresent', name: 'envoy', ports: [{ containerPort: 15001, name: 'proxy', protocol: 'TCP' }], resources: { requests: { cpu: '50m', memory: '64Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    const initContainers = kind === 'StatefulSet' && r() < 0.5 ? [{ command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done'], image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', name: 'wait-for-db', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }] : undefined;
    const usesAppSa = r() < 0.2;
    // The ServiceAccount admission plugin copies the SA's imagePullSecrets into pods that name
    // none, so pods of such namespaces carry them; elsewhere private images name regcred.
    const saPull = saSecrets.get(`${ns}/${usesAppSa ? 'app' : 'default'}`);
    const podPull = saPull ? saPull.map((name) => ({ name })) : privateImage && nsHasRegcred.get(ns) ? [{ name: 'regcred' }] : undefined;
    const owner = { kind: ownerKind, name: ownerName, uid: uid() };
    workloads.push({
      kind,
      namespace: ns,
      name: ownerName,
      replicas,
      owner,
      containers,
      ...(initContainers ? { initContainers } : {}),
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
              { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
            ],
          },
        },
      ],
      labels,
      serviceAccount: usesAppSa ? 'app' : 'default',
      ...(podPull ? { pullSecrets: podPull } : {}),
      managedFields: [
        { apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: podFieldsV1(owner.uid), manager: 'kube-controller-manager', operation: 'Update', time: at(60 * 5) },
        { apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: POD_STATUS_FIELDS_V1, manager: 'kubelet', operation: 'Update', subresource: 'status', time: at(30) },
      ],
      age: 20 + r() * 60 * 24 * 7,
    });
    counts[kind]++;
    placed += replicas;
  }

  // Failing workloads, a few percent of pods, each with one cause.
  const failTarget = Math.max(1, Math.round(target * (opts.failingFraction ?? 0.03)));
  const order = workloads.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  let failing = 0;
  const causes: Record<string, number> = {};
  let failingWorkloads = 0;
  for (const i of order) {
    if (failing >= failTarget) break;
    const wl = workloads[i] as Workload;
    const cause = weighted(CAUSES);
    const app = wl.containers[0] as Obj;
    const base = String(app.image);
    let image = base;
    switch (cause) {
      case 'image-not-found':
        image = base.replace(/:[^:/]+$/, `:${9 + Math.floor(r() * 3)}.0.${Math.floor(r() * 9)}-rc${Math.floor(r() * 5)}`);
        break;
      case 'auth-rejected':
      case 'tls':
      case 'unreachable':
        image = base.includes(PRIVATE) ? base : `${cause === 'tls' ? 'harbor.corp.internal' : cause === 'unreachable' ? 'registry.build.internal:5000' : PRIVATE}/${wl.namespace.split('-')[0]}/${wl.name.split('-')[0]}:2.0.1`;
        break;
      case 'rate-limited':
        image = pick(['redis:7.2.4', 'nginx:1.27.2', 'postgres:16.4', 'busybox:1.36']);
        break;
      case 'access-denied':
        image = `acme/${wl.name.split('-')[0]}-worker:2.4.1`;
        break;
      case 'platform-mismatch':
        image = `acme/${wl.name.split('-')[0]}-renderer:1.3.0`;
        break;
      case 'secret-missing':
        wl.pullSecrets = [{ name: pick(['regcred-v2', 'registry-creds', 'ghcr-pull', 'dockerhub']) }];
        image = base.includes(PRIVATE) ? base : `${PRIVATE}/${wl.namespace.split('-')[0]}/${wl.name.split('-')[0]}:1.4.2`;
        break;
      case 'secret-other-namespace':
        // Names a secret that exists elsewhere (the "copied the manifest, forgot the secret" case).
        wl.pullSecrets = [{ name: 'shared-registry' }];
        image = base.includes(PRIVATE) ? base : `${PRIVATE}/${wl.namespace.split('-')[0]}/${wl.name.split('-')[0]}:1.4.2`;
        break;
    }
    wl.containers = [{ ...app, image }, ...wl.containers.slice(1)];
    wl.cause = cause;
    wl.failingImage = image;
    failing += wl.replicas;
    failingWorkloads++;
    causes[cause] = (causes[cause] ?? 0) + wl.replicas;
  }
  if (causes['secret-other-namespace']) secrets.push(pullSecret('platform-shared', 'shared-registry', PRIVATE, 'robot$shared'));

  // Pods and their events.
  const pods: Obj[] = [];
  const events: Obj[] = [];
  let podSeq = 0;
  const kubeletSource = new Map<string, Obj>();
  const sourceOf = (node: string): Obj => {
    let s = kubeletSource.get(node);
    if (!s) kubeletSource.set(node, (s = { component: 'kubelet', host: node }));
    return s;
  };
  const schedulerSource = { component: 'default-scheduler' };
  const eventManaged = (t: string, manager: string) => [{ apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: EVENT_FIELDS_V1, manager, operation: 'Update', time: t }];
  const event = (
    p: { name: string; namespace: string; uid: string; resourceVersion: string },
    e: { reason: string; message: string; type?: string; count?: number; first: number; last?: number; node: string; fieldPath?: string; scheduler?: boolean; kind?: string },
  ) => {
    const first = at(e.first);
    const last = at(e.last ?? e.first);
    events.push({
      apiVersion: 'v1',
      count: e.count ?? 1,
      eventTime: null,
      firstTimestamp: first,
      involvedObject: { apiVersion: e.kind === 'ReplicaSet' ? 'apps/v1' : 'v1', ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}), kind: e.kind ?? 'Pod', name: p.name, namespace: p.namespace, resourceVersion: p.resourceVersion, uid: p.uid },
      kind: 'Event',
      lastTimestamp: last,
      message: e.message,
      metadata: { creationTimestamp: first, managedFields: eventManaged(last, e.scheduler ? 'kube-scheduler' : 'kubelet'), name: `${p.name}.${hex(r, 16)}`, namespace: p.namespace, resourceVersion: String(++rv), uid: uid() },
      reason: e.reason,
      reportingComponent: e.scheduler ? 'default-scheduler' : e.kind === 'ReplicaSet' ? 'replicaset-controller' : 'kubelet',
      reportingInstance: e.scheduler || e.kind ? '' : e.node,
      source: e.scheduler ? schedulerSource : e.kind === 'ReplicaSet' ? { component: 'replicaset-controller' } : sourceOf(e.node),
      type: e.type ?? 'Normal',
    });
  };
  const runningCondition = (t: string) => [
    { lastProbeTime: null, lastTransitionTime: t, status: 'True', type: 'PodReadyToStartContainers' },
    { lastProbeTime: null, lastTransitionTime: t, status: 'True', type: 'Initialized' },
    { lastProbeTime: null, lastTransitionTime: t, status: 'True', type: 'Ready' },
    { lastProbeTime: null, lastTransitionTime: t, status: 'True', type: 'ContainersReady' },
    { lastProbeTime: null, lastTransitionTime: t, status: 'True', type: 'PodScheduled' },
  ];

  for (const wl of workloads) {
    if (wl.kind === 'Deployment' && r() < 0.5) {
      event(
        { name: wl.owner.name, namespace: wl.namespace, uid: wl.owner.uid, resourceVersion: String(++rv) },
        { reason: 'SuccessfulCreate', message: `Created pod: ${wl.owner.name}-${alnum(r, 5)}`, first: Math.min(wl.age, 50), node: '', kind: 'ReplicaSet' },
      );
    }
    for (let k = 0; k < wl.replicas; k++) {
      podSeq++;
      const name = wl.kind === 'Deployment' ? `${wl.owner.name}-${alnum(r, 5)}` : wl.kind === 'StatefulSet' ? `${wl.name}-${k}` : `${wl.name}-${alnum(r, 5)}`;
      const node = nodeNames[Math.floor(r() * nodeNames.length)] as string;
      const ip = `10.${100 + ((podSeq >> 16) & 127)}.${(podSeq >> 8) & 255}.${podSeq & 255}`;
      const meta = { name, namespace: wl.namespace, uid: uid(), resourceVersion: String(++rv) };
      const start = at(wl.age);
      const failingPod = wl.cause !== undefined;
      const completedJob = !failingPod && wl.kind === 'Job' && r() < 0.7;
      const statusFor = (c: Obj, idx: number) => {
        const img = String(c.image);
        const isApp = idx === 0;
        if (failingPod && isApp) {
          const backoff = r() < 0.7;
          return {
            image: img, imageID: '', lastState: {}, name: c.name, ready: false, restartCount: 0, started: false,
            state: { waiting: backoff ? { message: `Back-off pulling image "${img}"`, reason: 'ImagePullBackOff' } : { message: pullMessage(wl.cause as Cause, img), reason: 'ErrImagePull' } },
          };
        }
        if (completedJob)
          return { containerID: `containerd://${hex(r, 64)}`, image: img, imageID: `${img.split(':')[0]}@sha256:${hex(r, 64)}`, lastState: {}, name: c.name, ready: false, restartCount: 0, started: false, state: { terminated: { containerID: `containerd://${hex(r, 16)}`, exitCode: 0, finishedAt: at(wl.age - 2), reason: 'Completed', startedAt: start } } };
        return { containerID: `containerd://${hex(r, 64)}`, image: img, imageID: `${img.split(':')[0]}@sha256:${hex(r, 64)}`, lastState: {}, name: c.name, ready: !failingPod, restartCount: r() < 0.05 ? 1 + Math.floor(r() * 3) : 0, started: true, state: { running: { startedAt: start } } };
      };
      const pod: Obj = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          creationTimestamp: start,
          ...(wl.kind === 'StatefulSet' ? {} : { generateName: `${wl.owner.name}-` }),
          labels: wl.kind === 'StatefulSet' ? { ...wl.labels, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(k) } : wl.labels,
          managedFields: wl.managedFields,
          name,
          namespace: wl.namespace,
          ownerReferences: [{ apiVersion: wl.kind === 'Job' ? 'batch/v1' : 'apps/v1', blockOwnerDeletion: true, controller: true, kind: wl.owner.kind, name: wl.owner.name, uid: wl.owner.uid }],
          resourceVersion: meta.resourceVersion,
          uid: meta.uid,
        },
        spec: {
          containers: wl.containers,
          dnsPolicy: 'ClusterFirst',
          enableServiceLinks: true,
          ...(wl.pullSecrets ? { imagePullSecrets: wl.pullSecrets } : {}),
          ...(wl.initContainers ? { initContainers: wl.initContainers } : {}),
          nodeName: node,
          preemptionPolicy: 'PreemptLowerPriority',
          priority: 0,
          restartPolicy: wl.kind === 'Job' ? 'Never' : 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          serviceAccount: wl.serviceAccount,
          serviceAccountName: wl.serviceAccount,
          terminationGracePeriodSeconds: 30,
          tolerations: TOLERATIONS,
          volumes: wl.volumes,
        },
        status: {
          conditions: failingPod
            ? [
                { lastProbeTime: null, lastTransitionTime: start, status: 'True', type: 'PodReadyToStartContainers' },
                { lastProbeTime: null, lastTransitionTime: start, status: 'True', type: 'Initialized' },
                { lastProbeTime: null, lastTransitionTime: start, message: 'containers with unready status: [app]', reason: 'ContainersNotReady', status: 'False', type: 'Ready' },
                { lastProbeTime: null, lastTransitionTime: start, message: 'containers with unready status: [app]', reason: 'ContainersNotReady', status: 'False', type: 'ContainersReady' },
                { lastProbeTime: null, lastTransitionTime: start, status: 'True', type: 'PodScheduled' },
              ]
            : runningCondition(start),
          containerStatuses: wl.containers.map(statusFor),
          ...(wl.initContainers ? { initContainerStatuses: wl.initContainers.map((c) => ({ containerID: `containerd://${hex(r, 64)}`, image: c.image, imageID: `docker.io/library/busybox@sha256:${hex(r, 64)}`, lastState: {}, name: c.name, ready: true, restartCount: 0, started: false, state: { terminated: { exitCode: 0, finishedAt: start, reason: 'Completed', startedAt: start } } })) } : {}),
          hostIP: '10.0.0.11',
          hostIPs: [{ ip: '10.0.0.11' }],
          phase: failingPod ? 'Pending' : completedJob ? 'Succeeded' : 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          qosClass: 'Burstable',
          startTime: start,
        },
      };
      pods.push(pod);

      // Events. The API keeps events for an hour: old healthy pods have none left, young ones
      // have their start-up story, failing pods have the whole pull story (recurring).
      const fp = 'spec.containers{app}';
      const young = wl.age < 60;
      if (failingPod) {
        const img = wl.failingImage as string;
        const age = Math.min(wl.age, 55);
        event(meta, { reason: 'Scheduled', message: `Successfully assigned ${wl.namespace}/${name} to ${node}`, first: age, node, scheduler: true });
        if (wl.cause === 'secret-missing' || wl.cause === 'secret-other-namespace')
          event(meta, { reason: 'FailedToRetrieveImagePullSecret', message: `Unable to retrieve some image pull secrets (${(wl.pullSecrets ?? []).map((s) => s.name).join(', ')}); attempting to pull the image may not succeed.`, type: 'Warning', count: 30 + Math.floor(r() * 200), first: age, last: 0.5, node });
        const n = 5 + Math.floor(r() * 20);
        event(meta, { reason: 'Pulling', message: `Pulling image "${img}"`, count: n, first: age, last: 2, node, fieldPath: fp });
        event(meta, { reason: 'Failed', message: pullMessage(wl.cause as Cause, img), type: 'Warning', count: n, first: age, last: 2, node, fieldPath: fp });
        event(meta, { reason: 'Failed', message: 'Error: ErrImagePull', type: 'Warning', count: n, first: age, last: 2, node, fieldPath: fp });
        event(meta, { reason: 'BackOff', message: `Back-off pulling image "${img}"`, count: 20 + Math.floor(r() * 400), first: age, last: 0.2, node, fieldPath: fp });
        event(meta, { reason: 'Failed', message: 'Error: ImagePullBackOff', type: 'Warning', count: 20 + Math.floor(r() * 400), first: age, last: 0.2, node, fieldPath: fp });
      } else {
        const img = String((wl.containers[0] as Obj).image);
        // Ordinary noise: probes, restarts, scheduling; recent starts; ~3.5 per healthy pod.
        const x = r();
        if (young || x < 0.82) {
          const t = young ? wl.age : 5 + r() * 50;
          event(meta, { reason: 'Scheduled', message: `Successfully assigned ${wl.namespace}/${name} to ${node}`, first: t, node, scheduler: true });
          if (r() < 0.3) event(meta, { reason: 'Pulling', message: `Pulling image "${img}"`, first: t, node, fieldPath: fp });
          event(meta, r() < 0.7 ? { reason: 'Pulled', message: `Container image "${img}" already present on machine`, first: t, node, fieldPath: fp } : { reason: 'Pulled', message: `Successfully pulled image "${img}" in ${(0.5 + r() * 9).toFixed(3)}s (${(0.5 + r() * 9).toFixed(3)}s including waiting). Image size: ${20_000_000 + Math.floor(r() * 300_000_000)} bytes.`, first: t, node, fieldPath: fp });
          event(meta, { reason: 'Created', message: 'Created container: app', first: t, node, fieldPath: fp });
          event(meta, { reason: 'Started', message: 'Started container app', first: t, node, fieldPath: fp });
          if (completedJob && r() < 0.5) event(meta, { reason: 'Completed', message: 'Job completed', first: t, node });
        } else if (x < 0.97) {
          event(meta, { reason: 'Unhealthy', message: 'Readiness probe failed: Get "http://' + ip + ':8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', type: 'Warning', count: 1 + Math.floor(r() * 12), first: 50, last: 1 + r() * 40, node, fieldPath: fp });
        }
        // Otherwise: an old healthy pod, its events have expired.
      }
    }
  }

  // Distinct secrets pods name (pod-level and through their ServiceAccount), and missing names.
  const haveSecret = new Set(secrets.map((s) => `${String((s.metadata as Obj).namespace)}/${String((s.metadata as Obj).name)}`));
  const refs = new Set<string>();
  const saPullOf = (ns: string, sa: string) => saSecrets.get(`${ns}/${sa}`) ?? [];
  for (const p of pods) {
    const meta = p.metadata as Obj;
    const spec = p.spec as Obj;
    const ns = String(meta.namespace);
    for (const s of (spec.imagePullSecrets as { name: string }[] | undefined) ?? []) refs.add(`${ns}/${s.name}`);
    for (const s of saPullOf(ns, String(spec.serviceAccountName))) refs.add(`${ns}/${s}`);
  }
  const missing = new Set([...refs].filter((k) => !haveSecret.has(k)).map((k) => k.split('/')[1] as string));

  return {
    pods,
    events,
    secrets,
    serviceAccounts,
    nodes,
    stats: {
      pods: pods.length,
      events: events.length,
      secrets: secrets.length,
      serviceAccounts: serviceAccounts.length,
      nodes: nodes.length,
      namespaces: nsCount,
      workloads: counts,
      failingPods: failing,
      failingWorkloads,
      failingNamespaces: new Set(workloads.filter((w) => w.cause !== undefined).map((w) => w.namespace)).size,
      causes,
      referencedSecrets: refs.size,
      missingSecretNames: missing.size,
    },
  };
}

/** The runtime's error text, as the kubelet puts it in the `Failed` event. */
export function pullMessage(cause: Cause, image: string): string {
  const ref = image.includes('/') && /^[^/]+[.:]/.test(image) ? image : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
  const host = ref.split('/')[0] as string;
  const repo = ref.slice(host.length + 1).replace(/[:@].*$/, '');
  const tag = /:([^:/]+)$/.exec(image)?.[1] ?? 'latest';
  const pre = `Failed to pull image "${image}": `;
  switch (cause) {
    case 'image-not-found':
      return `${pre}rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
    case 'auth-rejected':
    case 'secret-missing':
    case 'secret-other-namespace':
      return `${pre}failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pulling from host ${host} failed with status code [manifests ${tag}]: 401 Unauthorized`;
    case 'rate-limited':
      return `${pre}rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to copy: httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/${repo}/manifests/sha256:d027bc817b39926fc67c1b461631a5fc9510e48aaee8a4ba7c9aace27eeac54a: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit`;
    case 'unreachable':
      return `${pre}rpc error: code = Unknown desc = pinging container registry ${host}: Get "https://${host}/v2/": dial tcp: lookup ${host.replace(/:\d+$/, '')} on 127.0.0.53:53: no such host`;
    case 'tls':
      return `${pre}failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://${host}/v2/${repo}/manifests/${tag}": tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    case 'access-denied':
      return `${pre}rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    case 'platform-mismatch':
      return `${pre}rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": no match for platform in manifest: not found`;
  }
}
