/**
 * `pulldoctor check --context`: what the check reads of a live cluster — the request budget.
 * Never pods or events: the pods are the manifests' pod templates. Only GETs:
 * - one GET per distinct ServiceAccount the templates run as that the manifests do not hold
 *   (admission copies its imagePullSecrets into pods that list none);
 * - one GET per distinct pull secret the templates (or those ServiceAccounts) name that the
 *   manifests do not hold;
 * - one cluster-wide list filtered by `metadata.name` per distinct missing name (is it in
 *   another namespace?), as the scan does;
 * - two typed lists of the namespace's pull secrets (`fieldSelector=type=…`) per target
 *   namespace where a template's image gets no credential from its own pull secrets, as the
 *   scan does for failing pods.
 * Each object is validated and reduced as it arrives (src/collect/builder.ts), as the scan does:
 * a malformed one is a skipped object. A 403 is an access problem with its `kubectl auth can-i`
 * line, another failed read (5xx, no answer) a skipped read; the check goes on. Only what ends
 * the whole read (refused connection, TLS, 401) is thrown.
 */
import type { AccessProblem, SkippedObject } from '../model/snapshot.js';
import type { SecretObject, ServiceAccount } from '../model/kube.js';
import { mapLimit } from '../util/concurrency.js';
import { answerFailure, listPages, readFailure, type ReadFailure } from './api-pager.js';
import { Transport, type ApiRequestObserver } from './api-transport.js';
import { SnapshotBuilder } from './builder.js';
import { accessProblem, canICommand, type AccessCheck } from './can-i.js';
import { withDefaults } from './cluster-options.js';
import { loadKubeconfig, resolveContexts, type ResolvedContext } from './kubeconfig.js';
import { PULL_SECRET_TYPES } from './pull-secret-scope.js';
import { UserError } from '../model/errors.js';

export interface CheckClusterOptions {
  kubeconfig?: string;
  /** `--context`; the current context when absent. */
  context?: string;
  requestTimeoutMs?: number;
  deadlineMs?: number;
  onRequest?: ApiRequestObserver;
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
}

export interface ObjectKey {
  namespace: string;
  name: string;
}

/** What the check decides to read, from what it has read so far (the manifests win over the cluster). */
export interface CheckReads {
  /** ServiceAccounts to GET. */
  serviceAccounts: ObjectKey[];
  /** Pull secrets to GET, once the ServiceAccounts are known. */
  secrets(serviceAccounts: readonly ServiceAccount[]): ObjectKey[];
  /** Namespaces whose pull secrets to list (two typed lists each), once the secrets are known. */
  pullSecretNamespaces(secrets: readonly SecretObject[], serviceAccounts: readonly ServiceAccount[]): string[];
}

export interface CheckClusterRead {
  secrets: SecretObject[];
  serviceAccounts: ServiceAccount[];
  accessProblems: AccessProblem[];
  /** What could not be read: malformed objects, failed reads (403s are access problems). */
  skippedObjects: SkippedObject[];
  /** Namespaces whose pull secrets were listed in full. */
  pullSecretNamespaces: string[];
}

