/**
 * Helpers shared by the pull-secret rules: token lifetimes of cloud registries and how to
 * refresh them, secret ages, which containers a secret matters to, and the kubectl commands that
 * edit a secret's type or data without ever printing a secret value. Commands that create or
 * rewrite a docker-registry secret or a pod template are in commands.ts.
 */
import type { ContainerCtx, PullContext, SecretRefState } from '../../src/engine/types.js';
import { Keyring, type ParsedEntry, type ParsedPullSecret } from '../../src/credentials/index.js';
import { dockerRegistrySecret, k, ns, placeholder, placeholderText, restartWorkload, sh } from './commands.js';
import { inCheck, wouldFail } from './manifest.js';
import { memoString } from '../../src/util/memo.js';

// ───────────────────────────── registry hosts and token lifetimes ─────────────────────────────

/**
 * Host (without scheme, port, path; lower-cased) of a registry key as written in a secret.
 * Remembered per key: the rules ask for the same few keys on every pod of a scan.
 */
export const registryHost: (registryKey: string) => string = memoString((registryKey) => {
  let s = registryKey.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  s = s.split('/')[0] ?? '';
  if (s.startsWith('[')) return s.slice(0, s.indexOf(']') + 1).toLowerCase();
  return (s.split(':')[0] ?? '').toLowerCase();
});

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

/** The command that mints a fresh token for a provider `tokenLifetime` named (its output is the password). */
export function tokenCommand(provider: string, registryKey: string): string {
  const host = registryHost(registryKey);
  if (provider === 'Amazon ECR') {
    const region = /\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(host)?.[1] ?? placeholder('region');
    return `aws ecr get-login-password --region ${region}`;
  }
  if (provider === 'Azure Container Registry') {
    return `az acr login --name ${host.split('.')[0] ?? placeholder('registry')} --expose-token --output tsv --query accessToken`;
  }
  return 'gcloud auth print-access-token';
}

/**
 * Rewrite a pull secret in place with a freshly minted token: the token is fetched on the
 * user's machine and piped straight into the secret, never printed.
 */
export function refreshTokenSecret(ctx: PullContext, secret: string, registryKey: string, username: string, provider: string): string {
  return dockerRegistrySecret(ctx, secret, registryKey, { exists: true, username, passwordCommand: tokenCommand(provider, registryKey) });
}

/** Hours between an ISO timestamp and `ctx.now`; undefined when the timestamp is missing or invalid. */
export function ageHours(ctx: PullContext, iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return (ctx.now.getTime() - t) / 3_600_000;
}

/** An age as every rule writes it: `2d 4h`, `5h`, `40m` (whole units, rounded down). */
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

/** Failing containers (in a check: would fail) that got no credential from the pod's keyring (so a lost secret may be why). */
export function failingWithoutCredentials(ctx: PullContext): ContainerCtx[] {
  const fails = (c: ContainerCtx) => (inCheck(ctx) ? wouldFail(ctx, c) : c.failure !== undefined);
  return ctx.containers.filter((c) => fails(c) && (!c.lookup || c.lookup.credentials.length === 0));
}

/** Registry server to suggest for a new credential: the first failing image's registry, else the first image's. */
export function suggestedServer(ctx: PullContext, cs: ContainerCtx[] = ctx.containers): string {
  for (const c of [...cs, ...ctx.containers]) if (c.parse.ok) return displayDomain(c.parse.ref.domain);
  return placeholderText('registry');
}

/** `docker.io` images get the key `docker login` writes (index.docker.io fallback, §8.3). */
export function displayDomain(domain: string): string {
  return domain === 'docker.io' ? 'https://index.docker.io/v1/' : domain;
}

/** The state of the pod's pull secret of that name. */
export function secretState(ctx: PullContext, name: string): SecretRefState | undefined {
  return ctx.pullSecrets.find((s) => s.name === name);
}

/** The username stored with this registry key in the pod's pull secret, or the `<username>` placeholder. */
export function entryUsername(ctx: PullContext, secret: string, registryKey: string): string {
  return secretState(ctx, secret)?.parsed?.entries.find((e) => e.registryKey === registryKey)?.username || placeholderText('username');
}

/** The data key a pull secret keeps its config under. */
export function dataKeyOf(s: SecretRefState | undefined): string {
  return s?.parsed?.format === 'dockercfg' ? '.dockercfg' : '.dockerconfigjson';
}

/**
 * A kubernetes.io/dockercfg secret whose .dockercfg is a config.json (`{"auths": {…}}`): the
 * kubelet reads a .dockercfg as registry keys at the top level, so it sees one registry named
 * "auths" with no credential and never looks inside (semantics §3.4). Returns that entry; its
 * ignored members are the registry keys the config.json holds.
 */
export function configJsonInDockercfg(p: ParsedPullSecret | undefined): ParsedEntry | undefined {
  if (p?.format !== 'dockercfg' || p.error !== undefined) return undefined;
  return p.entries.find((e) => /^auths$/i.test(e.registryKey) && !e.usable);
}

