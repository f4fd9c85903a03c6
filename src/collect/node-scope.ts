/**
 * When a scan reads Nodes (the one list of `/api/v1/nodes` of scan-plan.ts, or the live source's
 * node watch): only when something a failing pull says needs them —
 * - a pull message points at the node (its disk, OS/architecture, registries.conf), or
 * - a failing image is on a cloud registry (Amazon ECR, Google Container Registry / Artifact
 *   Registry, Azure Container Registry), whose credentials usually come from the node's own cloud
 *   identity through the kubelet's credential provider plugin: the Node's providerID and labels
 *   say which platform runs it, and so which provider (src/credentials/node-platform.ts).
 * One list call either way, never a GET per node: the number of requests stays constant however
 * many pods fail on however many nodes. Pure: decided from the pods and events already read.
 */
import { cloudRegistryOf } from '../credentials/index.js';
import { parseImage } from '../image/reference.js';
import type { ContainerSpec, ContainerStatus, Pod } from '../model/kube.js';
import type { Snapshot } from '../model/snapshot.js';
import { PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';
import { pointsAtNode } from '../runtime/wordings.js';

/** A pull message points at the node: its disk, OS/architecture or runtime registry configuration. */
export function pointsAtNodes(s: Snapshot): boolean {
  if (s.events.some((e) => pointsAtNode(e.message ?? ''))) return true;
  return s.pods.some((p) =>
    [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].some((c) => pointsAtNode(c.state?.waiting?.message ?? '')),
  );
}

/** Waiting reasons of a pull that no credential can change. */
const NOT_CREDENTIALS = new Set(['InvalidImageName', 'ErrImageNeverPull']);

const onCloudRegistry = (image: string): boolean => {
  const r = parseImage(image);
  return r.ok && cloudRegistryOf(r.ref.domain) !== undefined;
};

function failingCloudImage(pod: Pod): boolean {
  const st = pod.status ?? {};
  const scan = (specs: ContainerSpec[] | undefined, statuses: ContainerStatus[] | undefined) =>
    (statuses ?? []).some((c) => {
      const reason = c.state?.waiting?.reason;
      if (!reason || !PULL_WAITING_REASONS.has(reason) || NOT_CREDENTIALS.has(reason)) return false;
      const image = specs?.find((x) => x.name === c.name)?.image ?? c.image;
      return image !== undefined && onCloudRegistry(image);
    });
  return scan(pod.spec.initContainers, st.initContainerStatuses) || scan(pod.spec.containers, st.containerStatuses) || scan(pod.spec.ephemeralContainers, st.ephemeralContainerStatuses);
}

/** The image a kubelet `Failed to pull image "…"` / back-off event quotes. */
const QUOTED_PULL = /^(?:Failed to pull image|Back-off pulling image) "([^"]+)"/;

/** A pod fails to pull an image of a cloud registry (by its waiting status, or the kubelet's event when the dump has no status). */
export function failingOnCloudRegistry(s: Snapshot): boolean {
  if (s.pods.some(failingCloudImage)) return true;
  return s.events.some((e) => {
    const m = QUOTED_PULL.exec(e.message ?? '');
    return m !== null && onCloudRegistry(m[1] as string);
  });
}

/** Whether the scan reads Nodes (in `auto` mode): a message points at the node, or a failing image is on a cloud registry. */
export function needsNodes(s: Snapshot): boolean {
  return pointsAtNodes(s) || failingOnCloudRegistry(s);
}