const nsPath = (ns: string, resource: string, name?: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;

export class CheckCluster {
  private readonly o: ReturnType<typeof withDefaults>;
  readonly t: Transport;

  private constructor(
    readonly ctx: ResolvedContext,
    opts: CheckClusterOptions,
  ) {
    this.o = withDefaults(opts);
    this.t = new Transport(ctx, { timeoutMs: this.o.requestTimeoutMs, deadlineAt: Date.now() + this.o.deadlineMs, maxRetries: this.o.maxRetries, onRequest: this.o.onRequest });
  }

  /** Load the kubeconfig (as kubectl does) and pick the context; no request yet. */
  static async connect(opts: CheckClusterOptions): Promise<CheckCluster> {
    const loaded = await loadKubeconfig({ kubeconfig: opts.kubeconfig, env: opts.env, serviceAccountDir: opts.serviceAccountDir });
    const { contexts, problems } = resolveContexts(loaded, { contexts: opts.context ? [opts.context] : undefined });
    if (problems[0]) throw new UserError(problems[0].message);
    const ctx = contexts[0];
    if (!ctx) throw new UserError('no kubeconfig context to check against');
    return new CheckCluster(ctx, opts);
  }

  close(): void {
    this.t.close();
  }

  /** A read that did not succeed: a 403 is an access problem, anything else a skipped read (as the scan records them). */
  private unreadable(b: SnapshotBuilder, f: ReadFailure, check: AccessCheck, kind: string, path: string): void {
    const context = this.ctx.explicit ? this.ctx.name : undefined;
    if (f.status === 403) {
      b.snapshot.accessProblems.push(accessProblem({ status: f.status, body: f.body }, check, context));
      return;
    }
    b.skip(
      {
        kind,
        ...(check.namespace ? { namespace: check.namespace } : {}),
        ...(check.name ? { name: check.name } : {}),
        reason: `${check.verb} failed: ${f.message}`,
        status: f.status,
        check: canICommand(check, context),
      },
      path,
    );
  }

  /** GET each object into the builder; the names answered 404 are returned. */
  private async getEach(b: SnapshotBuilder, resource: 'secrets' | 'serviceaccounts', keys: ObjectKey[]): Promise<ObjectKey[]> {
    const kind = resource === 'secrets' ? 'Secret' : 'ServiceAccount';
    const missing: ObjectKey[] = [];
    let failed: { error: unknown } | undefined;
    await mapLimit(keys, this.o.secretConcurrency, async (k) => {
      if (failed) return;
      const path = nsPath(k.namespace, resource, k.name);
      const check: AccessCheck = { resource, verb: 'get', namespace: k.namespace, name: k.name };
      try {
        let res;
        try {
          res = await this.t.get(path);
        } catch (e) {
          this.unreadable(b, readFailure(e), check, kind, path);
          return;
        }
        if (res.status === 200) {
          if (!b.addObject(res.body, kind, path)) {
            // Malformed: the request names it, whatever its body says.
            const list = b.snapshot.skippedObjects ?? [];
            const last = list[list.length - 1];
            if (last) list[list.length - 1] = { kind: last.kind, namespace: k.namespace, name: k.name, reason: last.reason, source: last.source };
          }
        } else if (res.status === 404) missing.push(k);
        else this.unreadable(b, answerFailure(res), check, kind, path);
      } catch (error) {
        failed ??= { error };
      }
    });
    if (failed) throw failed.error;
    return missing;
  }

  /** A list whose items are secrets; false when it could not be read (the reason is recorded). */
  private async listSecrets(b: SnapshotBuilder, path: string, query: Record<string, string>, check: AccessCheck): Promise<boolean> {
    const r = await listPages(this.t, {
      resource: 'secrets',
      path,
      query,
      pageSize: this.o.pageSize,
      onItem: (item) => b.addObject(item, 'Secret', path),
      reset: () => b.forgetSkipped(path),
    });
    if (!r.ok) this.unreadable(b, r, check, 'Secret', path);
    return r.ok;
  }

  async read(plan: CheckReads): Promise<CheckClusterRead> {
    const b = new SnapshotBuilder({ kind: 'cluster', description: this.ctx.name });
    const s = b.snapshot;
    await this.getEach(b, 'serviceaccounts', dedupe(plan.serviceAccounts));
    const missing = await this.getEach(b, 'secrets', dedupe(plan.secrets(s.serviceAccounts)));

    // A missing secret may exist under the same name in another namespace (a classic mistake).
    for (const name of [...new Set(missing.map((k) => k.name))].sort()) {
      const ok = await this.listSecrets(b, '/api/v1/secrets', { fieldSelector: `metadata.name=${name}` }, { resource: 'secrets', verb: 'list' });
      if (!ok) break; // Refused cluster-wide: the other names would be too.
    }

    // An existing but unreferenced secret may serve an image no listed secret covers.
    const listed: string[] = [];
    await mapLimit(plan.pullSecretNamespaces(uniqueSecrets(s.secrets), s.serviceAccounts), this.o.secretConcurrency, async (namespace) => {
      for (const type of PULL_SECRET_TYPES) {
        const ok = await this.listSecrets(b, nsPath(namespace, 'secrets'), { fieldSelector: `type=${type}` }, { resource: 'secrets', verb: 'list', namespace });
        if (!ok) return; // Refused: the other type would be too.
      }
      listed.push(namespace);
    });
    const secrets = uniqueSecrets(s.secrets);
    // A secret whose GET failed but that a namespace's list then read was read after all.
    const read = new Set(secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`));
    const skippedObjects = (s.skippedObjects ?? []).filter((e) => !(e.kind === 'Secret' && e.name && e.status !== undefined && read.has(`${e.namespace}/${e.name}`)));
    return { secrets, serviceAccounts: s.serviceAccounts, accessProblems: s.accessProblems, skippedObjects, pullSecretNamespaces: listed.sort() };
  }
}

/** Each secret once (a GET and a list may both return it). */
function uniqueSecrets(secrets: readonly SecretObject[]): SecretObject[] {
  const seen = new Map<string, SecretObject>();
  for (const x of secrets) seen.set(`${x.metadata.namespace}/${x.metadata.name}`, x);
  return [...seen.values()];
}

function dedupe(keys: ObjectKey[]): ObjectKey[] {
  const seen = new Map<string, ObjectKey>();
  for (const k of keys) seen.set(`${k.namespace}/${k.name}`, k);
  return [...seen.values()];
}
