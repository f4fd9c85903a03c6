/**
 * Churn for the watch benchmark: what happens to a cluster while `pulldoctor -w` follows it.
 * Pure object builders; bench/apiserver-child.ts applies them to the API double (whose watch
 * streams carry them to pulldoctor) when bench/watch.ts asks.
 *
 * Stories: workload `churn-<s>` (a Deployment's pod) in one of the first five namespaces of the
 * generated cluster (the same five at every size, so runs at different sizes see the same
 * churn). Each story is five changes, each one visible on the UI's list when it arrives:
 *   1. `fail`    the pod appears, its image pull failing (ImagePullBackOff, no reason yet), naming
 *                a pull secret that does not exist;
 *   2. `event`   the kubelet's events arrive: FailedToRetrieveImagePullSecret and the registry's
 *                401 (the cause);
 *   3. `secret`  the missing pull secret is created;
 *   4. `recover` the pod runs (the pull went through): its finding is fixed;
 *   5. `delete`  the pod, its events and the secret go away (a rollout cleaning up; not timed:
 *                the list already shows the fix).
 * Background noise, about once a second: a healthy pod's status changes (a restart) or a
 * Normal event arrives for one; neither changes a finding.
 */
import { pullMessage, type Obj } from './generate.js';

export type ChurnStep = 'fail' | 'event' | 'secret' | 'recover' | 'delete';
export const STORY: ChurnStep[] = ['fail', 'event', 'secret', 'recover', 'delete'];

const PRIVATE = 'registry.corp.example.com';
/** The generator's first five namespaces (present at every size from 1k pods up). */
export const CHURN_NAMESPACES = ['payments-prod', 'checkout-prod', 'search-prod', 'identity-prod', 'ledger-prod'];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export interface StoryNames {
  namespace: string;
  workload: string;
  replicaSet: string;
  pod: string;
  secret: string;
  image: string;
}

export function storyNames(s: number): StoryNames {
  const namespace = CHURN_NAMESPACES[s % CHURN_NAMESPACES.length] as string;
  const workload = `churn-${s}`;
  const replicaSet = `${workload}-6b7f9c${(s % 10).toString()}d4`;
  return {
    namespace,
    workload,
    replicaSet,
    pod: `${replicaSet}-x${(s % 100).toString().padStart(2, '0')}kq`,
    secret: `${workload}-registry`,
    image: `${PRIVATE}/${namespace.split('-')[0] ?? 'team'}/churn:${s}.1.0`,
  };
}

function pod(n: StoryNames, state: 'backoff' | 'running', nowMs: number): Obj {
  const start = iso(nowMs - 60_000);
  const waiting = state === 'backoff';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: n.pod,
      namespace: n.namespace,
      uid: `c4a11000-0000-4000-8000-${n.workload.replace(/\D/g, '').padStart(12, '0')}`,
      generateName: `${n.replicaSet}-`,
      creationTimestamp: start,
      labels: { app: n.workload, 'pod-template-hash': n.replicaSet.split('-').pop() as string },
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: n.replicaSet, uid: `c4a12000-0000-4000-8000-${n.workload.replace(/\D/g, '').padStart(12, '0')}` }],
    },
    spec: {
      containers: [{ name: 'app', image: n.image, imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
      imagePullSecrets: [{ name: n.secret }],
      nodeName: 'ip-10-0-0-10.eu-west-1.compute.internal',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      serviceAccount: 'app',
      serviceAccountName: 'app',
    },
    status: {
      phase: waiting ? 'Pending' : 'Running',
      conditions: [
        { type: 'Ready', status: waiting ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: start },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: start },
      ],
      containerStatuses: [
        waiting
          ? { name: 'app', image: n.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${n.image}"` } }, lastState: {} }
          : { name: 'app', image: n.image, imageID: `${n.image.split(':')[0] ?? n.image}@sha256:${'7'.repeat(64)}`, containerID: `containerd://${'5'.repeat(64)}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: iso(nowMs) } }, lastState: {} },
      ],
      hostIP: '10.0.0.10',
      podIP: '10.200.0.10',
      qosClass: 'Burstable',
      startTime: start,
    },
  };
}

function event(n: StoryNames, reason: string, message: string, nowMs: number, i: number, fieldPath?: string): Obj {
  const t = iso(nowMs);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${n.pod}.18c${i}f0a${n.workload.replace(/\D/g, '')}`, namespace: n.namespace, creationTimestamp: iso(nowMs - 50_000) },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: n.pod, namespace: n.namespace, uid: `c4a11000-0000-4000-8000-${n.workload.replace(/\D/g, '').padStart(12, '0')}`, ...(fieldPath ? { fieldPath } : {}) },
    reason,
    message,
    type: 'Warning',
    count: 3,
    firstTimestamp: iso(nowMs - 50_000),
    lastTimestamp: t,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'ip-10-0-0-10.eu-west-1.compute.internal',
    source: { component: 'kubelet', host: 'ip-10-0-0-10.eu-west-1.compute.internal' },
  };
}

function secret(n: StoryNames): Obj {
  const auth = Buffer.from('robot$churn:not-a-real-token').toString('base64');
  const cfg = Buffer.from(JSON.stringify({ auths: { [PRIVATE]: { auth } } })).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: n.secret, namespace: n.namespace }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': cfg } };
}

