/**
 * What one probe asks about — a registry host, a repository path and a tag or digest — and the
 * host it asks. The probe builds URLs from these, so each part must lie inside the image
 * reference grammar (src/image/reference.ts, the kubelet's own); which host serves Docker Hub
 * is the probe's knowledge.
 */
import { isReferenceDigest, isReferenceDomain, isReferenceTag, isRepositoryPath } from '../image/reference.js';

export interface ManifestTarget {
  host: string;
  path: string;
  reference: string;
}

/** Docker Hub's names (`docker.io`, legacy `index.docker.io`) are served by registry-1.docker.io. */
export function registryHost(domain: string): string {
  const d = domain.toLowerCase();
  if (d === 'docker.io' || d === 'index.docker.io') return 'registry-1.docker.io';
  // Outside the grammar (never from a parsed reference): left as it is, refused by invalidTarget.
  return isReferenceDomain(domain) ? normalizeHost(domain) : d;
}

/** `host[:port]` as URL.host writes it (lower case, default port 443 dropped). */
export function normalizeHost(host: string): string {
  try {
    return new URL(`https://${host}`).host;
  } catch {
    return host.toLowerCase();
  }
}

/** A digest (`sha256:…`) rather than a tag: tags cannot hold a colon. */
export const isDigestReference = (reference: string): boolean => reference.includes(':');

/** `manifest sha256:…` or `tag "1.0"`, as details name the reference. */
export const referenceText = (reference: string): string => (isDigestReference(reference) ? `manifest ${reference}` : `tag "${reference}"`);

/** The probe builds URLs from these: refuse anything outside the reference grammar. */
export function invalidTarget(t: ManifestTarget): string | undefined {
  if (!isReferenceDomain(t.host) || !isUrlHost(t.host)) return `registry host ${JSON.stringify(t.host)} is not a host[:port]`;
  if (!isRepositoryPath(t.path)) return `repository path ${JSON.stringify(t.path)} is not valid`;
  const valid = isDigestReference(t.reference) ? isReferenceDigest(t.reference) : isReferenceTag(t.reference);
  if (!valid) return `reference ${JSON.stringify(t.reference)} is not a valid tag or digest`;
  return undefined;
}

/** The grammar allows any port number; a URL does not (e.g. `:70000`). */
function isUrlHost(host: string): boolean {
  try {
    new URL(`https://${host}/v2/`);
    return true;
  } catch {
    return false;
  }
}
