/**
 * Generate a `kubectl get pods,events,secrets,serviceaccounts -o yaml` dump (a `kind: List`,
 * the shape of fixtures/<rule>/fires.yaml) of Deployment pods whose image pulls fail the way
 * the kubelet reports them with containerd: a `Failed to pull image` event with the runtime
 * error, `Error: ErrImagePull`, back-off events, and the ImagePullBackOff waiting status that
 * repeats the previous error. Pull secrets are `kubernetes.io/dockerconfigjson`.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

export interface DumpCredential {
  username: string;
  password: string;
}

export interface DumpSecret {
  name: string;
  /** registry key (e.g. `127.0.0.1:5000`) → credential */
  auths: Record<string, DumpCredential>;
  /** metadata.creationTimestamp */
  createdAt?: string;
}

export interface DumpPod {
  /** Deployment name; the pod is `<name>-<rs hash>-<suffix>`. */
  deployment: string;
  container?: string;
  image: string;
  imagePullSecrets?: string[];
  /** The runtime's error, as it follows `Failed to pull image "<image>": ` in the kubelet's event. */
  error: string;
}

export interface DumpOptions {
  namespace: string;
  /** The dump's clock: events end a minute before it. */
  now: string;
  node?: string;
  pods: DumpPod[];
  secrets: DumpSecret[];
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);
const uid = (seed: string) => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const at = (now: string, minutesBefore: number) => new Date(Date.parse(now) - minutesBefore * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The `.dockerconfigjson` document kubectl create secret docker-registry writes. */
export function dockerConfigJson(auths: Record<string, DumpCredential>): string {
  const out: Record<string, { username: string; password: string; auth: string }> = {};
  for (const [key, c] of Object.entries(auths)) out[key] = { username: c.username, password: c.password, auth: b64(`${c.username}:${c.password}`) };
  return JSON.stringify({ auths: out });
}

function podItems(o: DumpOptions, p: DumpPod): unknown[] {
  const container = p.container ?? 'app';
  const rsHash = hex(`${o.namespace}/${p.deployment}`, 10);
  const rs = `${p.deployment}-${rsHash}`;
  const pod = `${rs}-${hex(`${rs}/pod`, 5)}`;
  const podUid = uid(`${o.namespace}/${pod}`);
  const node = o.node ?? 'worker-1';
  const created = at(o.now, 75);
  const involved = {
    apiVersion: 'v1',
    fieldPath: `spec.containers{${container}}`,
    kind: 'Pod',
    name: pod,
    namespace: o.namespace,
    resourceVersion: '770679',
    uid: podUid,
  };
  const event = (suffix: string, type: 'Normal' | 'Warning', reason: string, message: string, count: number, first: number, last: number) => ({
    apiVersion: 'v1',
    count,
    eventTime: null,
    firstTimestamp: at(o.now, first),
    involvedObject: involved,
    kind: 'Event',
    lastTimestamp: at(o.now, last),
    message,
    metadata: { creationTimestamp: at(o.now, first), name: `${pod}.${hex(`${pod}/${suffix}`, 16)}`, namespace: o.namespace, resourceVersion: '278065', uid: uid(`${pod}/${suffix}`) },
    reason,
    reportingComponent: 'kubelet',
    reportingInstance: node,
    source: { component: 'kubelet', host: node },
    type,
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        creationTimestamp: created,
        generateName: `${rs}-`,
        labels: { 'app.kubernetes.io/name': p.deployment, 'pod-template-hash': rsHash },
        name: pod,
        namespace: o.namespace,
        ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: rs, uid: uid(`${o.namespace}/${rs}`) }],
        resourceVersion: '770679',
        uid: podUid,
      },
      spec: {
        containers: [
          {
            image: p.image,
            imagePullPolicy: 'IfNotPresent',
            name: container,
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: true,
        ...(p.imagePullSecrets?.length ? { imagePullSecrets: p.imagePullSecrets.map((name) => ({ name })) } : {}),
        nodeName: node,
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        serviceAccount: 'default',
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
      },
      status: {
        conditions: [
          { lastProbeTime: null, lastTransitionTime: created, status: 'True', type: 'Initialized' },
          { lastProbeTime: null, lastTransitionTime: created, message: `containers with unready status: [${container}]`, reason: 'ContainersNotReady', status: 'False', type: 'Ready' },
          { lastProbeTime: null, lastTransitionTime: created, status: 'True', type: 'PodScheduled' },
        ],
        containerStatuses: [
          {
            image: p.image,
            imageID: '',
            lastState: {},
            name: container,
            ready: false,
            restartCount: 0,
            started: false,
            state: { waiting: { message: `Back-off pulling image "${p.image}": ErrImagePull: ${p.error}`, reason: 'ImagePullBackOff' } },
          },
        ],
        hostIP: '10.0.3.41',
        phase: 'Pending',
        qosClass: 'BestEffort',
        startTime: created,
      },
    },
    event('pulling', 'Normal', 'Pulling', `Pulling image "${p.image}"`, 9, 74, 3),
    event('failed', 'Warning', 'Failed', `Failed to pull image "${p.image}": ${p.error}`, 9, 74, 3),
    event('errimagepull', 'Warning', 'Failed', 'Error: ErrImagePull', 9, 74, 3),
    event('backoff', 'Normal', 'BackOff', `Back-off pulling image "${p.image}"`, 120, 73, 1),
    event('imagepullbackoff', 'Warning', 'Failed', 'Error: ImagePullBackOff', 120, 73, 1),
  ];
}

