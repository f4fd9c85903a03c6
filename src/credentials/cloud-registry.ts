/**
 * Which cloud a registry host belongs to, read from the host alone: Amazon ECR (private and
 * public), Google Container Registry and Artifact Registry, Azure Container Registry. Pure; used
 * by the scan plan (read Nodes when a failing image is on one), the provider coverage
 * (./provider-coverage.ts) and the rules.
 *
 * ECR private hosts follow the regular expression of the ECR credential provider itself
 * (kubernetes/cloud-provider-aws `cmd/ecr-credential-provider/main.go` `ecrPrivateHostPattern`;
 * awslabs/amazon-ecr-credential-helper adds `amazonaws.eu`): account, `dkr.ecr` or the
 * dual-stack `dkr-ecr`, optional `-fips`, region, partition suffix.
 */

export type CloudRegistryKind = 'ecr' | 'ecr-public' | 'gcr' | 'artifact-registry' | 'acr';

export interface CloudRegistry {
  kind: CloudRegistryKind;
  cloud: 'aws' | 'gcp' | 'azure';
  /** The host, lower-cased, without a port. */
  host: string;
  /** ECR: the registry's account. */
  account?: string;
  /** ECR: the region; Artifact Registry: the location (`us`, `europe-west2`). */
  region?: string;
  fips?: boolean;
  /** ACR: the registry name (the first label of the login server). */
  name?: string;
  /**
   * The host carries the cloud's registry name but not in the shape its credential provider
   * expects (e.g. an ECR VPC-endpoint name, `vpce-…dkr.ecr.<region>.vpce.amazonaws.com`).
   */
  nonStandard?: true;
}

/** cloud-provider-aws `ecrPrivateHostPattern`, with the `amazonaws.eu` partition of the credential helper. */
export const ECR_PRIVATE_HOST =
  /^(\d{12})\.dkr[.-]ecr(-fips)?\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\.(amazonaws\.(?:com(?:\.cn)?|eu)|on\.(?:aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;
/** The hosts the ECR credential provider treats as ECR Public (it calls ecr-public:GetAuthorizationToken in us-east-1). */
const ECR_PUBLIC_HOSTS = new Set(['public.ecr.aws', 'ecr-public.aws.com']);
/** Any other host that names ECR's registry API (a VPC endpoint name, a mistyped partition). */
const ECR_LIKE = /(^|\.)dkr[.-]ecr(-fips)?\./;
const GCR = /^(?:[a-z0-9-]+\.)?gcr\.io$/;
const ARTIFACT_REGISTRY = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const ACR = /^([a-z0-9-]+)\.azurecr\.(io|cn|de|us)$/;

/** The host of an image domain or registry key: scheme, path and port dropped, lower-cased. */
export function hostOf(domainOrKey: string): string {
  let s = domainOrKey.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  s = s.split('/')[0] ?? '';
  if (s.startsWith('[')) return s.slice(0, s.indexOf(']') + 1).toLowerCase();
  return (s.split(':')[0] ?? '').toLowerCase();
}

/** The cloud registry a host (or image domain, or registry key) belongs to; undefined for any other registry. */
export function cloudRegistryOf(domainOrKey: string): CloudRegistry | undefined {
  const host = hostOf(domainOrKey);
  if (host === '') return undefined;
  const ecr = ECR_PRIVATE_HOST.exec(host);
  if (ecr) {
    const out: CloudRegistry = { kind: 'ecr', cloud: 'aws', host, account: ecr[1] as string, region: ecr[3] as string };
    if (ecr[2]) out.fips = true;
    return out;
  }
  if (ECR_PUBLIC_HOSTS.has(host)) return { kind: 'ecr-public', cloud: 'aws', host };
  if (ECR_LIKE.test(host)) {
    const region = /\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\./.exec(host)?.[1];
    return { kind: 'ecr', cloud: 'aws', host, ...(region ? { region } : {}), nonStandard: true };
  }
  if (GCR.test(host)) return { kind: 'gcr', cloud: 'gcp', host };
  const ar = ARTIFACT_REGISTRY.exec(host);
  if (ar) return { kind: 'artifact-registry', cloud: 'gcp', host, region: ar[1] as string };
  const acr = ACR.exec(host);
  if (acr) return { kind: 'acr', cloud: 'azure', host, name: acr[1] as string };
  return undefined;
}

/** What users call the registry: `Amazon ECR`, `Google Artifact Registry`, … */
export const REGISTRY_PRODUCT: Record<CloudRegistryKind, string> = {
  ecr: 'Amazon ECR',
  'ecr-public': 'Amazon ECR Public',
  gcr: 'Google Container Registry',
  'artifact-registry': 'Google Artifact Registry',
  acr: 'Azure Container Registry',
};

/**
 * Artifact Registry and GCR name the project in the image path: `<loc>-docker.pkg.dev/<project>/<repository>/…`,
 * `gcr.io/<project>/…` (a domain-scoped project `example.com:proj` stays as written).
 */
export function googleRepositoryOf(reg: CloudRegistry, path: string): { project: string; repository?: string; location?: string } | undefined {
  const [first, second] = path.split('/');
  if (!first) return undefined;
  if (reg.kind === 'artifact-registry') {
    if (!second) return undefined;
    return { project: first, repository: second, ...(reg.region ? { location: reg.region } : {}) };
  }
  if (reg.kind === 'gcr') return { project: first };
  return undefined;
}
