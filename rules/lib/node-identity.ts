/**
 * The node identity behind a refused pull, per platform (node-credentials.md §4): who the
 * registry refused (the EKS node role or Fargate pod execution role, the GKE node pool's service
 * account, the AKS kubelet identity), what it names, and the exact commands that grant it pull
 * access — real names where the input shows them (the registry's answer, the Node's labels and
 * providerID, the kubeconfig cluster name), placeholders only for what it cannot.
 */
import { aksClusterOf, googleRepositoryOf, REGISTRY_PRODUCT, type CloudRegistry, type ProviderCoverage } from '../../src/credentials/index.js';
import type { ContainerCtx, PullContext } from '../../src/engine/types.js';
import { parseEcrDenial, parseGarDenial } from '../../src/runtime/cloud-identity.js';
import { placeholder, placeholderText as ph, sh } from './commands.js';
import { nodeCheckCommand, podNode } from './cloud-helpers.js';
import type { PullProblem } from './runtime-helpers.js';

export interface IdentityDiagnosis {
  /** Who was refused, in words: `IAM role "NodeRole"`. */
  who: string;
  /** Sentences for the message, after the opening one. */
  sentences: string[];
  remediation: string[];
  unverified: string[];
  /** The registry's answer names the node's identity and the missing permission, unambiguously. */
  confirmed: boolean;
}

/** What the pull's words say about the credential the node's provider supplied. */
export type ProviderAttempt = 'refused' | 'none' | 'unknown';

/**
 * - `refused`: a credential was sent and the registry said no (403, `denied`, an IAM or permission
 *   denial, the token server refusing a credential);
 * - `none`: the pull carried no credential (`no basic auth credentials`, `failed to fetch anonymous
 *   token`, a bare 401): the provider gave the kubelet nothing usable.
 */
export function providerAttempt(p: PullProblem): ProviderAttempt {
  const f = p.classified;
  if (!f) return 'unknown';
  const parts = f.attempts ?? [{ cause: f.cause, credentials: attemptOf(f.subKind), httpStatus: f.httpStatus, subKind: f.subKind }];
  if (parts.some((a) => a.credentials === 'sent')) return 'refused';
  if (parts.every((a) => a.credentials === 'none')) return 'none';
  if (parseEcrDenial(f.detail) || parseGarDenial(f.detail) || f.httpStatus === 403 || f.subKind === 'denied' || f.subKind === 'token-not-granted') return 'refused';
  if (f.httpStatus === 401 || f.subKind === 'no-credentials' || f.subKind === 'anonymous-token-refused') return 'none';
  return 'unknown';
}

const attemptOf = (subKind: unknown): 'sent' | 'none' | 'unknown' =>
  subKind === 'token-refused' || subKind === 'token-not-granted' ? 'sent' : subKind === 'no-credentials' || subKind === 'anonymous-token-refused' ? 'none' : 'unknown';

const PULL_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly';
const FARGATE_POLICY = 'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy';

// ───────────────────────────── EKS / ECR ─────────────────────────────

