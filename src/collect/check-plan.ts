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
 * A 403 is an access problem with its `kubectl auth can-i` line; the check goes on.
 */
import type { AccessProblem } from '../model/snapshot.js';
import type { SecretObject, ServiceAccount } from '../model/kube.js';
import { mapLimit } from '../util/concurrency.js';
import { listPages } from './api-pager.js';
import { Transport, type ApiRequestObserver, type HttpResult } from './api-transport.js';
import { accessProblem, type AccessCheck } from './can-i.js';
import { withDefaults } from './cluster-options.js';
import { loadKubeconfig, resolveContexts, type ResolvedContext } from './kubeconfig.js';
import { PULL_SECRET_TYPES } from './pull-secret-scope.js';
import { isObj, reduceSecret, reduceServiceAccount } from './reduce.js';
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
  /** Namespaces whose pull secrets were listed in full. */
  pullSecretNamespaces: string[];
}

const nsPath = (ns: string, resource: string, name?: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;

export class CheckCluster {
  private readonly o: ReturnType<typeof withDefaults>;
  readonly t: Transport;
  private readonly problems: AccessProblem[] = [];

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

  private forbidden(res: HttpResult, check: AccessCheck): void {
    this.problems.push(accessProblem(res, check, this.ctx.explicit ? this.ctx.name : undefined));
  }

  /** GET each object; `found` gets the bodies, the names answered 404 are returned. */
  private async getEach(resource: 'secrets' | 'serviceaccounts', keys: ObjectKey[], found: (body: Record<string, unknown>) => void): Promise<ObjectKey[]> {
    const missing: ObjectKey[] = [];
    let failed: { error: unknown } | undefined;
    await mapLimit(keys, this.o.secretConcurrency, async (k) => {
      if (failed) return;
      try {
        const res = await this.t.get(nsPath(k.namespace, resource, k.name));
        if (res.status === 200 && isObj(res.body)) found(res.body);
        else if (res.status === 404) missing.push(k);
        else if (res.status === 403) this.forbidden(res, { resource, verb: 'get', namespace: k.namespace, name: k.name });
        else throw this.t.failure(res, `get ${resource === 'secrets' ? 'secret' : 'serviceaccount'} ${k.namespace}/${k.name}`);
      } catch (error) {
        failed ??= { error };
      }
    });
    if (failed) throw failed.error;
    return missing;
  }

  /** A list whose items are secrets; false when it was forbidden (the access problem is recorded). */
  private async listSecrets(path: string, query: Record<string, string>, check: AccessCheck, add: (s: SecretObject) => void): Promise<boolean> {
    const r = await listPages(this.t, { resource: 'secrets', path, query, pageSize: this.o.pageSize, onItem: (item) => add(reduceSecret(item)), reset: () => undefined });
    if (!r.ok) this.forbidden(r.forbidden, check);
    return r.ok;
  }

  async read(plan: CheckReads): Promise<CheckClusterRead> {
    const serviceAccounts: ServiceAccount[] = [];
    await this.getEach('serviceaccounts', dedupe(plan.serviceAccounts), (body) => serviceAccounts.push(reduceServiceAccount(body)));

    const secrets: SecretObject[] = [];
    const have = new Set<string>();
    const add = (s: SecretObject) => {
      const key = `${s.metadata.namespace}/${s.metadata.name}`;
      if (have.has(key)) return;
      have.add(key);
      secrets.push(s);
    };
    const missing = await this.getEach('secrets', dedupe(plan.secrets(serviceAccounts)), (body) => add(reduceSecret(body)));

    // A missing secret may exist under the same name in another namespace (a classic mistake).
    for (const name of [...new Set(missing.map((k) => k.name))].sort()) {
      const ok = await this.listSecrets('/api/v1/secrets', { fieldSelector: `metadata.name=${name}` }, { resource: 'secrets', verb: 'list' }, add);
      if (!ok) break; // Forbidden cluster-wide: the other names would be too.
    }

    // An existing but unreferenced secret may serve an image no listed secret covers.
    const listed: string[] = [];
    await mapLimit(plan.pullSecretNamespaces(secrets, serviceAccounts), this.o.secretConcurrency, async (namespace) => {
      for (const type of PULL_SECRET_TYPES) {
        const ok = await this.listSecrets(nsPath(namespace, 'secrets'), { fieldSelector: `type=${type}` }, { resource: 'secrets', verb: 'list', namespace }, add);
        if (!ok) return; // Forbidden: the other type would be too.
      }
      listed.push(namespace);
    });
    return { secrets, serviceAccounts, accessProblems: [...this.problems], pullSecretNamespaces: listed.sort() };
  }
}

function dedupe(keys: ObjectKey[]): ObjectKey[] {
  const seen = new Map<string, ObjectKey>();
  for (const k of keys) seen.set(`${k.namespace}/${k.name}`, k);
  return [...seen.values()];
}
