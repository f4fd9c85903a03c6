/**
 * `pulldoctor check`, end to end: manifests → pod templates (+ the set's Secrets and
 * ServiceAccounts) → what the cluster holds (a live context, a dump, or nothing) → engine with
 * the check's rules (and the registry probe with --probe) → Report whose findings carry their
 * manifest location. Objects of the manifest set win over the cluster's: they are what is about
 * to be applied. The only module that wires the manifest reader, the check's cluster read, the
 * probe, the engine and the check's rule set.
 */
import { CHECK_RULES } from '../rules/check-rules.js';
import type { ApiRequestObserver } from './collect/api-transport.js';
import type { CheckCluster } from './collect/check-plan.js';
import { collectFiles } from './collect/file.js';
import { analyseSnapshot } from './engine/analyse.js';
import type { Report } from './model/finding.js';
import type { SecretObject, ServiceAccount } from './model/kube.js';
import { emptySnapshot, type Snapshot, type SourceInfo } from './model/snapshot.js';
import { readManifests } from './manifests/reader.js';
import { applyServiceAccountPullSecrets, manifestSet, namespacesWithUncoveredImages, type ManifestSet } from './manifests/templates.js';
import type { ProbeOptions } from './probe/probe.js';

export type CheckAgainst =
  | { kind: 'none' }
  | {
      kind: 'cluster';
      kubeconfig?: string;
      context?: string;
      requestTimeoutMs?: number;
      deadlineMs?: number;
      onRequest?: ApiRequestObserver;
      env?: NodeJS.ProcessEnv;
    }
  | { kind: 'file'; paths: string[] };

export interface CheckOptions {
  /** Files, directories, `-`. */
  paths: string[];
  readStdin?: () => Promise<Buffer>;
  /** `-n`: the namespace of objects whose manifest names none. */
  namespace?: string;
  against: CheckAgainst;
  /** `--probe`: ask each image's registry with the credentials the kubelet would send. */
  probe?: ProbeOptions;
  now?: Date;
}

const key = (o: { metadata: { namespace: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;

/** The manifest set's objects first; the cluster's only where the set has none of that name. */
function merged<T extends { metadata: { namespace: string; name: string } }>(mine: T[], theirs: T[]): T[] {
  const have = new Set(mine.map(key));
  return [...mine, ...theirs.filter((o) => !have.has(key(o)))];
}

/** What a live context holds for the set: the reads of src/collect/check-plan.ts. */
async function readCluster(cluster: CheckCluster, set: ManifestSet) {
  const setSecrets = new Set(set.secrets.map(key));
  const setSas = new Map(set.serviceAccounts.map((s) => [key(s), s] as const));
  const saOf = (p: (typeof set.pods)[number]) => `${p.metadata.namespace}/${p.spec.serviceAccountName ?? 'default'}`;
  return cluster.read({
    serviceAccounts: set.pods
      .filter((p) => !setSas.has(saOf(p)))
      .map((p) => ({ namespace: p.metadata.namespace, name: p.spec.serviceAccountName ?? 'default' })),
    secrets: (read) => {
      const sas = new Map([...read.map((s) => [key(s), s] as const), ...setSas]);
      return set.pods.flatMap((p) => {
        const ns = p.metadata.namespace;
        // The pod's own names and its ServiceAccount's (admission copies those into pods that list none).
        return [...(p.spec.imagePullSecrets ?? []), ...(sas.get(saOf(p))?.imagePullSecrets ?? [])]
          .map((r) => r.name ?? '')
          .filter((n) => n !== '' && !setSecrets.has(`${ns}/${n}`))
          .map((name) => ({ namespace: ns, name }));
      });
    },
    pullSecretNamespaces: (secrets, sas) => namespacesWithUncoveredImages(set.pods, merged(set.secrets, [...secrets]), merged(set.serviceAccounts, [...sas])),
  });
}

export async function check(opts: CheckOptions): Promise<Report> {
  const against = opts.against;
  let cluster: CheckCluster | undefined;
  if (against.kind === 'cluster') {
    // The cluster client loads only when a check reads a cluster.
    const { CheckCluster } = await import('./collect/check-plan.js');
    cluster = await CheckCluster.connect(against);
  }
  try {
    const objects = await readManifests(opts.paths, opts.readStdin ? { readStdin: opts.readStdin } : {});
    const set = manifestSet(objects, opts.namespace ?? cluster?.ctx.namespace ?? 'default');
    const files = [...new Set(objects.map((o) => o.file))];
    const source: SourceInfo = { kind: 'manifest', description: `manifests ${files.join(', ')}`, namespaces: set.namespaces };
    const snapshot: Snapshot = emptySnapshot(source, (opts.now ?? new Date()).toISOString());
    let secrets: SecretObject[] = [];
    let serviceAccounts: ServiceAccount[] = [];
    if (cluster) {
      const read = await readCluster(cluster, set);
      secrets = read.secrets;
      serviceAccounts = read.serviceAccounts;
      snapshot.accessProblems = read.accessProblems;
      snapshot.skippedObjects = read.skippedObjects;
      if (read.pullSecretNamespaces.length) snapshot.pullSecretNamespaces = read.pullSecretNamespaces;
      snapshot.coverage = { secrets: 'referenced', serviceAccounts: 'all', events: 'none', nodes: 'none' };
      source.description += ` against context ${cluster.ctx.name} (${cluster.ctx.server})`;
      source.context = cluster.ctx.name;
      source.cluster = cluster.ctx.cluster;
    } else if (against.kind === 'file') {
      const dump = await collectFiles(against.paths);
      secrets = dump.secrets;
      serviceAccounts = dump.serviceAccounts;
      snapshot.coverage = { ...dump.coverage, events: 'none', nodes: 'none' };
      // What the dump holds but could not be used (a malformed Secret or ServiceAccount); its
      // pods, events and other objects are not what a check reads.
      snapshot.skippedObjects = (dump.skippedObjects ?? []).filter((e) => e.kind === 'Secret' || e.kind === 'ServiceAccount');
      source.description += ` against ${dump.source.description}`;
    }
    snapshot.secrets = merged(set.secrets, secrets);
    snapshot.serviceAccounts = merged(set.serviceAccounts, serviceAccounts);
    const sas = new Map(snapshot.serviceAccounts.map((s) => [key(s), s] as const));
    applyServiceAccountPullSecrets(set.pods, (ns, name) => sas.get(`${ns}/${name}`));
    snapshot.pods = set.pods;
    snapshot.skipped = set.skipped;
    snapshot.manifests = set.index;
    const probe = opts.probe;
    // A Secret or ServiceAccount the templates name that could not be read leaves the answer
    // incomplete (src/engine/completeness.ts isCoreGap): exit 2, never a pass.
    return await analyseSnapshot(snapshot, CHECK_RULES, {
      ...(opts.now ? { now: opts.now } : {}),
      ...(probe
        ? {
            probe: {
              mode: 'all' as const,
              // The probe (registry client, TLS, credentials) loads only when a check probes.
              run: async (targets) => (await import('./probe/probe.js')).probeTargets(targets, probe),
            },
          }
        : {}),
    });
  } finally {
    cluster?.close();
  }
}
