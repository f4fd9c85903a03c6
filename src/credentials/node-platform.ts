/**
 * Which platform runs a node, recognised from what its Node object shows (node-credentials.md §5):
 * `spec.providerID`, the managed platforms' own labels, and the kubelet version's suffix. Labels
 * are stronger evidence than the providerID: a self-managed node on a cloud carries the cloud's
 * providerID (set by the cloud controller manager) but not the managed labels, and only a managed
 * node image is known to run the platform's credential provider plugin.
 *
 * Also the cluster's identity where its kubeconfig name shows it (`aws eks update-kubeconfig`
 * names it by its ARN, eksctl `<name>.<region>.eksctl.io`, `gcloud container clusters
 * get-credentials` `gke_<project>_<location>_<name>`), and the AKS cluster behind a node resource
 * group `MC_<resource group>_<cluster>_<location>`. Pure.
 *
 * Real shapes (public sources):
 * - EKS: `aws:///us-west-2a/i-1234567890abcdef0`; Fargate
 *   `aws:///us-east-1b/b7af340c11-9ec3eeb6643c4ea58b0285cefd83ef94/fargate-ip-10-65-48-87.ec2.internal`
 *   (node name `fargate-ip-…`, label `eks.amazonaws.com/compute-type=fargate`); kubelet `v1.N.P-eks-<hash>`.
 * - GKE: `gce://test-stackstate/europe-west4-a/gke-test-default-pool-9f8f65a4-2kld`, label
 *   `cloud.google.com/gke-nodepool`; kubelet `v1.N.P-gke.<build>`.
 * - AKS: `azure:///subscriptions/<sub>/resourceGroups/mc_hibrid-weu_be3rr5ovr8ulf_westeurope/providers/Microsoft.Compute/virtualMachines/aks-pool1-27255451-0`
 *   (the cloud provider lower-cases the resource group, cloud-provider-azure
 *   `convertResourceGroupNameToLower`), labels `kubernetes.azure.com/cluster=MC_k8s-1_aks1_uksouth`,
 *   `kubernetes.azure.com/agentpool`, `kubernetes.azure.com/kubelet-identity-client-id`; plain `v1.N.P`.
 */
import type { NodeInfo } from '../model/kube.js';

/**
 * - `eks`, `gke`, `aks`: a managed node, whose node image runs the platform's credential provider;
 * - `aws`, `gce`, `azure`: a VM of that cloud without the managed labels (self-managed, kops,
 *   kubeadm …): whether its kubelet runs a credential provider only the node shows;
 * - `other`: anything else (another providerID, or none).
 */
export type NodePlatformKind = 'eks' | 'gke' | 'aks' | 'aws' | 'gce' | 'azure' | 'other';

export interface NodePlatform {
  platform: NodePlatformKind;
  /** EKS: `ec2` (managed or self-managed node group with the EKS kubelet), `fargate`, `auto-mode`. */
  compute?: 'ec2' | 'fargate' | 'auto-mode';
  /** The facts that decided, each `<field> <value>`, for evidence. */
  signals: string[];
  /** EKS node group, GKE node pool, AKS agent pool. */
  nodePool?: string;
  /** The zone the providerID names (EKS, GKE). */
  zone?: string;
  /** The instance the providerID names (`i-…`, the GCE instance, the AKS VM). */
  instance?: string;
  /** GKE: the project of the node's VM. */
  gcpProject?: string;
  /** AKS: the subscription and node resource group (the label's spelling when it has one), and the kubelet identity's client ID. */
  azure?: { subscription?: string; nodeResourceGroup?: string; kubeletIdentityClientId?: string };
}

const EKS_VERSION = /-eks-[0-9a-f]+$/;
const GKE_VERSION = /-gke\.\d+$/;

const label = (n: NodeInfo, k: string): string | undefined => n.labels?.[k];