function secretItem(o: DumpOptions, s: DumpSecret): unknown {
  return {
    apiVersion: 'v1',
    data: { '.dockerconfigjson': b64(dockerConfigJson(s.auths)) },
    kind: 'Secret',
    metadata: {
      creationTimestamp: s.createdAt ?? at(o.now, 60 * 24),
      name: s.name,
      namespace: o.namespace,
      resourceVersion: '20405',
      uid: uid(`${o.namespace}/secret/${s.name}`),
    },
    type: 'kubernetes.io/dockerconfigjson',
  };
}

/** The dump as YAML text. */
export function kubectlDump(o: DumpOptions): string {
  const items = [
    ...o.pods.flatMap((p) => podItems(o, p)),
    ...o.secrets.map((s) => secretItem(o, s)),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { creationTimestamp: at(o.now, 60 * 24 * 90), name: 'default', namespace: o.namespace, resourceVersion: '75855', uid: uid(`${o.namespace}/sa/default`) },
    },
  ];
  return (
    `# kubectl get pods,events,secrets,serviceaccounts -n ${o.namespace} -o yaml\n` +
    stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, { lineWidth: 0 })
  );
}

// ───────────── containerd wordings (see test/data/runtime-messages.ts for the real ones) ─────────────

/** containerd ≥ 1.7: the manifest request answered 401 (Basic auth, wrong or no credentials). */
export const containerdStatus = (image: string, host: string, reference: string, status: string) =>
  `failed to pull and unpack image "${image}": failed to resolve reference "${image}": pulling from host ${host} failed with status code [manifests ${reference}]: ${status}`;

/** containerd: the token service refused the credentials (Bearer flow). */
export const containerdOauth = (image: string, realm: string, repo: string, service: string, status: string) =>
  `failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to ${realm}?scope=${encodeURIComponent(`repository:${repo}:pull`)}&service=${encodeURIComponent(service)}: ${status}`;

/** containerd: the registry answered 404 for the manifest (tag or repository missing). */
export const containerdNotFound = (image: string) =>
  `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;

/** containerd: an HTTP-only registry addressed over HTTPS. */
export const containerdHttp = (image: string, host: string, repo: string, reference: string) =>
  `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://${host}/v2/${repo}/manifests/${reference}": http: server gave HTTP response to HTTPS client`;