/** The data keys of a secret (names only; values stay sealed). */
export function dataKeysOf(p: ParsedPullSecret): string[] {
  return p.dataKeys;
}

// ───────────────────────────── copies in other namespaces ─────────────────────────────

/** One copy of a missing pull secret in another namespace, judged against the pod's images. */
export interface SecretCopy {
  namespace: string;
  parsed: ParsedPullSecret;
  /** The pod's images (lookup names) this copy gives a usable credential for, by the kubelet's key matching. */
  serves: string[];
  /** The registry keys (as written) whose credentials matched, in the kubelet's order. */
  matchingKeys: string[];
  /** Images a key of this copy matches, but only with an empty entry (no username, no password). */
  emptyMatches: string[];
  /** Why the kubelet would read nothing from it (ignored type or data key, parse error), if so. */
  unusable?: string;
}

export interface CopyChoice {
  /** The images the copies are judged against: those the pod's own secrets give no credential for (else all); empty when the copies are not all known. */
  images: string[];
  /** Every copy, the chosen one first: most images served, then namespace name. */
  copies: SecretCopy[];
  /** The copy to take: the first copy that serves an image; undefined when none does (or nothing is known). */
  chosen?: SecretCopy;
}

/**
 * Which copy of a missing pull secret to bring into the pod's namespace: each copy's credentials
 * are matched against the pod's images the way the kubelet matches them (its own keyring,
 * src/credentials), and the copy that serves the most images wins; ties go to the namespace
 * first by name.
 */
export function chooseCopy(ctx: PullContext, s: SecretRefState): CopyChoice {
  // Without every copy's content nothing can be judged: the caller falls back to the first by name.
  if ((s.otherCopies?.length ?? 0) < s.otherNamespaces.length) return { images: [], copies: [] };
  const parsedImages = ctx.containers.filter((c) => c.parse.ok);
  const needy = parsedImages.filter((c) => !c.lookup || c.lookup.credentials.length === 0);
  const images = [...new Set((needy.length ? needy : parsedImages).map((c) => (c.parse.ok ? c.parse.ref.name : '')))];
  const copies = (s.otherCopies ?? []).map((parsed): SecretCopy => {
    const copy: SecretCopy = { namespace: parsed.namespace, parsed, serves: [], matchingKeys: [], emptyMatches: [] };
    if (parsed.format === null) copy.unusable = parsed.ignoredReason ?? `type ${parsed.type} is not read by the kubelet`;
    else if (parsed.error !== undefined) copy.unusable = `the kubelet cannot parse it: ${parsed.error}`;
    if (copy.unusable) return copy;
    const keyring = Keyring.fromSecrets([parsed]);
    for (const image of images) {
      const found = keyring.lookup(image).credentials;
      const usable = found.filter((cr) => cr.username !== '' || cr.hasPassword);
      if (!usable.length) {
        if (found.length) copy.emptyMatches.push(image);
        continue;
      }
      copy.serves.push(image);
      for (const cr of usable) if (!copy.matchingKeys.includes(cr.registryKey)) copy.matchingKeys.push(cr.registryKey);
    }
    return copy;
  });
  copies.sort((a, b) => b.serves.length - a.serves.length || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  const choice: CopyChoice = { images, copies };
  if (copies[0]?.serves.length) choice.chosen = copies[0];
  return choice;
}

/** The registry keys a copy holds, for a sentence: `key "a"`, `keys "a", "b"`, `no registry key`. */
export function copyKeys(copy: SecretCopy): string {
  const keys = copy.parsed.entries.map((e) => `"${e.registryKey}"`);
  return keys.length ? `key${keys.length === 1 ? '' : 's'} ${keys.join(', ')}` : 'no registry key';
}

// ───────────────────────────── commands ─────────────────────────────

/** Pipe a secret through a jq edit and write it back with `kubectl replace` (`--force`: delete and recreate). */
function rewriteSecret(ctx: PullContext, name: string, jqEdit: string, force: boolean): string {
  return `${k(ctx, `get secret ${sh(name)} ${ns(ctx)} -o json`)} | jq '${jqEdit}' | ${k(ctx, `replace${force ? ' --force' : ''} ${ns(ctx)} -f -`)}`;
}

/**
 * A secret's type is immutable: `kubectl replace --force` deletes and recreates it with the new
 * type (and an optional jq edit of `.data`), values untouched and never printed.
 */
export function retypeSecret(ctx: PullContext, name: string, type: string, dataEdit?: string): string {
  const edit = `.type = "${type}"${dataEdit ? ` | ${dataEdit}` : ''} | del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.managedFields)`;
  return rewriteSecret(ctx, name, edit, true);
}

/** Edit a secret's `.data` with jq and write it back (same type), values never printed. */
export function editSecretData(ctx: PullContext, name: string, jqEdit: string): string {
  return rewriteSecret(ctx, name, jqEdit, false);
}

/** A comment telling the user the kubelet retries on its own, with the command to retry now. */
export function retryNote(ctx: PullContext): string {
  return `# the kubelet re-reads pull secrets on its next retry (back-off up to 5 min); to retry at once: ${restartWorkload(ctx)}`;
}
