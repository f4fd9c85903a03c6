/**
 * Helpers shared by the pull-secret rules: token lifetimes of cloud registries, secret ages,
 * and the kubectl commands that rewrite a pull secret or a workload's pull-secret list
 * without ever printing a secret value.
 */
import type { ContainerCtx, PullContext, SecretRefState } from '../../src/engine/types.js';
import type { ParsedPullSecret } from '../../src/credentials/index.js';
import { k, ns, sh } from './commands.js';

// ───────────────────────────── registry hosts and token lifetimes ─────────────────────────────

/** Host (without scheme, port, path; lower-cased) of a registry key as written in a secret. */
export function registryHost(registryKey: string): string {
  let s = registryKey.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  s = s.split('/')[0] ?? '';
  if (s.startsWith('[')) return s.slice(0, s.indexOf(']') + 1).toLowerCase();
  return (s.split(':')[0] ?? '').toLowerCase();
}

const ECR = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
const GCR = /^(?:[a-z0-9-]+\.)?gcr\.io$/;
const ARTIFACT_REGISTRY = /^[a-z0-9-]+-docker\.pkg\.dev$/;
const ACR = /^[a-z0-9-]+\.azurecr\.(?:io|cn|us)$/;
const ACR_AAD_USER = '00000000-0000-0000-0000-000000000000';

/**
 * The lifetime of a token a cloud registry hands out, when the credential stored for
 * `registryKey` with `username` is such a token (not a long-lived key):
 * - ECR: `aws ecr get-login-password` tokens, 12 h (any username; ECR only issues `AWS`);
 * - GCR / Artifact Registry: `oauth2accesstoken` + an OAuth access token, 1 h
 *   (`_json_key` / `_json_key_base64` are service-account keys: long-lived, no lifetime);
 * - ACR: username `00000000-0000-0000-0000-000000000000` + an AAD refresh token from
 *   `az acr login --expose-token`, about 3 h.
 */
export function tokenLifetime(registryKey: string, username: string): { provider: string; hours: number } | undefined {
  const host = registryHost(registryKey);
  if (ECR.test(host)) return { provider: 'Amazon ECR', hours: 12 };
  if ((GCR.test(host) || ARTIFACT_REGISTRY.test(host)) && username === 'oauth2accesstoken') {
    return { provider: GCR.test(host) ? 'Google Container Registry' : 'Google Artifact Registry', hours: 1 };
  }
  if (ACR.test(host) && username === ACR_AAD_USER) return { provider: 'Azure Container Registry', hours: 3 };
  return undefined;
}

/** Hours between an ISO timestamp and `ctx.now`; undefined when the timestamp is missing or invalid. */
export function ageHours(ctx: PullContext, iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return (ctx.now.getTime() - t) / 3_600_000;
}

/** `2d 4h`, `5h`, `40m`. */
export function formatHours(h: number): string {
  if (h < 1) return `${Math.max(0, Math.round(h * 60))}m`;
  const whole = Math.floor(h);
  const d = Math.floor(whole / 24);
  const rest = whole % 24;
  return d > 0 ? (rest ? `${d}d ${rest}h` : `${d}d`) : `${whole}h`;
}

// ───────────────────────────── which containers a secret matters to ─────────────────────────────

/** Parsed form of found secrets, in imagePullSecrets order. */
export function foundSecrets(ctx: PullContext): (SecretRefState & { parsed: ParsedPullSecret })[] {
  return ctx.pullSecrets.filter(
    (s): s is SecretRefState & { parsed: ParsedPullSecret } => s.status === 'found' && s.parsed !== undefined,
  );
}

/** Containers whose kubelet lookup returned at least one credential of this secret. */
export function containersUsing(ctx: PullContext, secret: string): ContainerCtx[] {
  return ctx.containers.filter((c) => c.lookup?.credentials.some((cr) => cr.secret === secret));
}

/** Registry server to suggest for a new credential: the first failing image's registry, else the first image's. */
export function suggestedServer(ctx: PullContext, cs: ContainerCtx[] = ctx.containers): string {
  for (const c of [...cs, ...ctx.containers]) if (c.parse.ok) return displayDomain(c.parse.ref.domain);
  return '<registry>';
}

/** `docker.io` images get the key `docker login` writes (index.docker.io fallback, §8.3). */
export function displayDomain(domain: string): string {
  return domain === 'docker.io' ? 'https://index.docker.io/v1/' : domain;
}

