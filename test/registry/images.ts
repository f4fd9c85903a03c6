/**
 * Build a tiny image in memory and push it through the registry's own API: blob uploads
 * (POST then monolithic PUT), then manifests (PUT) — a single-platform OCI manifest, a Docker
 * v2 manifest and a multi-arch OCI index (linux/amd64 + linux/arm64).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import { request } from './http.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export const sha256 = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

export interface PushTarget {
  /** `https://127.0.0.1:port` */
  base: string;
  ca?: string;
  /** The Authorization header value to push with (Basic or a push-scoped Bearer token), if any. */
  authorization?: (repo: string) => string | undefined;
}

function headers(t: PushTarget, repo: string, extra: Record<string, string> = {}): Record<string, string> {
  const a = t.authorization?.(repo);
  return { ...(a ? { authorization: a } : {}), ...extra };
}

export async function pushBlob(t: PushTarget, repo: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  const start = await request(`${t.base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: headers(t, repo), ...(t.ca ? { ca: t.ca } : {}) });
  if (start.status !== 202 || typeof start.headers.location !== 'string') {
    throw new Error(`blob upload start for ${repo} answered ${start.status}: ${start.body.toString('utf8').slice(0, 300)}`);
  }
  const loc = new URL(start.headers.location, t.base);
  loc.searchParams.set('digest', digest);
  const put = await request(loc, {
    method: 'PUT',
    headers: headers(t, repo, { 'content-type': 'application/octet-stream' }),
    body: data,
    ...(t.ca ? { ca: t.ca } : {}),
  });
  if (put.status !== 201) throw new Error(`blob upload for ${repo} answered ${put.status}: ${put.body.toString('utf8').slice(0, 300)}`);
  return { digest, size: data.length };
}

export async function pushManifest(t: PushTarget, repo: string, ref: string, mediaType: string, doc: unknown): Promise<{ digest: string; size: number }> {
  const body = Buffer.from(JSON.stringify(doc));
  const res = await request(`${t.base}/v2/${repo}/manifests/${ref}`, {
    method: 'PUT',
    headers: headers(t, repo, { 'content-type': mediaType }),
    body,
    ...(t.ca ? { ca: t.ca } : {}),
  });
  if (res.status !== 201) throw new Error(`manifest PUT ${repo}:${ref} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  return { digest: sha256(body), size: body.length };
}

export interface PushedImage {
  repo: string;
  /** `1.0`: a single OCI image manifest. */
  single: { tag: string; digest: string };
  /** `docker`: a Docker v2 schema 2 manifest. */
  docker: { tag: string; digest: string };
  /** `multi`: an OCI index of linux/amd64 and linux/arm64. */
  index: { tag: string; digest: string; platforms: string[] };
}

async function pushPlatformManifest(
  t: PushTarget,
  repo: string,
  arch: string,
  docker = false,
): Promise<{ digest: string; size: number; doc: unknown; mediaType: string }> {
  const raw = Buffer.from(`pulldoctor test layer for ${arch}\n`);
  const layer = gzipSync(raw);
  const config = Buffer.from(
    JSON.stringify({ architecture: arch, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(raw)] } }),
  );
  const l = await pushBlob(t, repo, layer);
  const c = await pushBlob(t, repo, config);
  const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST;
  const doc = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', ...c },
    layers: [{ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar+gzip', ...l }],
  };
  const ref = sha256(Buffer.from(JSON.stringify(doc)));
  return { ...(await pushManifest(t, repo, ref, mediaType, doc)), doc, mediaType };
}

export async function pushTestImage(t: PushTarget, repo: string): Promise<PushedImage> {
  const amd64 = await pushPlatformManifest(t, repo, 'amd64');
  const arm64 = await pushPlatformManifest(t, repo, 'arm64');
  const dockerM = await pushPlatformManifest(t, repo, 'amd64', true);
  // tag the amd64 manifest as 1.0, the Docker one as `docker`
  const single = await pushManifest(t, repo, '1.0', amd64.mediaType, amd64.doc);
  const docker = await pushManifest(t, repo, 'docker', dockerM.mediaType, dockerM.doc);
  const index = await pushManifest(t, repo, 'multi', OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: amd64.digest, size: amd64.size, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: OCI_MANIFEST, digest: arm64.digest, size: arm64.size, platform: { os: 'linux', architecture: 'arm64' } },
    ],
  });
  return {
    repo,
    single: { tag: '1.0', digest: single.digest },
    docker: { tag: 'docker', digest: docker.digest },
    index: { tag: 'multi', digest: index.digest, platforms: ['linux/amd64', 'linux/arm64'] },
  };
}
