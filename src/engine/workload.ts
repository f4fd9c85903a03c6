/**
 * The owning workload of a pod, so 40 pods of one Deployment read as one problem.
 * Uses ReplicaSets/Jobs from the dump when present, else the controllers' naming
 * conventions (ReplicaSet `<deployment>-<pod-template-hash>`, CronJob Job
 * `<cronjob>-<scheduled minutes>`).
 */
import type { OwnerObject, OwnerRef, Pod } from '../model/kube.js';
import type { WorkloadRef } from '../model/finding.js';
import { NsMap } from './ns-map.js';

/** The snapshot's owners by kind, namespace and name (the last one read wins). */
export class OwnerIndex {
  private readonly byKind = new Map<string, NsMap<OwnerObject>>();

  constructor(owners: OwnerObject[]) {
    for (const o of owners) {
      let m = this.byKind.get(o.kind);
      if (!m) {
        m = new NsMap();
        this.byKind.set(o.kind, m);
      }
      m.set(o.metadata.namespace, o.metadata.name, o);
    }
  }

  get(kind: string, ns: string, name: string): OwnerObject | undefined {
    return this.byKind.get(kind)?.get(ns, name);
  }
}

export function indexOwners(owners: OwnerObject[]): OwnerIndex {
  return new OwnerIndex(owners);
}

function controllerOf(refs: OwnerRef[] | undefined): OwnerRef | undefined {
  if (!refs?.length) return undefined;
  return refs.find((r) => r.controller) ?? refs[0];
}

export function resolveWorkload(pod: Pod, owners: OwnerIndex): WorkloadRef {
  const ns = pod.metadata.namespace;
  const ref = controllerOf(pod.metadata.ownerReferences);
  if (!ref || !ref.kind || !ref.name) return { kind: 'Pod', name: pod.metadata.name };
  if (ref.kind === 'ReplicaSet') {
    const rs = owners.get('ReplicaSet', ns, ref.name);
    const up = controllerOf(rs?.metadata.ownerReferences);
    if (up?.kind && up.name) return { kind: up.kind, name: up.name };
    if (rs) return { kind: 'ReplicaSet', name: ref.name };
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (hash && ref.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) };
    return { kind: 'ReplicaSet', name: ref.name };
  }
  if (ref.kind === 'Job') {
    const job = owners.get('Job', ns, ref.name);
    const up = controllerOf(job?.metadata.ownerReferences);
    if (up?.kind && up.name) return { kind: up.kind, name: up.name };
    if (!job) {
      const m = /^(.+)-(\d{8,})$/.exec(ref.name);
      if (m?.[1]) return { kind: 'CronJob', name: m[1] };
    }
    return { kind: 'Job', name: ref.name };
  }
  return { kind: ref.kind, name: ref.name };
}
