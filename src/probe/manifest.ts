/**
 * Manifests as the probe asks for them and reads them: the media types it accepts (OCI and
 * Docker, single images and indexes), and what an answer says — media type, digest and, for an
 * index, its platforms.
 */
import { createHash } from 'node:crypto';

import { header, type RawResponse } from './transport.js';

export const MEDIA_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MEDIA_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MANIFEST_ACCEPT = [MEDIA_OCI_INDEX, MEDIA_OCI_MANIFEST, MEDIA_DOCKER_LIST, MEDIA_DOCKER_MANIFEST].join(', ');

const INDEX_TYPES = new Set([MEDIA_OCI_INDEX, MEDIA_DOCKER_LIST]);

/** An image index body (needed for its platforms). */
export const MAX_MANIFEST_BODY = 4 * 1024 * 1024;

/** What a manifest answer says about the image. */
export interface ManifestFacts {
  /** Without parameters; empty when unknown. */
  mediaType: string;
  digest: string | undefined;
  platforms?: string[];
}

/** From the headers of an answer; `earlier` (a HEAD's) fills what this answer leaves out. */
export function headerFacts(res: RawResponse, earlier?: ManifestFacts): ManifestFacts {
  return {
    mediaType: (header(res, 'content-type') ?? earlier?.mediaType ?? '').split(';')[0]!.trim(),
    digest: header(res, 'docker-content-digest') ?? earlier?.digest,
  };
}

/** A body-less answer (HEAD) that leaves the platforms of an index, the digest or the type open. */
export function needsBody(res: RawResponse, f: ManifestFacts): boolean {
  return res.body.length === 0 && (INDEX_TYPES.has(f.mediaType) || !f.digest || !f.mediaType);
}

/** Completes the facts from the body: its `mediaType` field, its sha256 digest, an index's platforms. */
export function bodyFacts(res: RawResponse, f: ManifestFacts): ManifestFacts {
  if (res.body.length === 0) return f;
  let { mediaType, digest } = f;
  if (!mediaType) {
    try {
      const m = (JSON.parse(res.body.toString('utf8')) as { mediaType?: unknown }).mediaType;
      if (typeof m === 'string') mediaType = m;
    } catch {
      // keep it empty
    }
  }
  if (!digest && !res.truncated) digest = 'sha256:' + createHash('sha256').update(res.body).digest('hex');
  const out: ManifestFacts = { mediaType, digest };
  if (INDEX_TYPES.has(mediaType)) out.platforms = indexPlatforms(res.body);
  return out;
}

/** Platforms of an OCI index / Docker manifest list body: `os/arch[/variant]`, attestations skipped. */
export function indexPlatforms(body: Buffer): string[] {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { manifests?: unknown };
    if (!Array.isArray(doc.manifests)) return [];
    const out: string[] = [];
    for (const m of doc.manifests) {
      const p = (m as { platform?: { os?: unknown; architecture?: unknown; variant?: unknown } } | null)?.platform;
      if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') continue;
      if (p.os === 'unknown' && p.architecture === 'unknown') continue; // buildx attestation manifests
      const s = `${p.os}/${p.architecture}${typeof p.variant === 'string' && p.variant ? `/${p.variant}` : ''}`;
      if (!out.includes(s)) out.push(s);
    }
    return out;
  } catch {
    return [];
  }
}
