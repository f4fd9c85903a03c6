/**
 * Remediation command builders: real names from the cluster, placeholders only for what the
 * cluster cannot tell (`<password>`, an unknown tag). Names are shell-quoted when they need it.
 */
import type { ContainerCtx, PullContext } from '../../src/engine/types.js';

import { sh } from '../../src/util/shell.js';

export { sh };

/**
 * A placeholder the user fills in, as one quoted shell word: `'<username>'`. Unquoted, the
 * shell reads `<username>` as a redirect. Every placeholder in a rule comes from here.
 */
export function placeholder(name: string): string {
  return sh(placeholderText(name));
}

/**
 * The bare placeholder `<name>`, for a value that is shell-quoted as a whole later (passed to
 * sh() or a command builder, or inside a single-quoted JSON patch), or for prose.
 */
export function placeholderText(name: string): string {
  return `<${name}>`;
}

export function ns(ctx: PullContext): string {
  return `-n ${sh(ctx.namespace)}`;
}

/**
 * `--context X` for a live scan (or a check against a context), so the commands hit the same
 * cluster: the kubeconfig context it used (a cluster name is not a context name), else the
 * cluster's name.
 */
export function contextFlag(ctx: PullContext): string {
  const name = ctx.context ?? ctx.cluster;
  return name && (ctx.sourceKind === 'cluster' || (ctx.sourceKind === 'manifest' && ctx.context !== undefined)) ? ` --context ${sh(name)}` : '';
}

export function k(ctx: PullContext, args: string): string {
  return `kubectl${contextFlag(ctx)} ${args}`;
}

export interface DockerRegistrySecretOptions {
  /** `false`: the secret does not exist yet (`kubectl create`). `true`: rewrite it in place with
   * `create --dry-run=client | kubectl replace`. `'force'`: `replace --force` (delete and recreate, for a type change). */
  exists: boolean | 'force';
  /** Default the placeholder `<username>`. */
  username?: string;
  /** A command whose output is the password (e.g. a token minted on the user's machine); default the placeholder `<password>`. */
  passwordCommand?: string;
}

/**
 * The one builder for a docker-registry pull secret. A new secret is created with
 * `kubectl create secret docker-registry`; an existing one is rewritten with the same command
 * `--dry-run=client -o yaml` piped into `kubectl replace`, never `kubectl apply`: apply would store
 * the whole secret, password included, in its last-applied-configuration annotation.
 */