/** The cloud a providerID names, and its parts. */
function providerIdParts(id: string): { cloud: 'aws' | 'gce' | 'azure' | 'other'; zone?: string; instance?: string; project?: string; subscription?: string; resourceGroup?: string } {
  if (id.startsWith('aws://')) {
    // aws:///<zone>/<instance>, aws:////<instance>, Fargate aws:///<zone>/<hash>/fargate-ip-…
    const segs = id.slice('aws://'.length).split('/').filter((s, i) => i > 0 || s !== '');
    const zone = segs.length > 1 && segs[0] ? segs[0] : undefined;
    const instance = segs.at(-1) || undefined;
    return { cloud: 'aws', ...(zone ? { zone } : {}), ...(instance ? { instance } : {}) };
  }
  if (id.startsWith('gce://')) {
    const [project, zone, instance] = id.slice('gce://'.length).split('/');
    return { cloud: 'gce', ...(project ? { project } : {}), ...(zone ? { zone } : {}), ...(instance ? { instance } : {}) };
  }
  if (id.startsWith('azure://')) {
    const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
    const rg = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
    const instance = id.split('/').at(-1) || undefined;
    return { cloud: 'azure', ...(sub ? { subscription: sub } : {}), ...(rg ? { resourceGroup: rg } : {}), ...(instance ? { instance } : {}) };
  }
  return { cloud: 'other' };
}

/** The platform of one node, from its reduced Node (providerID, platform labels, kubelet version). */
export function recognisePlatform(node: NodeInfo): NodePlatform {
  const signals: string[] = [];
  const pid = node.providerID;
  const parts = pid ? providerIdParts(pid) : { cloud: 'other' as const };
  if (pid) signals.push(`spec.providerID ${pid}`);
  const version = node.kubeletVersion ?? '';

  const nodegroup = label(node, 'eks.amazonaws.com/nodegroup');
  const computeType = label(node, 'eks.amazonaws.com/compute-type');
  const fargate = computeType === 'fargate' || (parts.cloud === 'aws' && node.name.startsWith('fargate-'));
  if (nodegroup !== undefined || computeType !== undefined || EKS_VERSION.test(version) || fargate) {
    if (nodegroup !== undefined) signals.push(`label eks.amazonaws.com/nodegroup=${nodegroup}`);
    if (computeType !== undefined) signals.push(`label eks.amazonaws.com/compute-type=${computeType}`);
    if (EKS_VERSION.test(version)) signals.push(`kubeletVersion ${version}`);
    const out: NodePlatform = { platform: 'eks', compute: fargate ? 'fargate' : computeType === 'auto' ? 'auto-mode' : 'ec2', signals };
    if (nodegroup) out.nodePool = nodegroup;
    if (parts.zone) out.zone = parts.zone;
    if (parts.instance) out.instance = parts.instance;
    return out;
  }

  const pool = label(node, 'cloud.google.com/gke-nodepool');
  if (pool !== undefined || GKE_VERSION.test(version)) {
    if (pool !== undefined) signals.push(`label cloud.google.com/gke-nodepool=${pool}`);
    if (GKE_VERSION.test(version)) signals.push(`kubeletVersion ${version}`);
    const out: NodePlatform = { platform: 'gke', signals };
    if (pool) out.nodePool = pool;
    if (parts.project) out.gcpProject = parts.project;
    if (parts.zone) out.zone = parts.zone;
    if (parts.instance) out.instance = parts.instance;
    return out;
  }

  const aksCluster = label(node, 'kubernetes.azure.com/cluster');
  const agentPool = label(node, 'kubernetes.azure.com/agentpool');
  const identity = label(node, 'kubernetes.azure.com/kubelet-identity-client-id');
  if (aksCluster !== undefined || agentPool !== undefined || identity !== undefined) {
    if (aksCluster !== undefined) signals.push(`label kubernetes.azure.com/cluster=${aksCluster}`);
    if (agentPool !== undefined) signals.push(`label kubernetes.azure.com/agentpool=${agentPool}`);
    if (identity) signals.push(`label kubernetes.azure.com/kubelet-identity-client-id=${identity}`);
    const out: NodePlatform = { platform: 'aks', signals };
    if (agentPool) out.nodePool = agentPool;
    if (parts.instance) out.instance = parts.instance;
    const azure: NonNullable<NodePlatform['azure']> = {};
    if (parts.subscription) azure.subscription = parts.subscription;
    const rg = aksCluster || parts.resourceGroup;
    if (rg) azure.nodeResourceGroup = rg;
    if (identity) azure.kubeletIdentityClientId = identity;
    out.azure = azure;
    return out;
  }

  const out: NodePlatform = { platform: parts.cloud, signals };
  if (parts.zone) out.zone = parts.zone;
  if (parts.instance) out.instance = parts.instance;
  if (parts.project) out.gcpProject = parts.project;
  return out;
}