export function ecrIdentity(ctx: PullContext, c: ContainerCtx, p: PullProblem, cov: ProviderCoverage, registry: CloudRegistry): IdentityDiagnosis {
  const text = p.failure.error ?? '';
  const denial = parseEcrDenial(text);
  const facts = ctx.nodePlatform.facts;
  const cluster = ctx.nodePlatform.cluster?.platform === 'eks' ? ctx.nodePlatform.cluster : undefined;
  const region = registry.region ?? cluster?.location ?? ph('region');
  const clusterName = cluster?.name ?? ph('cluster');
  const repo = c.parse.ok ? c.parse.ref.path : ph('repository');
  const fargate = cov.provider === 'fargate';
  const attempt = providerAttempt(p);
  const sentences: string[] = [];
  const remediation: string[] = [];
  const unverified: string[] = [];
  const role = denial?.role;

  if (denial) {
    sentences.push(
      `ECR names the identity: ${denial.principal} is not authorized to perform ${denial.action}${denial.resource ? ` on ${denial.resource}` : ''}` +
        (denial.noIdentityPolicy ? ', because no identity-based policy allows it' : '') +
        (denial.session && /^i-[0-9a-f]+$/.test(denial.session) ? ` (the session ${denial.session} is the node's EC2 instance: its instance profile made the call)` : '') +
        '.',
    );
  } else if (attempt === 'none') {
    sentences.push(
      fargate
        ? 'Fargate fetches the token with the pod execution role, which needs ecr:GetAuthorizationToken and pull access to the repository.'
        : "The plugin gets its token with ecr:GetAuthorizationToken as the node's IAM role; when that call fails the kubelet only logs it and pulls without a credential, which ECR refuses.",
    );
  } else {
    sentences.push(`ECR refused the token of ${fargate ? "the Fargate profile's pod execution role" : "the node's IAM role"} (its answer does not name the role).`);
  }
  const crossAccount =
    (denial?.repositoryAccount && denial.repositoryAccount !== denial.account) ||
    (!denial && cluster?.account !== undefined && registry.account !== undefined && cluster.account !== registry.account);
  const roleAccount = denial?.account ?? cluster?.account;
  if (crossAccount) {
    sentences.push(
      `The repository is in account ${denial?.repositoryAccount ?? registry.account}, the ${fargate ? 'pod execution role' : 'node role'} in ${roleAccount}: a cross-account pull needs both the role's own IAM policy and a repository policy in ${denial?.repositoryAccount ?? registry.account} that allows the role.`,
    );
  }

  // The role: named by ECR, else read from the node group (or the Fargate profile, or the instance).
  let roleExpr: string;
  if (role) {
    roleExpr = sh(role);
  } else if (fargate) {
    remediation.push(`# the pod execution role of the cluster's Fargate profile (list them with: aws eks list-fargate-profiles --cluster-name ${sh(clusterName)} --region ${sh(region)}):`);
    remediation.push(
      `ROLE_ARN=$(aws eks describe-fargate-profile --cluster-name ${sh(clusterName)} --fargate-profile-name ${placeholder('fargate-profile')} --region ${sh(region)} --query fargateProfile.podExecutionRoleArn --output text)`,
    );
    roleExpr = '"${ROLE_ARN##*/}"';
  } else if (facts?.nodePool) {
    remediation.push(`# the IAM role of node group ${facts.nodePool}:`);
    remediation.push(`ROLE_ARN=$(aws eks describe-nodegroup --cluster-name ${sh(clusterName)} --nodegroup-name ${sh(facts.nodePool)} --region ${sh(region)} --query nodegroup.nodeRole --output text)`);
    roleExpr = '"${ROLE_ARN##*/}"';
  } else {
    const instance = facts?.instance && /^i-[0-9a-f]+$/.test(facts.instance) ? facts.instance : ph('instance-id');
    remediation.push(`# the IAM role of the node's instance profile (instance ${instance}):`);
    remediation.push(
      `PROFILE_ARN=$(aws ec2 describe-instances --instance-ids ${sh(instance)} --region ${sh(region)} --query 'Reservations[0].Instances[0].IamInstanceProfile.Arn' --output text) && ` +
        `ROLE=$(aws iam get-instance-profile --instance-profile-name "\${PROFILE_ARN##*/}" --query 'InstanceProfile.Roles[0].RoleName' --output text)`,
    );
    roleExpr = '"$ROLE"';
  }
  if (fargate) {
    remediation.push(`aws iam attach-role-policy --role-name ${roleExpr} --policy-arn ${FARGATE_POLICY}`);
  } else {
    remediation.push(
      `aws iam attach-role-policy --role-name ${roleExpr} --policy-arn ${PULL_ONLY}   # or AmazonEC2ContainerRegistryReadOnly; both allow ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer`,
    );
  }
  if (crossAccount) {
    const repoAccount = (denial?.repositoryAccount ?? registry.account) as string;
    const principal = role && roleAccount ? `arn:aws:iam::${roleAccount}:role/${role}` : ph('node-role-arn');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'AllowPullFromNodeRole', Effect: 'Allow', Principal: { AWS: principal }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] }],
    });
    remediation.push(`# in account ${repoAccount}: the repository policy must allow the role; see what it allows now first:`);
    remediation.push(`aws ecr get-repository-policy --registry-id ${repoAccount} --repository-name ${sh(repo)} --region ${sh(region)}`);
    remediation.push(
      `# set-repository-policy replaces the whole policy: merge this statement into the one printed above${principal.startsWith('<') ? ' (the role ARN: echo "$ROLE_ARN")' : ''}:`,
    );
    remediation.push(`aws ecr set-repository-policy --registry-id ${repoAccount} --repository-name ${sh(repo)} --region ${sh(region)} --policy-text ${sh(policy)}`);
  }
  if (attempt === 'none' && !fargate) {
    const node = podNode(ctx);
    if (node) remediation.push(`# confirm on the node (runs the plugin as the kubelet does): ${nodeCheckCommand(ctx, node, c.image)}`);
  }
  remediation.push("# IRSA and EKS Pod Identity give the pod's processes AWS credentials; the kubelet pulls images with the node's identity, not the pod's");
  if (!role && !fargate) unverified.push("Which IAM role the node uses is not on the Node object; the first command reads it from AWS.");
  const confirmed = denial !== undefined && denial.session !== undefined && /^i-[0-9a-f]+$/.test(denial.session);
  return { who: role ? `IAM role "${role}"` : fargate ? 'the pod execution role' : "the node's IAM role", sentences, remediation, unverified, confirmed };
}

