/**
 * Helpers for rules when they run in `pulldoctor check` (ctx.sourceKind `manifest`): the pod is a
 * workload's pod template, nothing has been pulled yet, and a fix is a change to the manifest —
 * the corrected YAML at the file, line and column of the field — rather than a `kubectl patch`.
 *
 * "Would fail" stands in for "failing now": a pull the kubelet would make once the manifests are
 * applied, and that would fail, is an error of the check.
 */
import type { ContainerCtx, PullContext } from '../../src/engine/types.js';
import { containerField, podSpecField, pullSecretField, serviceAccountField } from '../../src/engine/locations.js';
import type { ManifestField, ManifestObjectRef, PathSegment } from '../../src/model/manifest.js';
import { sh } from '../../src/util/shell.js';
import { placeholder } from './commands.js';
import { formatPath } from '../../src/collect/misplaced-pull-secrets.js';
import { isDockerHubOfficial } from './images.js';

export { containerField, podSpecField, pullSecretField, serviceAccountField };

/** The rule runs in a manifest check. */
export const inCheck = (ctx: PullContext): boolean => ctx.sourceKind === 'manifest';

const FAILS = new Set(['credentials-rejected', 'access-denied', 'tag-not-found', 'repository-not-found']);

/**
 * Whether this container's pull would fail once deployed, as far as the check can tell: an
 * unparsable image, a pull secret that poisons the pod's keyring (§3.8), a probe that was refused
 * or found nothing; without a probe, an image that gets no usable credential from the pod's
 * secrets and is not a Docker Hub official image (public) — the pull would be anonymous, which a
 * private registry refuses. `imagePullPolicy: Never` never pulls.
 */
export function wouldFail(ctx: PullContext, c: ContainerCtx): boolean {
  if (!c.parse.ok) return true;
  if (c.pullPolicy === 'Never') return false;
  if (ctx.keyringError) return true;
  const probed = c.probe?.outcome;
  if (probed === 'ok') return false;
  if (probed !== undefined && FAILS.has(probed)) return true;
  if (c.lookup?.credentials.some((cr) => cr.username !== '' || cr.hasPassword)) return false;
  return !isDockerHubOfficial(c);
}

/** Whether the check's "would fail" for this container rests on an assumption (no conclusive probe). */
export function assumedToFail(ctx: PullContext, c: ContainerCtx): boolean {
  const probed = c.probe?.outcome;
  return c.parse.ok && !ctx.keyringError && (probed === undefined || (probed !== 'ok' && !FAILS.has(probed)));
}

/**
 * The "not verified" line of a check finding whose severity assumes that the registry refuses an
 * anonymous pull of these images: without `--probe` that was not asked.
 */
export function anonymousUnverified(ctx: PullContext, hurt: ContainerCtx[]): string[] {
  const assumed = hurt.filter((c) => assumedToFail(ctx, c));
  if (!assumed.length || !inCheck(ctx)) return [];
  const images = [...new Set(assumed.map((c) => `"${c.image}"`))].join(', ');
  return [`Whether the registry serves ${images} without credentials was not checked; pulldoctor check --probe asks it with the credentials the kubelet would send.`];
}

/** `deploy.yaml:23:9` for a field (its nearest existing part), else the template's `file:line`. */
export function at(ctx: PullContext, field?: ManifestField): string {
  const m = ctx.manifest;
  if (!m) return '';
  const loc = field ? m.index.locate(field) : undefined;
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : `${m.template.file}:${m.template.line}`;
}

/**
 * A YAML scalar for a snippet: single-quoted when it holds a placeholder (`'<digest>'`), so the
 * snippet stays valid YAML and, like every placeholder of a fix, inside quotes.
 */
export const yamlScalar = (s: string): string => (/[<>]/.test(s) ? `'${s.replace(/'/g, "''")}'` : s);