/** A platform's name as users know it. */
export const PLATFORM_NAME: Record<NodePlatformKind, string> = {
  eks: 'Amazon EKS',
  gke: 'Google GKE',
  aks: 'Azure AKS',
  aws: 'AWS EC2 (not an EKS node image)',
  gce: 'Google Compute Engine (not a GKE node)',
  azure: 'Azure VM (not an AKS node)',
  other: 'an unrecognised platform',
};

// ───────────────────────────── the cluster, from its kubeconfig name ─────────────────────────────

export interface ClusterIdentity {
  platform: 'eks' | 'gke';
  name: string;
  /** EKS: region; GKE: location (zone or region). */
  location: string;
  /** EKS: account. */
  account?: string;
  /** GKE: project. */
  project?: string;
}

const EKS_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]*)$/;
const EKSCTL = /^([A-Za-z0-9][A-Za-z0-9-]*)\.([a-z0-9-]+)\.eksctl\.io$/;
const GKE_NAME = /^gke_([a-z][a-z0-9:.-]*)_([a-z0-9-]+)_([a-z0-9-]+)$/;

/** The EKS or GKE cluster a kubeconfig cluster name names, when it has the shape their tools write. */
export function clusterIdentity(kubeconfigCluster: string | undefined): ClusterIdentity | undefined {
  if (!kubeconfigCluster) return undefined;
  const arn = EKS_ARN.exec(kubeconfigCluster);
  if (arn) return { platform: 'eks', location: arn[1] as string, account: arn[2] as string, name: arn[3] as string };
  const eksctl = EKSCTL.exec(kubeconfigCluster);
  if (eksctl) return { platform: 'eks', name: eksctl[1] as string, location: eksctl[2] as string };
  const gke = GKE_NAME.exec(kubeconfigCluster);
  if (gke) return { platform: 'gke', project: gke[1] as string, location: gke[2] as string, name: gke[3] as string };
  return undefined;
}

// ───────────────────────────── AKS: the cluster behind a node resource group ─────────────────────────────

/**
 * The AKS cluster and its resource group from the default node resource group name
 * `MC_<resource group>_<cluster>_<location>`. Undefined when the name does not have that shape (a
 * custom `--node-resource-group`), is cut short (AKS truncates it at 80 characters), or splits
 * more than one way (underscores in the names) and `clusterHint` (the kubeconfig cluster name,
 * which `az aks get-credentials` sets to the cluster's name) does not settle it.
 */
export function aksClusterOf(nodeResourceGroup: string, clusterHint?: string): { resourceGroup: string; cluster: string; location: string } | undefined {
  if (nodeResourceGroup.length >= 80) return undefined;
  const m = /^MC_(.+)_([a-z0-9]+)$/i.exec(nodeResourceGroup);
  if (!m) return undefined;
  const middle = m[1] as string;
  const location = m[2] as string;
  const pieces = middle.split('_');
  if (pieces.length === 2 && pieces[0] && pieces[1]) return { resourceGroup: pieces[0], cluster: pieces[1], location };
  if (clusterHint && middle.toLowerCase().endsWith(`_${clusterHint.toLowerCase()}`)) {
    const rg = middle.slice(0, middle.length - clusterHint.length - 1);
    if (rg) return { resourceGroup: rg, cluster: middle.slice(rg.length + 1), location };
  }
  return undefined;
}