// ───────────────────────────── GKE / Artifact Registry, GCR ─────────────────────────────

export function gcpIdentity(ctx: PullContext, c: ContainerCtx, p: PullProblem, registry: CloudRegistry): IdentityDiagnosis {
  const denial = parseGarDenial(p.failure.error ?? '');
  const facts = ctx.nodePlatform.facts;
  const cluster = ctx.nodePlatform.cluster?.platform === 'gke' ? ctx.nodePlatform.cluster : undefined;
  const fromImage = c.parse.ok ? googleRepositoryOf(registry, c.parse.ref.path) : undefined;
  const project = denial?.project ?? fromImage?.project ?? ph('project');
  const location = denial?.location ?? fromImage?.location;
  const repository = denial?.repository ?? fromImage?.repository;
  const pool = facts?.nodePool ?? ph('node-pool');
  const clusterName = cluster?.name ?? ph('cluster');
  const clusterLocation = cluster?.location ?? ph('cluster-location');
  const nodeProject = cluster?.project ?? facts?.gcpProject ?? ph('cluster-project');
  const sentences: string[] = [];
  if (denial) {
    sentences.push(
      `Artifact Registry names what was refused: permission ${denial.permission} on repository ${denial.repository} (project ${denial.project}, location ${denial.location})` +
        (denial.mayNotExist ? '; it adds "or it may not exist", so a mistyped repository gets the same answer' : '') +
        '.',
    );
  }
  sentences.push("Workload Identity applies to the pod's own API calls, not to the kubelet's image pulls (unless the node's provider is configured for service-account tokens, which only the node shows).");
  const describe = `gcloud container node-pools describe ${sh(pool)} --cluster=${sh(clusterName)} --location=${sh(clusterLocation)} --project=${sh(nodeProject)}`;
  const remediation = [
    `# the node pool's service account ("default" is the Compute Engine default service account, ${sh(`${ph('project-number')}-compute@developer.gserviceaccount.com`)}):`,
    `${describe} --format='value(config.serviceAccount)'`,
  ];
  if (registry.kind === 'artifact-registry' && repository && location) {
    remediation.push(
      `gcloud artifacts repositories add-iam-policy-binding ${sh(repository)} --location=${sh(location)} --project=${sh(project)} --member=serviceAccount:${placeholder('node-sa')} --role=roles/artifactregistry.reader`,
    );
  } else {
    remediation.push(
      `gcloud projects add-iam-policy-binding ${sh(project)} --member=serviceAccount:${placeholder('node-sa')} --role=roles/artifactregistry.reader   # gcr.io is served by Artifact Registry; a legacy GCR bucket needs roles/storage.objectViewer on it instead`,
    );
  }
  remediation.push(
    `# the access scopes must include https://www.googleapis.com/auth/devstorage.read_only or https://www.googleapis.com/auth/cloud-platform; scopes are fixed when a node pool is created, so a pool without them needs a new pool (e.g. --scopes=gke-default): ${describe} --format='value(config.oauthScopes)'`,
  );
  const unverified = ["The node pool's service account and access scopes are not on the Node object; the commands above read them."];
  return { who: "the node pool's service account", sentences, remediation, unverified, confirmed: denial !== undefined && !denial.mayNotExist };
}

