/**
 * Raw objects shaped exactly like `kubectl get -o yaml` prints them (server-populated fields
 * included), generated so tests can make one pod or fifty thousand.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

type Obj = Record<string, unknown>;

const T0 = '2025-05-01T09:00:00Z';
const T1 = '2025-05-01T09:00:02Z';
const T2 = '2025-05-01T09:12:40Z';

let seq = 0;
const uid = (): string => {
  const n = (++seq).toString(16).padStart(12, '0');
  return `6f1c2a9e-0b7d-4c1e-9a3f-${n}`;
};

export interface PodSpecInput {
  namespace: string;
  name: string;
  image?: string;
  /** Pod-level imagePullSecrets names. */
  pullSecrets?: string[];
  serviceAccount?: string;
  labels?: Record<string, string>;
  node?: string;
  /** Container waiting in this state (e.g. ImagePullBackOff); running when absent. */
  waiting?: { reason: string; message: string };
  /** Owning ReplicaSet name (adds `pod-template-hash`). */
  replicaSet?: string;
}

export function pod(p: PodSpecInput): Obj {
  const image = p.image ?? 'registry.example.com/team/app:1.4.2';
  const sa = p.serviceAccount ?? 'default';
  const node = p.node ?? 'worker-1';
  const hash = p.replicaSet ? p.replicaSet.split('-').pop() : undefined;
  const tokenVol = `kube-api-access-${(seq % 100000).toString(36).padStart(5, 'x')}`;
  const running = !p.waiting;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: T0,
      ...(p.replicaSet ? { generateName: `${p.replicaSet}-` } : {}),
      labels: { app: p.name.split('-')[0] ?? p.name, ...(hash ? { 'pod-template-hash': hash } : {}), ...(p.labels ?? {}) },
      name: p.name,
      namespace: p.namespace,
      ...(p.replicaSet
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: p.replicaSet, uid: uid() },
            ],
          }
        : {}),
      resourceVersion: String(100000 + seq),
      uid: uid(),
    },
    spec: {
      containers: [
        {
          image,
          imagePullPolicy: 'IfNotPresent',
          name: 'app',
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: tokenVol, readOnly: true }],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      ...(p.pullSecrets ? { imagePullSecrets: p.pullSecrets.map((name) => ({ name })) } : {}),
      nodeName: node,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: sa,
      serviceAccountName: sa,
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
      volumes: [
        {
          name: tokenVol,
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
    },
    status: {
      conditions: [
        { lastProbeTime: null, lastTransitionTime: T1, status: 'True', type: 'PodReadyToStartContainers' },
        { lastProbeTime: null, lastTransitionTime: T0, status: 'True', type: 'Initialized' },
        running
          ? { lastProbeTime: null, lastTransitionTime: T1, status: 'True', type: 'Ready' }
          : { lastProbeTime: null, lastTransitionTime: T0, message: 'containers with unready status: [app]', reason: 'ContainersNotReady', status: 'False', type: 'Ready' },
        running
          ? { lastProbeTime: null, lastTransitionTime: T1, status: 'True', type: 'ContainersReady' }
          : { lastProbeTime: null, lastTransitionTime: T0, message: 'containers with unready status: [app]', reason: 'ContainersNotReady', status: 'False', type: 'ContainersReady' },
        { lastProbeTime: null, lastTransitionTime: T0, status: 'True', type: 'PodScheduled' },
      ],
      containerStatuses: [
        {
          image,
          imageID: running ? `${image.split(':')[0]}@sha256:${'ab'.repeat(32)}` : '',
          lastState: {},
          name: 'app',
          ready: running,
          restartCount: 0,
          started: running,
          state: running ? { running: { startedAt: T1 } } : { waiting: p.waiting },
          volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: tokenVol, readOnly: true, recursiveReadOnly: 'Disabled' }],
        },
      ],
      hostIP: '10.0.0.11',
      hostIPs: [{ ip: '10.0.0.11' }],
      phase: running ? 'Running' : 'Pending',
      podIP: `10.244.${(seq >> 8) & 255}.${seq & 255}`,
      podIPs: [{ ip: `10.244.${(seq >> 8) & 255}.${seq & 255}` }],
      qosClass: 'Burstable',
      startTime: T0,
    },
  };
}