/** What one step writes (`add`) and removes (`remove`). `nowMs` is the cluster clock. */
export function churnChange(s: number, step: ChurnStep, nowMs: number): { add: Obj[]; remove: { kind: string; name: string; namespace: string }[] } {
  const n = storyNames(s);
  switch (step) {
    case 'fail':
      return { add: [pod(n, 'backoff', nowMs)], remove: [] };
    case 'event':
      return {
        add: [
          event(n, 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${n.secret}); attempting to pull the image may not succeed.`, nowMs, 1),
          event(n, 'Failed', pullMessage('secret-missing', n.image), nowMs, 2, 'spec.containers{app}'),
        ],
        remove: [],
      };
    case 'secret':
      return { add: [secret(n)], remove: [] };
    case 'recover':
      return { add: [pod(n, 'running', nowMs)], remove: [] };
    case 'delete':
      return {
        add: [],
        remove: [
          { kind: 'Pod', name: n.pod, namespace: n.namespace },
          { kind: 'Event', name: `${n.pod}.18c1f0a${n.workload.replace(/\D/g, '')}`, namespace: n.namespace },
          { kind: 'Event', name: `${n.pod}.18c2f0a${n.workload.replace(/\D/g, '')}`, namespace: n.namespace },
          { kind: 'Secret', name: n.secret, namespace: n.namespace },
        ],
      };
  }
}

/**
 * One piece of background noise: a healthy pod restarted (its status changes), or a Normal
 * event about one. `pick` chooses among the cluster's healthy pods. Returns the objects to write
 * and, for events, the name to delete later (noise events are kept to the last 100).
 */
export function noiseChange(i: number, healthy: Obj, nowMs: number): Obj {
  const meta = healthy.metadata as Obj;
  if (i % 2 === 0) {
    const status = healthy.status as Obj;
    const cs = ((status.containerStatuses as Obj[] | undefined) ?? []).map((c, k) => (k === 0 ? { ...c, restartCount: Number(c.restartCount ?? 0) + 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: iso(nowMs) } } } : c));
    return { ...healthy, status: { ...status, containerStatuses: cs } };
  }
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${String(meta.name)}.noise${i}`, namespace: meta.namespace, creationTimestamp: iso(nowMs) },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: meta.name, namespace: meta.namespace, uid: meta.uid, fieldPath: 'spec.containers{app}' },
    reason: 'Started',
    message: 'Started container app',
    type: 'Normal',
    count: 1,
    firstTimestamp: iso(nowMs),
    lastTimestamp: iso(nowMs),
    eventTime: null,
    reportingComponent: 'kubelet',
    source: { component: 'kubelet', host: 'ip-10-0-0-11.eu-west-1.compute.internal' },
  };
}