export function dockerRegistrySecret(ctx: PullContext, name: string, server: string, opts: DockerRegistrySecretOptions): string {
  const password = opts.passwordCommand ? `"$(${opts.passwordCommand})"` : placeholder('password');
  const create = `create secret docker-registry ${sh(name)} ${ns(ctx)} --docker-server=${sh(server)} --docker-username=${sh(opts.username ?? placeholderText('username'))} --docker-password=${password}`;
  if (opts.exists === false) return k(ctx, create);
  return `${k(ctx, `${create} --dry-run=client -o yaml`)} | ${k(ctx, `replace${opts.exists === 'force' ? ' --force' : ''} ${ns(ctx)} -f -`)}`;
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

/** Kinds whose pod template lives at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/**
 * A strategic merge patch of the workload's pod spec (`spec` is the JSON of the pod-spec fields to
 * merge), or undefined for a bare pod (or another owner) whose template cannot be patched.
 */
export function podTemplatePatch(ctx: PullContext, spec: string): string | undefined {
  const { kind, name } = ctx.workload;
  if (TEMPLATE_KINDS.has(kind)) {
    return k(ctx, `patch ${kind.toLowerCase()} ${sh(name)} ${ns(ctx)} --type=strategic -p '{"spec":{"template":{"spec":${spec}}}}'`);
  }
  if (kind === 'CronJob') {
    return k(ctx, `patch cronjob ${sh(name)} ${ns(ctx)} --type=strategic -p '{"spec":{"jobTemplate":{"spec":{"template":{"spec":${spec}}}}}}'`);
  }
  return undefined;
}

/** A secret name as a JSON string that is safe inside a single-quoted shell word. */
const jsonName = (s: string) => JSON.stringify(s).replace(/'/g, '');

/**
 * Add pull secrets to the workload's pod template with a strategic merge patch: the
 * `imagePullSecrets` list merges by name, so the secrets already listed stay (`--type=merge`
 * would replace the list). A bare pod cannot be patched (`imagePullSecrets` is immutable on a
 * pod); `bare` says what to suggest instead: patch the pod's ServiceAccount (which admission
 * applies to pods created afterwards that list no pull secrets), or edit the manifest and
 * recreate the pod.
 */
export function addPullSecretsToWorkload(ctx: PullContext, secrets: string[], bare: 'service-account' | 'manifest'): string {
  const patch = podTemplatePatch(ctx, `{"imagePullSecrets":[${secrets.map((s) => `{"name":${jsonName(s)}}`).join(',')}]}`);
  if (patch) return patch;
  if (bare === 'service-account') return addPullSecretsToServiceAccount(ctx, secrets);
  return `# pod ${ctx.podName} has no controller: add ${secrets.map((s) => `{name: ${s}}`).join(', ')} to spec.imagePullSecrets in its manifest and recreate it (imagePullSecrets cannot be changed on a running pod)`;
}

/** JSON-pointer path of the pod spec inside the workload, or undefined when it has no template to patch. */
function podSpecPath(kind: string): string | undefined {
  if (TEMPLATE_KINDS.has(kind)) return '/spec/template/spec';
  if (kind === 'CronJob') return '/spec/jobTemplate/spec/template/spec';
  return undefined;
}

/**
 * Replace one name in the workload's imagePullSecrets by another. A strategic merge patch
 * cannot do it: that list merges by name, so the old name would stay beside the new one. A
 * JSON patch replaces the entry at the position the pod lists it, after a `test` that it is
 * still that name there (the patch fails, changing nothing, when the template differs).
 */
export function replacePullSecretInWorkload(ctx: PullContext, from: string, to: string): string {
  const { kind, name } = ctx.workload;
  const path = podSpecPath(kind);
  const index = (ctx.pod.spec.imagePullSecrets ?? []).findIndex((r) => r.name === from);
  if (!path || index < 0) {
    return `# pod ${ctx.podName} has no controller: replace ${from} with ${to} in spec.imagePullSecrets in its manifest and recreate it (imagePullSecrets cannot be changed on a running pod)`;
  }
  const at = `${path}/imagePullSecrets/${index}/name`;
  const ops = `[{"op":"test","path":"${at}","value":${jsonName(from)}},{"op":"replace","path":"${at}","value":${jsonName(to)}}]`;
  return k(ctx, `patch ${kind.toLowerCase()} ${sh(name)} ${ns(ctx)} --type=json -p '${ops}'`);
}

/** Remove one pull secret from the workload's pod template (strategic merge `$patch: delete`). */
export function removePullSecretFromWorkload(ctx: PullContext, secret: string): string {
  return (
    podTemplatePatch(ctx, `{"imagePullSecrets":[{"$patch":"delete","name":${jsonName(secret)}}]}`) ??
    `# pod ${ctx.podName} has no controller: remove ${secret} from spec.imagePullSecrets in its manifest and recreate it`
  );
}

/** Set a ServiceAccount's imagePullSecrets to exactly `secrets` (the list is replaced, not merged). */
export function patchServiceAccount(ctx: PullContext, sa: string, secrets: string[]): string {
  const list = secrets.map((s) => `{"name":${jsonName(s)}}`).join(',');
  return k(ctx, `patch serviceaccount ${sh(sa)} ${ns(ctx)} -p '{"imagePullSecrets":[${list}]}'`);
}

/**
 * Add pull secrets to the pod's ServiceAccount. A ServiceAccount's `imagePullSecrets` has no
 * merge key, so any patch of it replaces the whole list: the command carries the full
 * resulting list (the ones it lists now, then the new ones). When the ServiceAccount could not
 * be read, its current list is unknown: append with a JSON patch instead.
 */
export function addPullSecretsToServiceAccount(ctx: PullContext, secrets: string[]): string {
  const sa = ctx.serviceAccount;
  if (sa.status === 'found' || sa.status === 'missing') {
    const existing = sa.pullSecrets.map((s) => s.name);
    return patchServiceAccount(ctx, sa.name, [...existing, ...secrets.filter((s) => !existing.includes(s))]);
  }
  const ops = secrets.map((s) => `{"op":"add","path":"/imagePullSecrets/-","value":{"name":${jsonName(s)}}}`).join(',');
  return `# ServiceAccount ${sa.name} could not be read, so its pull secrets are appended (this fails if it lists none: then set the list with -p '{"imagePullSecrets":[...]}'): ${k(ctx, `patch serviceaccount ${sh(sa.name)} ${ns(ctx)} --type=json -p '[${ops}]'`)}`;
}

/**
 * Copy a secret from another namespace into the pod's namespace: the object is piped from
 * `get` through jq (server-set metadata and the source's last-applied annotation removed) into
 * `kubectl create`, so no value reaches the terminal and an existing secret of that name is
 * never overwritten (create fails with AlreadyExists; apply would also store the data in a
 * last-applied-configuration annotation).
 */
export function copySecret(ctx: PullContext, name: string, from: string): string {
  const jq =
    `'del(.metadata.namespace,.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp,.metadata.managedFields,.metadata.ownerReferences,` +
    `.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"])'`;
  return `${k(ctx, `get secret ${sh(name)} -n ${sh(from)} -o json`)} | jq ${jq} | ${k(ctx, `create ${ns(ctx)} -f -`)}`;
}

export function canI(ctx: PullContext, verb: string, resource: string): string {
  return k(ctx, `auth can-i ${verb} ${resource} ${ns(ctx)}`);
}

/** `kubectl set image` for the owning workload's container (or the bare pod). */
export function setImageCommand(ctx: PullContext, c: ContainerCtx, newImage: string): string {
  const { kind, name } = ctx.workload;
  const target = TEMPLATE_KINDS.has(kind) || kind === 'CronJob' ? `${kind.toLowerCase()}/${sh(name)}` : `pod/${sh(ctx.podName)}`;
  return k(ctx, `set image ${target} ${sh(c.name)}=${sh(newImage)} ${ns(ctx)}`);
}

/**
 * When containerd reads /etc/containerd/certs.d at all (node-credentials §6.1): only with the CRI
 * plugin's registry `config_path` pointing there. Said wherever a command writes a hosts.toml.
 */
export const CONTAINERD_CONFIG_PATH =
  'containerd reads /etc/containerd/certs.d only when /etc/containerd/config.toml sets config_path = "/etc/containerd/certs.d" under [plugins."io.containerd.cri.v1.images".registry] (containerd 2.x) or [plugins."io.containerd.grpc.v1.cri".registry] (1.x); setting that needs a containerd restart, hosts.toml edits do not';

/**
 * Write containerd's hosts.toml for a registry host directory (`docker.io`, `r.example:5000`):
 * the directory is created first (it does not exist on a fresh node), `prepare` runs in it
 * (e.g. copying a CA), and `toml` is a printf format (`\n` for newlines).
 */
export function writeContainerdHostsToml(dir: string, toml: string, prepare?: (dir: string) => string): string {
  const path = `/etc/containerd/certs.d/${dir}`;
  return `mkdir -p ${sh(path)} && ${prepare ? `${prepare(path)} && ` : ''}printf ${sh(toml)} > ${sh(`${path}/hosts.toml`)}`;
}

/** Run `cmd` on the node's host filesystem through a debug pod. */
export function onNodeHost(ctx: PullContext, node: string, cmd: string): string {
  return k(ctx, `debug node/${sh(node)} -it --image=busybox:1.36 -- chroot /host ${cmd}`);
}