/** A JSON path as people read it: `spec.template.spec.imagePullSecrets[0].name`, `data[".dockerconfigjson"]`. */
export function pathText(path: readonly PathSegment[]): string {
  return formatPath(path);
}

/**
 * One remediation line that changes a manifest: where, what to do, and the corrected YAML as one
 * line of flow style, e.g.
 * `# deploy.yaml:23:11 spec.template.spec.imagePullSecrets[0].name — set it to the existing secret: name: acme-pull`.
 */
export function manifestEdit(ctx: PullContext, field: ManifestField | undefined, what: string, snippet?: string): string {
  const where = field ? `${at(ctx, field)} ${field.object.kind === ctx.manifest?.template.object.kind && field.object.name === ctx.manifest?.template.object.name ? '' : `${field.object.kind} ${field.object.name} `}${pathText(field.path)}` : at(ctx);
  return `# ${where} — ${what}${snippet ? `: ${snippet}` : ''}`;
}

/** A Secret of the pod's namespace (or another), as an object of the manifest set. */
export const secretRef = (ctx: PullContext, name: string, namespace = ctx.namespace): ManifestObjectRef => ({ kind: 'Secret', namespace, name });

/** Whether the manifest set holds this secret (its fix is a change to that manifest, not to the cluster). */
export const secretInManifests = (ctx: PullContext, name: string, namespace = ctx.namespace): boolean =>
  ctx.manifest?.index.has(secretRef(ctx, name, namespace)) === true;

/** A field of a Secret of the set. */
export const secretField = (ctx: PullContext, name: string, ...path: PathSegment[]): ManifestField => ({ object: secretRef(ctx, name), path });

/** The data key a Secret manifest writes its config under (`data` or `stringData`), for a field path. */
export function secretDataField(ctx: PullContext, name: string, key: string): ManifestField {
  const f = secretField(ctx, name, 'stringData', key);
  return ctx.manifest?.index.locate(f)?.path.endsWith(key) ? f : secretField(ctx, name, 'data', key);
}

/** `[{name: a}, {name: b}]` — an imagePullSecrets list in flow style (names quoted when they need it). */
export function pullSecretList(names: readonly string[]): string {
  const q = (n: string) => (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n) ? n : JSON.stringify(n));
  return `[${names.map((n) => `{name: ${q(n)}}`).join(', ')}]`;
}

/**
 * The command that writes a docker-registry Secret as a manifest (to add to the set, sealed or
 * templated as the repository keeps secrets): `--dry-run=client -o yaml` prints it without
 * touching a cluster. The password is a placeholder; never a value.
 */
export function secretManifestCommand(ctx: PullContext, name: string, server: string, username: string): string {
  return `kubectl create secret docker-registry ${sh(name)} -n ${sh(ctx.namespace)} --docker-server=${sh(server)} --docker-username=${sh(username)} --docker-password=${placeholder('password')} --dry-run=client -o yaml`;
}

/** The template's `imagePullSecrets` set to `names` (the names it lists now, changed), at that field (or the pod spec, where it goes). */
export function pullSecretsEdit(ctx: PullContext, names: readonly string[], what: string): string {
  return manifestEdit(ctx, podSpecField(ctx, 'imagePullSecrets'), what, `imagePullSecrets: ${pullSecretList(names)}`);
}

/** The names the template itself lists (not those admission would copy from the ServiceAccount). */
export function ownPullSecretNames(ctx: PullContext): string[] {
  if (ctx.manifest?.template.pullSecretsFromServiceAccount) return [];
  return (ctx.pod.spec.imagePullSecrets ?? []).map((r) => r.name ?? '').filter((n) => n !== '');
}

/** ` (in the manifests, deploy/secrets.yaml:12)` when the set holds the secret; else nothing. */
export function secretWhere(ctx: PullContext, name: string): string {
  return secretInManifests(ctx, name) ? ` (${at(ctx, secretField(ctx, name))})` : '';
}
