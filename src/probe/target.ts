/**
 * What one probe asks about — a registry host, a repository path and a tag or digest — and the
 * host it asks. The probe builds URLs from these, so each part must lie inside the image
 * reference grammar.
 */

export interface ManifestTarget {
  host: string;
  path: string;
  reference: string;
}

/** Docker Hub's names (`docker.io`, legacy `index.docker.io`) are served by registry-1.docker.io. */
export function registryHost(domain: string): string {
  const d = domain.toLowerCase();
  if (d === 'docker.io' || d === 'index.docker.io') return 'registry-1.docker.io';
  return normalizeHost(domain);
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

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** The probe builds URLs from these: refuse anything outside the reference grammar. */
export function invalidTarget(t: ManifestTarget): string | undefined {
  if (!HOST_RE.test(t.host)) return `registry host ${JSON.stringify(t.host)} is not a host[:port]`;
  if (!PATH_RE.test(t.path)) return `repository path ${JSON.stringify(t.path)} is not valid`;
  if (!(isDigestReference(t.reference) ? DIGEST_RE : TAG_RE).test(t.reference)) return `reference ${JSON.stringify(t.reference)} is not a valid tag or digest`;
  return undefined;
}
