/**
 * The identity and resource a cloud registry names when it refuses a pull. The runtime passes the
 * registry's words through, so the event can say exactly who was refused what:
 * - Amazon ECR (IAM): `denied: User: arn:aws:sts::<account>:assumed-role/<role>/<session> is not
 *   authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:<region>:<account>:repository/<repo>
 *   [because no identity-based policy allows the ecr:BatchGetImage action]` — the kubelet's event on
 *   a node whose instance role lacks access (https://repost.aws/knowledge-center/eks-ecr-troubleshooting;
 *   the same wording from the Docker CLI in https://github.com/everything2/everything2/issues/2562);
 * - Google Artifact Registry: `denied: Permission "artifactregistry.repositories.downloadArtifacts"
 *   denied on resource "projects/<project>/locations/<location>/repositories/<repository>"
 *   [(or it may not exist)]` (https://github.com/GoogleCloudPlatform/berglas/issues/128,
 *   https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/issues/1779);
 * - Amazon ECR, an expired token: `Your authorization token has expired. Reauthenticate and try
 *   again.` with HTTP 403 (https://github.com/fluxcd/image-reflector-controller/issues/71,
 *   https://github.com/awslabs/amazon-ecr-credential-helper/issues/7).
 * Their classification (access-denied/denied …) is in ./wordings-access.ts; this module only reads
 * the names out. Pure.
 */

export interface EcrDenial {
  /** The principal as the message names it, e.g. `arn:aws:sts::444455556666:assumed-role/NodeRole/i-0abc…`. */
  principal: string;
  /** The principal's account. */
  account: string;
  /** The IAM role, when the principal is an assumed role. */
  role?: string;
  /** The role session: an EC2 instance id (`i-…`) when the node's instance profile made the call. */
  session?: string;
  /** The denied action, e.g. `ecr:BatchGetImage`. */
  action: string;
  /** The repository ARN, when the message names it. */
  resource?: string;
  repositoryAccount?: string;
  region?: string;
  repository?: string;
  /** IAM said no identity-based policy allows the action (rather than an explicit deny or a repository policy). */
  noIdentityPolicy: boolean;
}

const ECR_DENIAL =
  /User: (arn:aws[a-z-]*:(?:sts|iam)::(\d{12}):[^\s]+) is not authorized to perform: (ecr:[A-Za-z]+)(?: on resource: (arn:aws[a-z-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/[^\s]+?))?(?: because| with|$|\s)/;

/** The IAM denial an ECR refusal quotes, with the role, action and repository it names. */
export function parseEcrDenial(text: string): EcrDenial | undefined {
  const m = ECR_DENIAL.exec(text);
  if (!m) return undefined;
  const principal = m[1] as string;
  const out: EcrDenial = {
    principal,
    account: m[2] as string,
    action: m[3] as string,
    noIdentityPolicy: /because no identity-based policy allows/.test(text),
  };
  const assumed = /:assumed-role\/([^/\s]+)\/([^\s]+)$/.exec(principal);
  if (assumed) {
    out.role = assumed[1] as string;
    out.session = assumed[2] as string;
  } else {
    const role = /:role\/(?:[^\s]*\/)?([^/\s]+)$/.exec(principal);
    if (role) out.role = role[1] as string;
  }
  if (m[4]) {
    out.resource = m[4];
    out.region = m[5] as string;
    out.repositoryAccount = m[6] as string;
    out.repository = m[4].slice(m[4].indexOf(':repository/') + ':repository/'.length);
  }
  return out;
}

export interface GarDenial {
  permission: string;
  project: string;
  location: string;
  repository: string;
  /** The registry adds "(or it may not exist)": a missing repository gets the same answer. */
  mayNotExist: boolean;
}

const GAR_DENIAL = /Permission "([a-z.A-Z]+)" denied on resource "projects\/([^/"]+)\/locations\/([^/"]+)\/repositories\/([^/"]+)"/;

/** The permission and repository an Artifact Registry refusal names. */
export function parseGarDenial(text: string): GarDenial | undefined {
  const m = GAR_DENIAL.exec(text);
  if (!m) return undefined;
  return {
    permission: m[1] as string,
    project: m[2] as string,
    location: m[3] as string,
    repository: m[4] as string,
    mayNotExist: /\(or it may not exist\)/.test(text),
  };
}

/** ECR's words for an expired authorization token (it answers 403). */
export const ECR_TOKEN_EXPIRED = /authorization token has expired/i;