/** The data keys of a secret (names only; values stay sealed). */
export function dataKeysOf(p: ParsedPullSecret): string[] {
  return p.dataKeys;
}

// ───────────────────────────── commands ─────────────────────────────

const jsonName = (s: string) => JSON.stringify(s).replace(/'/g, '');

/**
 * Rewrite a pull secret in place with `kubectl create secret docker-registry … --dry-run=client`
 * piped into `kubectl replace` (keeps the name; no last-applied annotation carrying the password).
 */
export function replaceDockerRegistrySecret(
  ctx: PullContext,
  name: string,
  server: string,
  username = '<username>',
  opts: { force?: boolean } = {},
): string {
  return (
    k(
      ctx,
      `create secret docker-registry ${sh(name)} ${ns(ctx)} --docker-server=${sh(server)} --docker-username=${sh(username)} --docker-password='<password>' --dry-run=client -o yaml`,
    ) + ` | ${k(ctx, `replace${opts.force ? ' --force' : ''} ${ns(ctx)} -f -`)}`
  );
}

/** Failing containers that got no credential from the pod's keyring (so a lost secret may be why). */
export function failingWithoutCredentials(ctx: PullContext): ContainerCtx[] {
  return ctx.containers.filter((c) => c.failure && (!c.lookup || c.lookup.credentials.length === 0));
}

/**
 * A secret's type is immutable: `kubectl replace --force` deletes and recreates it with the new
 * type (and an optional jq edit of `.data`), values untouched and never printed.
 */
export function retypeSecret(ctx: PullContext, name: string, type: string, dataEdit?: string): string {
  const edit = `.type = "${type}"${dataEdit ? ` | ${dataEdit}` : ''} | del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.managedFields)`;
  return `${k(ctx, `get secret ${sh(name)} ${ns(ctx)} -o json`)} | jq '${edit}' | ${k(ctx, `replace --force ${ns(ctx)} -f -`)}`;
}

/** Edit a secret's `.data` with jq and write it back (same type), values never printed. */
export function editSecretData(ctx: PullContext, name: string, jqEdit: string): string {
  return `${k(ctx, `get secret ${sh(name)} ${ns(ctx)} -o json`)} | jq '${jqEdit}' | ${k(ctx, `replace ${ns(ctx)} -f -`)}`;
}

function templatePatch(ctx: PullContext, list: string): string | undefined {
  const { kind, name } = ctx.workload;
  if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'Job') {
    return k(ctx, `patch ${kind.toLowerCase()} ${sh(name)} ${ns(ctx)} -p '{"spec":{"template":{"spec":{"imagePullSecrets":[${list}]}}}}'`);
  }
  if (kind === 'CronJob') {
    return k(ctx, `patch cronjob ${sh(name)} ${ns(ctx)} -p '{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"imagePullSecrets":[${list}]}}}}}}'`);
  }
  return undefined;
}

/**
 * Add pull secrets to the workload's pod template with a strategic merge patch (the
 * `imagePullSecrets` list merges by name, so the secrets already listed stay).
 * Bare pods cannot be patched (`imagePullSecrets` is immutable on a pod): recreate them.
 */
export function addPullSecretsToTemplate(ctx: PullContext, secrets: string[]): string {
  const list = secrets.map((s) => `{"name":${jsonName(s)}}`).join(',');
  return (
    templatePatch(ctx, list) ??
    `# pod ${ctx.podName} has no controller: add ${secrets.map((s) => `{name: ${s}}`).join(', ')} to spec.imagePullSecrets in its manifest and recreate it (imagePullSecrets cannot be changed on a running pod)`
  );
}

/** Remove one pull secret from the workload's pod template (strategic merge `$patch: delete`). */
export function removePullSecretFromTemplate(ctx: PullContext, secret: string): string {
  return (
    templatePatch(ctx, `{"$patch":"delete","name":${jsonName(secret)}}`) ??
    `# pod ${ctx.podName} has no controller: remove ${secret} from spec.imagePullSecrets in its manifest and recreate it`
  );
}

/** A comment telling the user the kubelet retries on its own, with the command to retry now. */
export function retryNote(restart: string): string {
  return `# the kubelet re-reads pull secrets on its next retry (back-off up to 5 min); to retry at once: ${restart}`;
}
