/**
 * Findings and the Report: the public contract (JSON schema version 1, see
 * schema/report.schema.json). Change deliberately; keep old fields working.
 */
import type { ManifestField, SourceLocation } from './manifest.js';
import type { AccessProblem, SkippedObject, SourceInfo } from './snapshot.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * How sure a finding is:
 * - `confirmed`: proven (the kubelet's own logic on data we hold, or a registry probe).
 * - `likely`: inferred from runtime messages that registries blur on purpose (401 vs 404).
 * - `unverified`: a conclusion we could not check (e.g. secrets not readable or not in the dump).
 */
export type Confidence = 'confirmed' | 'likely' | 'unverified';

export interface Evidence {
  /** Where the fact came from, e.g. `event`, `pod-status`, `secret`, `service-account`, `probe`, `node`, `image-reference`, `manifest`. */
  source: string;
  /** The object it came from, e.g. `Event default/web-1.17a… (Failed x4)` or `Secret default/regcred`. */
  ref?: string;
  /** The fact itself (untrusted cluster text is kept verbatim here; renderers sanitise). */
  detail: string;
  /** For events: occurrence count and last time seen. */
  count?: number;
  lastSeen?: string;
}

/** What a rule returns. The engine adds rule id, severity, runbook, workload, id. */
export interface RuleHit {
  message: string;
  container?: string;
  image?: string;
  /** The pull secret this finding is about (name in the pod's namespace, or `ns/name`). */
  secret?: string;
  evidence: Evidence[];
  /** Copy-paste commands with real names; placeholders only for secret values. */
  remediation: string[];
  confidence?: Confidence;
  /** Conclusions that could not be verified, each one sentence. */
  unverified?: string[];
  /** Overrides the rule's default severity (e.g. a latent problem on a running pod). */
  severity?: Severity;
  /** Findings of other rules this one is caused by or causes (rule ids); the engine links them. */
  causedBy?: { rule: string; secret?: string; container?: string }[];
  /**
   * `pulldoctor check`: the manifest field this finding is about; the engine turns it into the
   * finding's `location`. Without it a check finding points at the container's image, else the
   * pull secret's entry, else the pod spec.
   */
  field?: ManifestField;
}

export interface WorkloadRef {
  kind: string;
  name: string;
}

export interface Finding {
  /** Stable id: hash of cluster, rule, namespace, workload, container, secret. */
  id: string;
  rule: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  cluster?: string;
  namespace: string;
  pod: string;
  /** Other pods of the same workload with the same finding. */
  pods: string[];
  workload: WorkloadRef;
  /** `pulldoctor node` findings: the node they are about (then workload is `{ kind: 'Node' }`, namespace and pod are '' and pods is empty). */
  node?: string;
  container?: string;
  image?: string;
  secret?: string;
  message: string;
  evidence: Evidence[];
  remediation: string[];
  unverified: string[];
  /** Ids of findings this one is linked to (cause ↔ effect). */
  related: string[];
  /** Path of the runbook inside the package, e.g. `rules/registry-auth-rejected.md`. */
  runbook: string;
  /** `pulldoctor check`: where in the manifests the offending field is written. */
  location?: SourceLocation;
}

export interface ImageReferenceView {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

export interface CredentialView {
  /** The pull secret the credential comes from. */
  secret: string;
  /** The registry key exactly as written in the secret. */
  registryKey: string;
  /** The key after kubelet normalisation (§4). */
  normalizedKey: string;
  username: string;
  /** Whether a password/auth was present (never the value). */
  hasPassword: boolean;
  /** Short fingerprint of the secret part, to compare two secrets without showing either. */
  fingerprint: string;
  /** True when it applies only through the Docker Hub `index.docker.io` fallback (§8.3). */
  viaDockerHubFallback: boolean;
}

/** A pod pull secret's credential in a container's `credentials` (the kubelet's first keyring, §8.5). */
export interface PodSecretCredentialView extends CredentialView {
  source: 'pod-secret';
}

/**
 * The kubelet's credential provider step for the image, as the node's platform implies it
 * (kubelet-semantics §8.5: after the pod's secrets and the node's docker config): the plugin the
 * platform's node image runs, or the fact that it does not cover the image's registry. Only what
 * is known: never a username, token or password.
 */
export interface NodeProviderCredentialView {
  source: 'node-provider';
  /** The platform recognised from the pod's Node: `eks`, `gke`, `aks`. */
  platform: string;
  /** The node the pod runs on. */
  node: string;
  /** `ecr-credential-provider`, `auth-provider-gcp`, `acr-credential-provider`, or `fargate` (EKS Fargate pulls with the pod execution role). */
  provider: string;
  /** Whose cloud identity the provider turns into a registry token. */
  identity: string;
  /** Whether the provider's matchImages select this image (false: it does not run for it, and the node gives no credential). */
  applies: boolean;
  /** The matchImages entry that selects the image. */
  matchImage?: string;
  /** One sentence: what the kubelet does in this step. */
  detail: string;
}

/** One entry of a container's `credentials`, in the order the kubelet tries them. */
export type ContainerCredentialView = PodSecretCredentialView | NodeProviderCredentialView;

export type ProbeOutcome =
  | 'ok'
  | 'credentials-rejected'
  | 'access-denied'
  | 'tag-not-found'
  | 'repository-not-found'
  | 'rate-limited'
  | 'tls-error'
  | 'unreachable'
  | 'error';

export interface ProbeAttempt {
  /** `anonymous` or the secret name. */
  credential: string;
  registryKey?: string;
  username?: string;
  outcome: ProbeOutcome;
  detail: string;
  httpStatus?: number;
  digest?: string;
  mediaType?: string;
  platforms?: string[];
  rateLimit?: { limit?: string; remaining?: string };
}

export interface ContainerProbe {
  /** Probes run from the machine pulldoctor runs on, not from the node. */
  from: string;
  registry: string;
  attempts: ProbeAttempt[];
  /** Outcome of the attempt the kubelet's order decides on (first ok, else the last). */
  outcome: ProbeOutcome;
}

export interface ContainerReport {
  name: string;
  kind: 'init' | 'container' | 'ephemeral';
  image: string;
  reference?: ImageReferenceView;
  referenceError?: string;
  /** The normalised name the kubelet looks credentials up with (repoToPull). */
  lookup?: string;
  pullPolicy: string;
  waiting?: { reason?: string; message?: string };
  /** Pod secret credentials in the kubelet's order, then the node's credential provider step (when the node's platform is known). */
  credentials: ContainerCredentialView[];
  probe?: ContainerProbe;
}

export interface PodReport {
  cluster?: string;
  namespace: string;
  name: string;
  workload: WorkloadRef;
  node?: string;
  serviceAccount: string;
  imagePullSecrets: { name: string; status: string }[];
  containers: ContainerReport[];
  accessProblems: AccessProblem[];
}

export interface ReportSummary {
  podsScanned: number;
  podsWithPullProblems: number;
  workloadsAffected: number;
  findings: Record<Severity, number>;
  /**
   * False when the answer does not cover everything asked for: pods unreadable in some scope
   * (403, 5xx, timeout), a pod skipped as malformed, every input object unusable, or a cluster
   * that could not be scanned. An incomplete scan exits 2 and never says "no problems".
   */
  complete: boolean;
  /** Everything the scan could not read, with the reason and where (cluster added in fleet mode). */
  skipped: (SkippedObject & { cluster?: string })[];
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'pulldoctor'; version: string };
  source: SourceInfo & { clusters?: string[] };
  generatedAt: string;
  summary: ReportSummary;
  findings: Finding[];
  pods: PodReport[];
  accessProblems: (AccessProblem & { cluster?: string })[];
  skipped: Record<string, number>;
  /** Scan errors for clusters that could not be scanned at all (fleet mode). */
  errors: { cluster: string; message: string }[];
  /** `pulldoctor node` only: what the node's files say, per image. */
  node?: NodeReport;
}

// ───────────── `pulldoctor node`: the report's `node` section (additive; absent from cluster scans) ─────────────
// What the node's files say about image pulls, and per image where credentials come from and which
// endpoints the runtime contacts. Never a password, token or env value.

export interface NodeCredentialSourceView {
  /** `pod-secret` (from --from), `node-docker-config`, `provider`. */
  source: 'pod-secret' | 'node-docker-config' | 'provider';
  /** Secret name, config file path or provider name. */
  name: string;
  registryKey?: string;
  username?: string;
  /** provider: whether its matchImages select the image (it runs); node-docker-config: whether a key matches. */
  applies: boolean;
  detail?: string;
}

export interface NodeEndpointView {
  /** As the runtime would contact it, e.g. `https://mirror.local/v2`. */
  url: string;
  role: 'mirror' | 'server' | 'default' | 'location';
  capabilities?: string[];
  /** TLS notes: `skip_verify`, `ca <file>`, `insecure`. */
  tls?: string[];
  from?: string;
}

export interface NodePluginView {
  provider: string;
  outcome: 'ok' | 'failed' | 'no-credentials';
  detail: string;
  cacheKeyType?: string;
  cacheDuration?: string;
  /** Keys returned (never values). */
  keys?: string[];
}

export interface NodeImageView {
  image: string;
  from: string;
  lookup?: string;
  referenceError?: string;
  /** In the kubelet's order: pod secrets, then the node docker config, then the providers. */
  credentials: NodeCredentialSourceView[];
  endpoints: NodeEndpointView[];
  plugins?: NodePluginView[];
  probe?: ContainerProbe;
  mirrorProbes?: ContainerProbe[];
}

export interface NodeReport {
  name: string;
  nameFrom: string;
  root: string;
  kubelet: {
    source: 'process' | 'systemd' | 'none';
    detail: string;
    rootDir: string;
    config?: string;
    imageCredentialProviderConfig?: string;
    imageCredentialProviderBinDir?: string;
  };
  runtime: 'containerd' | 'cri-o' | 'unknown';
  providers: { name: string; apiVersion: string; matchImages: string[]; defaultCacheDuration?: string; binary?: string; binaryStatus?: string; tokenMode: boolean; file: string }[];
  dockerConfig: { path: string; status: string; keys: string[] }[];
  images: NodeImageView[];
}
