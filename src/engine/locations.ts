/**
 * `pulldoctor check`: where in the manifests a finding points. A rule names the field it is
 * about (`RuleHit.field`); without one, the field follows from what the hit is about: the
 * container's `image`, the pull secret's entry in `imagePullSecrets` (or in the ServiceAccount
 * the names came from), else the pod spec. The manifest set's index turns the field into file,
 * line and column.
 */
import type { RuleHit } from '../model/finding.js';
import type { ManifestField, PathSegment, SourceLocation } from '../model/manifest.js';
import type { PullContext } from './types.js';

const LIST_KEY = { init: 'initContainers', container: 'containers', ephemeral: 'ephemeralContainers' } as const;

/** A field of the pod spec of the check's pod template (`path` from the pod spec). */
export function podSpecField(ctx: PullContext, ...path: PathSegment[]): ManifestField | undefined {
  const t = ctx.manifest?.template;
  return t ? { object: t.object, path: [...t.podSpecPath, ...path] } : undefined;
}

/** A container's field, e.g. its `image`: `spec.template.spec.containers[1].image`. */
export function containerField(ctx: PullContext, container: string, ...path: PathSegment[]): ManifestField | undefined {
  const c = ctx.containers.find((x) => x.name === container);
  if (!c) return undefined;
  const list = c.kind === 'init' ? ctx.pod.spec.initContainers : c.kind === 'ephemeral' ? ctx.pod.spec.ephemeralContainers : ctx.pod.spec.containers;
  const i = (list ?? []).findIndex((x) => x.name === container);
  return i < 0 ? undefined : podSpecField(ctx, LIST_KEY[c.kind], i, ...path);
}

/**
 * Where the pod gets a pull secret name: its template's `imagePullSecrets[i]`, or — when the
 * names came from the ServiceAccount through admission — that ServiceAccount's entry when the
 * manifests hold it, else the template's `serviceAccountName` (or its pod spec).
 */
export function pullSecretField(ctx: PullContext, secret: string): ManifestField | undefined {
  const m = ctx.manifest;
  if (!m) return undefined;
  const i = (ctx.pod.spec.imagePullSecrets ?? []).findIndex((r) => r.name === secret);
  if (i < 0) return undefined;
  if (!m.template.pullSecretsFromServiceAccount) return podSpecField(ctx, 'imagePullSecrets', i, 'name');
  return serviceAccountField(ctx, secret);
}

/** The ServiceAccount's entry for `secret` when the manifests hold it, else the template's `serviceAccountName`. */
export function serviceAccountField(ctx: PullContext, secret?: string): ManifestField | undefined {
  const m = ctx.manifest;
  if (!m) return undefined;
  const sa = { kind: 'ServiceAccount', namespace: ctx.namespace, name: ctx.serviceAccount.name };
  if (m.index.has(sa)) {
    const j = secret === undefined ? -1 : ctx.serviceAccount.pullSecrets.findIndex((s) => s.name === secret);
    return { object: sa, path: j < 0 ? ['imagePullSecrets'] : ['imagePullSecrets', j, 'name'] };
  }
  return podSpecField(ctx, 'serviceAccountName');
}

/** The field a hit is about: its own, else the container's image, the secret's entry, the pod spec. */
export function hitField(ctx: PullContext, hit: RuleHit): ManifestField | undefined {
  if (hit.field) return hit.field;
  return (
    (hit.container !== undefined ? containerField(ctx, hit.container, 'image') : undefined) ??
    (hit.secret !== undefined ? pullSecretField(ctx, hit.secret) : undefined) ??
    podSpecField(ctx)
  );
}

/** The hit's location in the manifests (check only); the template's pod spec when the field's object is not in the set. */
export function hitLocation(ctx: PullContext, hit: RuleHit): SourceLocation | undefined {
  const m = ctx.manifest;
  if (!m) return undefined;
  const field = hitField(ctx, hit);
  const fallback = podSpecField(ctx);
  return (field ? m.index.locate(field) : undefined) ?? (fallback ? m.index.locate(fallback) : undefined);
}