/** A core v1 Event about a pod's container, as the kubelet records it. */
export function podEvent(
  target: Obj,
  e: { reason: string; message: string; type?: string; count?: number; name?: string },
): Obj {
  const meta = target.metadata as Obj;
  return {
    apiVersion: 'v1',
    count: e.count ?? 1,
    eventTime: null,
    firstTimestamp: T0,
    involvedObject: {
      apiVersion: 'v1',
      fieldPath: 'spec.containers{app}',
      kind: 'Pod',
      name: meta.name,
      namespace: meta.namespace,
      resourceVersion: meta.resourceVersion,
      uid: meta.uid,
    },
    kind: 'Event',
    lastTimestamp: T2,
    message: e.message,
    metadata: {
      creationTimestamp: T0,
      name: e.name ?? `${String(meta.name)}.17d3a${(++seq).toString(16).padStart(11, '0')}`,
      namespace: meta.namespace,
      resourceVersion: String(200000 + seq),
      uid: uid(),
    },
    reason: e.reason,
    reportingComponent: 'kubelet',
    reportingInstance: 'worker-1',
    source: { component: 'kubelet', host: 'worker-1' },
    type: e.type ?? 'Warning',
  };
}

/** A kubernetes.io/dockerconfigjson Secret. `auth` values are fake but well formed. */
export function pullSecret(namespace: string, name: string, registry = 'registry.example.com', user = 'robot'): Obj {
  const password = `pw-${namespace}-${name}`;
  const cfg = { auths: { [registry]: { username: user, password, auth: Buffer.from(`${user}:${password}`).toString('base64') } } };
  return {
    apiVersion: 'v1',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(cfg)).toString('base64') },
    kind: 'Secret',
    metadata: { creationTimestamp: T0, name, namespace, resourceVersion: String(300000 + ++seq), uid: uid() },
    type: 'kubernetes.io/dockerconfigjson',
  };
}

export function serviceAccount(namespace: string, name = 'default', pullSecrets?: string[]): Obj {
  return {
    apiVersion: 'v1',
    ...(pullSecrets ? { imagePullSecrets: pullSecrets.map((n) => ({ name: n })) } : {}),
    kind: 'ServiceAccount',
    metadata: { creationTimestamp: T0, name, namespace, resourceVersion: String(400000 + ++seq), uid: uid() },
  };
}

export function node(name: string, arch = 'amd64'): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      creationTimestamp: T0,
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
      name,
      resourceVersion: String(500000 + ++seq),
      uid: uid(),
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    status: {
      conditions: [
        { lastHeartbeatTime: T2, lastTransitionTime: T0, message: 'kubelet has no disk pressure', reason: 'KubeletHasNoDiskPressure', status: 'False', type: 'DiskPressure' },
        { lastHeartbeatTime: T2, lastTransitionTime: T0, message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' },
      ],
      nodeInfo: {
        architecture: arch,
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.8.0-1015',
        kubeProxyVersion: 'v1.32.0',
        kubeletVersion: 'v1.32.0',
        operatingSystem: 'linux',
        osImage: 'Ubuntu 24.04.1 LTS',
      },
    },
  };
}

/** Objects from YAML/JSON files (multi-document and `List`s allowed). */
export function loadObjectFiles(files: string[]): unknown[] {
  const out: unknown[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (/^\s*[[{]/.test(text)) out.push(JSON.parse(text));
    else for (const doc of parseAllDocuments(text)) out.push(doc.toJS());
  }
  return out;
}

export const IMAGE_PULL_BACKOFF = {
  reason: 'ImagePullBackOff',
  message: 'Back-off pulling image "registry.example.com/team/app:1.4.2"',
};

export const FAILED_PULL_MESSAGE =
  'Failed to pull image "registry.example.com/team/app:1.4.2": failed to resolve reference "registry.example.com/team/app:1.4.2": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://registry.example.com/token: 401 Unauthorized';
