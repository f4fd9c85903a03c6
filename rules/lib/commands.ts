/**
 * Remediation command builders: real names from the cluster, placeholders only for secret
 * values (`<password>`, `<token>`). Names are shell-quoted when they need it.
 */
import type { PullContext } from '../../src/engine/types.js';

const SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;

/** POSIX shell quoting for an untrusted value. */
export function sh(s: string): string {
  if (s !== '' && SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function ns(ctx: PullContext): string {
  return `-n ${sh(ctx.namespace)}`;
}

/** `--context X` when the scan named a context, so the commands hit the same cluster. */
export function contextFlag(ctx: PullContext): string {
  return ctx.cluster && ctx.sourceKind === 'cluster' ? ` --context ${sh(ctx.cluster)}` : '';
}

export function k(ctx: PullContext, args: string): string {
  return `kubectl${contextFlag(ctx)} ${args}`;
}

export function createDockerRegistrySecret(ctx: PullContext, name: string, server: string, username = '<username>'): string {
  return k(
    ctx,
    `create secret docker-registry ${sh(name)} ${ns(ctx)} --docker-server=${sh(server)} --docker-username=${sh(username)} --docker-password='<password>'`,
  );
}

/** Show a pull secret's registry keys and usernames, never the passwords. */
export function showSecretKeys(ctx: PullContext, name: string, dataKey = '.dockerconfigjson'): string {
  const path = dataKey.replace(/\./g, '\\.');
  const jq = dataKey === '.dockercfg' ? `'to_entries[] | {registry: .key, username: .value.username}'` : `'.auths | to_entries[] | {registry: .key, username: .value.username}'`;
  return k(ctx, `get secret ${sh(name)} ${ns(ctx)} -o jsonpath='{.data.${path}}' | base64 -d | jq ${jq}`);
}

/** Restart the owning workload so new pods pick up the fix (bare pods are recreated by hand). */
export function restartWorkload(ctx: PullContext): string {
  const { kind, name } = ctx.workload;
  const lower = kind.toLowerCase();
  if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet') {
    return k(ctx, `rollout restart ${lower}/${sh(name)} ${ns(ctx)}`);
  }
  if (kind === 'CronJob') return `# the next scheduled Job of cronjob/${name} picks up the fix; to test now: ${k(ctx, `create job --from=cronjob/${sh(name)} ${sh(name + '-manual')} ${ns(ctx)}`)}`;
  return k(ctx, `delete pod ${sh(ctx.podName)} ${ns(ctx)}   # recreate it from its manifest afterwards`);
}

/**
 * Add a pull secret to the workload's pod template (or the pod's ServiceAccount for bare pods).
 * A strategic merge patch (kubectl's default) merges `imagePullSecrets` by name, keeping the
 * secrets already listed; `--type=merge` would replace the list.
 */
export function addPullSecretToWorkload(ctx: PullContext, secret: string): string {
  const { kind, name } = ctx.workload;
  const patch = `'{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"${secret.replace(/'/g, '')}"}]}}}}'`;
  if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'Job') {
    return k(ctx, `patch ${kind.toLowerCase()} ${sh(name)} ${ns(ctx)} -p ${patch}`);
  }
  if (kind === 'CronJob') {
    return k(
      ctx,
      `patch cronjob ${sh(name)} ${ns(ctx)} -p '{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"${secret.replace(/'/g, '')}"}]}}}}}}'`,
    );
  }
  return patchServiceAccount(ctx, ctx.serviceAccount.name, [secret]);
}

export function patchServiceAccount(ctx: PullContext, sa: string, secrets: string[]): string {
  const list = secrets.map((s) => `{"name":"${s.replace(/'/g, '')}"}`).join(',');
  return k(ctx, `patch serviceaccount ${sh(sa)} ${ns(ctx)} -p '{"imagePullSecrets":[${list}]}'`);
}

/** Copy a secret from another namespace into the pod's namespace (metadata cleaned). */
export function copySecret(ctx: PullContext, name: string, from: string): string {
  return `${k(ctx, `get secret ${sh(name)} -n ${sh(from)} -o json`)} | jq 'del(.metadata.namespace,.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp,.metadata.ownerReferences,.metadata.managedFields)' | ${k(ctx, `apply ${ns(ctx)} -f -`)}`;
}

export function canI(ctx: PullContext, verb: string, resource: string): string {
  return k(ctx, `auth can-i ${verb} ${resource} ${ns(ctx)}`);
}
