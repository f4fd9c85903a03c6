/** What an image reference says about itself: Docker Hub, an official image, a tag that moves. */
import type { ContainerCtx } from '../../src/engine/types.js';

export const isDockerHub = (c: ContainerCtx): boolean => c.parse.ok && c.parse.ref.domain === 'docker.io';
export const isDockerHubOfficial = (c: ContainerCtx): boolean => isDockerHub(c) && c.parse.ok && c.parse.ref.path.startsWith('library/');

/**
 * Tags that name a moving target by convention: `latest` (also what no tag means) and the branch
 * and channel names registries re-push under. A version tag can be re-pushed too, but is not
 * meant to move; these are.
 */
export const MOVING_TAGS: ReadonlySet<string> = new Set([
  'latest',
  'stable',
  'edge',
  'main',
  'master',
  'develop',
  'dev',
  'nightly',
  'canary',
  'head',
  'snapshot',
  'unstable',
  'testing',
  'next',
  'current',
  'release',
  'rolling',
]);

/** The container's image is named by a moving tag and no digest: the tag (`latest` when none is written). */
export function movingTag(c: ContainerCtx): string | undefined {
  if (!c.parse.ok || c.parse.ref.digest) return undefined;
  const tag = c.parse.ref.tag ?? 'latest';
  return MOVING_TAGS.has(tag.toLowerCase()) ? tag : undefined;
}

/** Whether the image as written names a tag (`nginx` names none: the kubelet adds `:latest`). */
export const writesTag = (c: ContainerCtx): boolean => c.parse.ok && c.parse.ref.tag !== undefined && c.image.includes(`:${c.parse.ref.tag}`);