// ───────────────────────────── AKS / ACR ─────────────────────────────

export function acrIdentity(ctx: PullContext, c: ContainerCtx, p: PullProblem, registry: CloudRegistry): IdentityDiagnosis {
  const facts = ctx.nodePlatform.facts;
  const nodeRG = facts?.azure?.nodeResourceGroup;
  const names = nodeRG ? aksClusterOf(nodeRG, ctx.cluster) : undefined;
  const acr = registry.name ?? ph('registry');
  const cluster = names?.cluster ?? ph('cluster');
  const rg = names?.resourceGroup ?? ph('resource-group');
  const clientId = facts?.azure?.kubeletIdentityClientId;
  const attempt = providerAttempt(p);
  const sentences: string[] = [];
  if (attempt === 'refused') {
    sentences.push(
      "The kubelet tried two credentials: the token acr-credential-provider got for the kubelet identity, refused by the registry, then the plugin's empty `*.azurecr.*` entry, refused as anonymous: the kubelet identity has no pull role (AcrPull) on the registry.",
    );
  } else if (attempt === 'none') {
    sentences.push(
      'The pull carried no credential: acr-credential-provider gave the kubelet nothing for this registry (its config, /etc/kubernetes/azure.json or the managed identity endpoint failed on the node), so only the anonymous attempt was made.',
    );
  }
  if (nodeRG && !names) {
    sentences.push(`The node resource group ${nodeRG} does not name the cluster unambiguously (a custom or truncated name).`);
  }
  const remediation: string[] = [];
  if (!names) {
    remediation.push(
      `# the cluster and its resource group${nodeRG ? ` (the cluster whose node resource group is ${nodeRG})` : ''}: az aks list --query ${sh(`[?nodeResourceGroup=='${nodeRG ?? ph('node-resource-group')}'].{name:name, resourceGroup:resourceGroup}`)} -o table`,
    );
  }
  remediation.push(`az aks check-acr -n ${sh(cluster)} -g ${sh(rg)} --acr ${sh(`${acr}.azurecr.io`)}`);
  remediation.push(`az aks update -n ${sh(cluster)} -g ${sh(rg)} --attach-acr ${sh(acr)}   # grants AcrPull to the kubelet identity; needs Owner or User Access Administrator on the registry`);
  if (clientId) {
    remediation.push(`# what the kubelet identity (client ID ${clientId}, from the node's label) may do on the registry:`);
    remediation.push(`az role assignment list --assignee ${sh(clientId)} --scope "$(az acr show -n ${sh(acr)} --query id -o tsv)" -o table`);
    remediation.push(
      `# a registry in ABAC mode needs "Container Registry Repository Reader" instead, which --attach-acr does not grant: az role assignment create --assignee ${sh(clientId)} --role "Container Registry Repository Reader" --scope "$(az acr show -n ${sh(acr)} --query id -o tsv)"`,
    );
  }
  if (attempt === 'none') {
    const node = podNode(ctx);
    if (node) remediation.push(`# confirm on the node (runs the plugin as the kubelet does): ${nodeCheckCommand(ctx, node, c.image)}`);
  }
  remediation.push('# acr-credential-provider answers are cached 5 minutes, and new role assignments can take a few minutes to apply');
  const unverified: string[] = [];
  if (!clientId) unverified.push('The kubelet identity is not named on the Node (no kubernetes.azure.com/kubelet-identity-client-id label).');
  return { who: `the kubelet identity${clientId ? ` (client ID ${clientId})` : ''}`, sentences, remediation, unverified, confirmed: false };
}

/** `Amazon ECR (123….dkr.ecr.us-east-1.amazonaws.com)`. */
export const registryWords = (registry: CloudRegistry): string => `${REGISTRY_PRODUCT[registry.kind]} (${registry.host})`;
