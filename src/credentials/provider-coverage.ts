/**
 * The kubelet's credential provider step for one image on one platform (kubelet-semantics §8.5:
 * pod secrets, then the node's docker config, then the plugins; node-credentials.md §2): does the
 * provider the platform's node image runs select the image with its `matchImages`
 * (./provider-match.ts, the kubelet's URLsMatch), and so turn the node's cloud identity into a
 * registry credential for it?
 *
 * A pure function of (image, platform facts), shared by the cluster scan and `pulldoctor check`:
 * the facts come from a Node (./node-platform.ts) or from what the user says the platform is.
 */
import { cloudRegistryOf, ECR_PRIVATE_HOST, hostOf, type CloudRegistry } from './cloud-registry.js';
import type { NodePlatform, NodePlatformKind } from './node-platform.js';
import { PLATFORM_PROVIDERS, type PlatformProvider } from './platform-providers.js';
import { matchingImagePattern, nearMatchImages, type MatchImageMiss } from './provider-match.js';

export interface ProviderCoverage {
  /**
   * - `covered`: the platform's provider runs for this image (its matchImages select it);
   * - `not-covered`: it does not, so the node gives no credential for it;
   * - `unknown`: which providers the node runs only the node shows (a self-managed or unrecognised node).
   */
  status: 'covered' | 'not-covered' | 'unknown';
  platform: NodePlatformKind;
  /** The plugin (`providers[].name`), or `fargate` for EKS Fargate, where AWS pulls with the pod execution role. */
  provider?: string;
  /** Whose identity the provider turns into a registry token, in words. */
  identity?: string;
  /** The matchImages entry that selects the image. */
  matchImage?: string;
  /** The image's registry when it belongs to a cloud (ECR, GCR/Artifact Registry, ACR). */
  registry?: CloudRegistry;
  /** `not-covered`: a matchImages entry that nearly selects the image (label count, port, path). */
  nearMiss?: MatchImageMiss;
  /** How the kubelet caches the provider's answer (node-credentials.md §4). */
  cache?: string;
  /** `unknown`: why. */
  reason?: string;
}

/** The provider each managed platform's node image runs (the verified variant where there are several). */
function platformProvider(platform: 'eks' | 'gke' | 'aks'): PlatformProvider {
  const list = PLATFORM_PROVIDERS.filter((p) => p.platform === platform);
  return (list.find((p) => p.verified) ?? list[0]) as PlatformProvider;
}

const IDENTITY: Record<'eks' | 'fargate' | 'gke' | 'aks', string> = {
  eks: "the node's IAM role (its instance profile)",
  fargate: "the Fargate profile's pod execution role",
  gke: "the node pool's service account, limited by the node pool's access scopes",
  aks: 'the kubelet identity (the managed identity "<cluster>-agentpool" in the node resource group)',
};

const CACHE: Record<'eks' | 'gke' | 'aks', string> = {
  eks: 'the kubelet caches the token per registry for half its 12 h life (cacheKeyType Registry)',
  gke: 'auth-provider-gcp answers with no cache duration unless KUBE_SIDECAR_CACHE_DURATION is set, so the kubelet asks it on every pull',
  aks: 'the kubelet caches the token per registry for 5 minutes (cacheKeyType Registry)',
};

/** The node's provider step for `repoToPull` (the kubelet's normalised image name, no tag or digest). */
export function nodeProviderCoverage(repoToPull: string, node: Pick<NodePlatform, 'platform' | 'compute'>): ProviderCoverage {
  const host = hostOf(repoToPull);
  const registry = cloudRegistryOf(host);
  const base = { platform: node.platform, ...(registry ? { registry } : {}) };
  if (node.platform !== 'eks' && node.platform !== 'gke' && node.platform !== 'aks') {
    return { ...base, status: 'unknown', reason: 'the node is not a managed EKS, GKE or AKS node, so which credential providers its kubelet runs only the node shows' };
  }
  if (node.platform === 'eks' && node.compute === 'fargate') {
    // No kubelet plugin to read: AWS pulls private ECR images with the pod execution role.
    const covered = ECR_PRIVATE_HOST.test(host);
    return {
      ...base,
      status: covered ? 'covered' : 'not-covered',
      provider: 'fargate',
      identity: IDENTITY.fargate,
    };
  }
  const p = platformProvider(node.platform);
  const out: ProviderCoverage = { ...base, status: 'not-covered', provider: p.provider, identity: IDENTITY[node.platform], cache: CACHE[node.platform] };
  const hit = matchingImagePattern({ name: p.provider, matchImages: p.matchImages }, repoToPull);
  if (hit !== undefined) {
    out.status = 'covered';
    out.matchImage = hit;
    return out;
  }
  const [near] = nearMatchImages([{ name: p.provider, matchImages: p.matchImages }], repoToPull);
  if (near) out.nearMiss = near;
  return out;
}

/** Whether the platform's own registry is the image's (an ECR image on EKS, ACR on AKS, GCR/AR on GKE). */
export function sameCloud(platform: NodePlatformKind, registry: CloudRegistry | undefined): boolean {
  if (!registry) return false;
  return (
    ((platform === 'eks' || platform === 'aws') && registry.cloud === 'aws') ||
    ((platform === 'gke' || platform === 'gce') && registry.cloud === 'gcp') ||
    ((platform === 'aks' || platform === 'azure') && registry.cloud === 'azure')
  );
}
