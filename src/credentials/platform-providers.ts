/**
 * The credential provider plugin each managed platform runs by default, with the paths its node
 * image uses (node-credentials.md §4). Shared by `pulldoctor node` (to name the platform behind a
 * config path and compare a node's providers with the defaults) and the cluster scan (to know
 * which registries a platform's nodes can pull from with their own identity).
 *
 * Marked `verified: false` where the source list is not re-verified (see §4).
 */

export type Platform = 'eks' | 'gke' | 'aks' | 'k3s';

export interface PlatformProvider {
  platform: Platform;
  /** Variant, e.g. `AL2023 (nodeadm)`. */
  variant: string;
  /** providers[].name = the plugin executable. */
  provider: string;
  apiVersion: string;
  matchImages: string[];
  defaultCacheDuration: string;
  args?: string[];
  /** --image-credential-provider-config on that node image. */
  configPath: string;
  /** --image-credential-provider-bin-dir on that node image. */
  binDir: string;
  /** false when a path or list is not re-verified against the platform's source. */
  verified: boolean;
}

const ECR_PATTERNS = [
  '*.dkr.ecr.*.amazonaws.com',
  '*.dkr-ecr.*.on.aws',
  '*.dkr.ecr.*.amazonaws.com.cn',
  '*.dkr-ecr.*.on.amazonwebservices.com.cn',
  '*.dkr.ecr-fips.*.amazonaws.com',
  '*.dkr-ecr-fips.*.on.aws',
  '*.dkr.ecr.*.c2s.ic.gov',
  '*.dkr.ecr.*.sc2s.sgov.gov',
  '*.dkr.ecr.*.cloud.adc-e.uk',
  '*.dkr.ecr.*.csp.hci.ic.gov',
  '*.dkr.ecr.*.amazonaws.eu',
  'public.ecr.aws',
  'ecr-public.aws.com',
];

export const PLATFORM_PROVIDERS: readonly PlatformProvider[] = [
  {
    platform: 'eks',
    variant: 'AL2023 (nodeadm)',
    provider: 'ecr-credential-provider',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    matchImages: ECR_PATTERNS,
    defaultCacheDuration: '12h0m0s',
    configPath: '/etc/eks/image-credential-provider/config.json',
    binDir: '/etc/eks/image-credential-provider',
    verified: true,
  },
  {
    platform: 'eks',
    variant: 'Bottlerocket',
    provider: 'ecr-credential-provider',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    matchImages: ECR_PATTERNS,
    defaultCacheDuration: '12h',
    configPath: '/etc/kubernetes/kubelet/credential-provider-config.yaml',
    binDir: '/usr/libexec/kubernetes/kubelet/plugins',
    verified: false,
  },
  {
    platform: 'gke',
    variant: 'GKE / kube-up GCE',
    provider: 'auth-provider-gcp',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    matchImages: ['container.cloud.google.com', 'gcr.io', '*.gcr.io', '*.pkg.dev'],
    defaultCacheDuration: '1m',
    args: ['get-credentials', '--v=3'],
    configPath: '/etc/srv/kubernetes/cri_auth_config.yaml',
    binDir: '/home/kubernetes/bin',
    verified: false,
  },
  {
    platform: 'aks',
    variant: 'AKS (AgentBaker)',
    provider: 'acr-credential-provider',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    matchImages: ['*.azurecr.io', '*.azurecr.cn', '*.azurecr.de', '*.azurecr.us'],
    defaultCacheDuration: '10m',
    args: ['/etc/kubernetes/azure.json'],
    configPath: '/var/lib/kubelet/credential-provider-config.yaml',
    binDir: '/var/lib/kubelet/credential-provider',
    verified: false,
  },
  {
    platform: 'k3s',
    variant: 'k3s / RKE2',
    provider: '',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    matchImages: [],
    defaultCacheDuration: '',
    configPath: '/var/lib/rancher/credentialprovider/config.yaml',
    binDir: '/var/lib/rancher/credentialprovider/bin',
    verified: false,
  },
];

/** The platform defaults whose provider or config path this node's setup names. */
export function platformDefaultsFor(configPath: string | undefined, providerNames: readonly string[]): PlatformProvider[] {
  return PLATFORM_PROVIDERS.filter((p) => (configPath !== undefined && p.configPath === configPath) || (p.provider !== '' && providerNames.includes(p.provider)));
}
