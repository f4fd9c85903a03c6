/**
 * Wordings of a registry that was reached and said no: token-server refusals, denials,
 * rejected credentials, and missing repositories or tags.
 */
import { statusIs, wording, type Wording } from './wording.js';

/**
 * containerd's token fetch (core/remotes/docker/authorizer.go): with a secret it reports
 * `failed to fetch oauth token`, without one `failed to fetch anonymous token`. So these say
 * whether a credential was sent, which the generic 401/403 readings below cannot.
 */
export const TOKEN_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'access-denied',
    subKind: 'anonymous-token-refused',
    pattern: /failed to fetch anonymous token/i,
    status: statusIs(401, 403),
    needsBoth: true,
    ambiguousAuth: true,
    pointsAtNode: false,
    why: 'containerd asked the token server without a credential (none matched) and was refused: nothing was rejected, the repository is private or missing',
    examples: [
      {
        text: 'Failed to pull image "ghcr.io/nloui/paperless-mcp:latest": failed to pull and unpack image "ghcr.io/nloui/paperless-mcp:latest": failed to resolve reference "ghcr.io/nloui/paperless-mcp:latest": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Anloui%2Fpaperless-mcp%3Apull&service=ghcr.io: 403 Forbidden',
        source: 'https://github.com/nloui/paperless-mcp/issues/10',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to pull and unpack image "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to resolve reference "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aopen-edge-platform%2Fgeti%2Fnotifier%3Apull&service=ghcr.io: 401 Unauthorized',
        source: 'https://github.com/open-edge-platform/geti_v2/issues/1668',
        runtime: 'containerd',
        note: 'markdown bold removed from the pasted text',
      },
      {
        text: 'Failed to pull image "myregistry.azurecr.io/main/myapp:v5.0.0": failed to pull and unpack image "myregistry.azurecr.io/main/myapp:v5.0.0": failed to resolve reference "myregistry.azurecr.io/main/myapp:v5.0.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myregistry.azurecr.io/oauth2/token?scope=repository%3Amain%2Fmyapp%3Apull&service=myregistry.azurecr.io: 401 Unauthorized',
        source: 'https://github.com/Azure/AKS/issues/4459',
        runtime: 'containerd',
        note: 'reporter\'s <registryname>/<imagerepo> placeholders replaced by myregistry/myapp',
      },
    ],
  }),
  wording({
    cause: 'access-denied',
    subKind: 'token-not-granted',
    pattern: /failed to fetch oauth token/i,
    status: statusIs(403),
    needsBoth: true,
    pointsAtNode: false,
    why: 'a credential was accepted by the token server but not granted pull',
    examples: [
      {
        text: 'Failed to pull image "ghcr.io/kagenti/kagenti-client-registration:latest": failed to pull and unpack image "ghcr.io/kagenti/kagenti-client-registration:latest": failed to resolve reference "ghcr.io/kagenti/kagenti-client-registration:latest": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Akagenti%2Fkagenti-client-registration%3Apull&service=ghcr.io: 403 Forbidden',
        source: 'https://github.com/rossoctl/rossoctl/issues/116',
        runtime: 'containerd',
      },
    ],
  }),
  wording({
    cause: 'auth-rejected',
    subKind: 'token-refused',
    pattern: /failed to fetch oauth token/i,
    status: statusIs(401),
    needsBoth: true,
    pointsAtNode: false,
    why: 'a credential was sent to the token server and refused',
    examples: [
      {
        text: 'rpc error: code = Unknown desc = failed to resolve image: failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://api.charmhub.io/v1/tokens/docker-registry?scope=repository%3Acharm%2Fb370bfzj7fqgsh1qaywdz04w5n6z835nu8kzg%2Fdashboard-image%3Apull&service=https%3A%2F%2Fregistry.jujucharms.com%2F: 401 UNAUTHORIZED',
        source: 'https://github.com/juju/juju/issues/22050',
        runtime: 'containerd',
        note: 'runtime text (ctr, with a username and password)',
      },
      {
        text: 'Failed to pull image "myacr.azurecr.io/fluent/fluent-bit:3.1.6":[rpc error: code = Unknown desc = failed to pull and unpack image "myacr.azurecr.io/fluent/fluent-bit:3.1.6": failed to resove reference "myacr.azurecr.io/fluent/fluent-bit:3.1.6": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Afluent%2Ffluent-bit%3Apull&service=myacr.azurecr.io: 401 Unauthorized, rpc error: code = Unknown desc = failed to pull and unpack image "myacr.azurecr.io/fluent/fluent-bit:3.1.6": failed to resolve reference "myacr.azurecr.io/fluent/fluent-bit:3.1.6": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Afluent%2Ffluent-bit%3Apull&service=myacr.azurecr.io: 401 Unauthorized]',
        source: 'https://github.com/Azure/AKS/issues/4593',
        runtime: 'containerd',
        note: 'an aggregate of two attempts: the kubelet identity’s token (refused), then the empty `*.azurecr.*` credential (anonymous, node-credentials.md §4.3.3); decided by the credentialed one. As pasted: the space after "Failed to pull image …:" and the "l" of "resolve" in the first attempt are missing in the report',
      },
    ],
  }),
];

/**
 * Refusals read from their words. Access-denied wordings go before the generic 401 wordings:
 * CRI-O lists Docker Hub's `denied` and `unauthorized` together, and several registries answer a
 * private or missing repository with a 401 worded as a permission problem.
 */
export const REFUSAL_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'access-denied',
    subKind: 'no-credentials',
    pattern: /no basic auth credentials/i,
    ambiguousAuth: true,
    pointsAtNode: false,
    why: 'Docker’s credential store had nothing for the host, so nothing was sent (typical for ECR without a pull secret or node role): no credential was rejected, the registry simply requires one',
    examples: [
      {
        text: 'Failed to pull image "XXXXXXXX.dkr.ecr.ap-XXXXXX.amazonaws.com/isam:9.0.7.0": rpc error: code = Unknown desc = Error response from daemon: Get https://XXXXXXX.dkr.ecr.ap-XXXXX.amazonaws.com/v2/ndi-spcp-isam/manifests/9.0.7.0: no basic auth credentials',
        source: 'https://github.com/aws-samples/eks-workshop/issues/451',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "": rpc error: code = Unknown desc = Error response from daemon: Get https://XXXXXX.dkr.ecr.ap-southeast-1.amazonaws.com/v2/webbook/webbook/manifests/latest: no basic auth credentials',
        source: 'https://github.com/kubernetes/community/issues/4003',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "nexus3.abcde.org:10004/abcde-qwerty-fe:2.2.22": rpc error: code = Unknown desc = Error response from daemon: Get https://nexus3.abcde.org:10004/v2/abcde-qwerty-fe/manifests/2.2.22: no basic auth credentials',
        source: 'https://github.com/docker/for-mac/issues/3381',
        runtime: 'docker',
      },
      {
        text: 'rpc error: code = Unknown desc = Error response from daemon: Get http://nexus3:8083/v2/com.panov/ci-cd/manifests/0.0.1-SNAPSHOT: no basic auth credentials',
        source: 'https://github.com/kubernetes/minikube/issues/9161',
        runtime: 'docker',
        note: 'runtime text (kubelet log)',
      },
    ],
  }),
  wording({
    cause: 'access-denied',
    subKind: 'private-or-missing',
    pattern: /may require (?:'docker login'|authorization)|insufficient_scope/i,
    ambiguousAuth: true,
    pointsAtNode: false,
    why: 'Docker Hub and containerd: "repository does not exist or may require …", insufficient_scope',
    examples: [
      {
        text: 'Failed to pull image "controller:latest": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/controller:latest": failed to resolve reference "docker.io/library/controller:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
        source: 'https://github.com/pfnet/image-pull-secrets-provisioner/issues/31',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "rmeuser-auth:latest": rpc error: code = Unknown desc = Error response from daemon: pull access denied for rmeuser-auth, repository does not exist or may require \'docker login\'',
        source: 'https://github.com/kubernetes/website/issues/14257',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "suedostcargo-web": Error response from daemon: pull access denied for suedostcargo-web, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied',
        source: 'https://github.com/kubernetes/minikube/issues/20613',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "octarinesec/guardrails-enforcer:20.7": rpc error: code = Unknown desc = Error response from daemon: pull access denied for octarinesec/guardrails-enforcer, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied',
        source: 'https://github.com/octarinesec/octarine-operator/issues/15',
        runtime: 'docker',
      },
      {
        text: 'Error response from daemon: pull access denied for 254865750963.dkr.ecr.us-west-2.amazonaws.com/everything2/e2lib, repository does not exist or may require \'docker login\': denied: User: arn:aws:sts::254865750963:assumed-role/Docker-Builder-CodeBuild-Role/AWSCodeBuild-749228d3-4d07-4037-bd81-b631b0a0460e is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-west-2:254865750963:repository/everything2/e2lib because no identity-based policy allows the ecr:BatchGetImage action',
        source: 'https://github.com/everything2/everything2/issues/2562',
        runtime: 'docker',
        note: 'runtime text (Docker CLI in CodeBuild); ECR IAM denial',
      },
    ],
  }),
  wording({
    cause: 'access-denied',
    subKind: 'permission-wording',
    pattern: /access to the requested resource is not authorized|You don't have the needed permissions/i,
    ambiguousAuth: true,
    pointsAtNode: false,
    why: 'Quay answers 401 with this text for private, forbidden and nonexistent repositories alike; GCR’s 401 says "You don’t have the needed permissions …, and you may have invalid credentials"',
    examples: [
      {
        text: 'Failed to pull image "quay.io/open-cluster-management/multicloudhub-operator-bundle@sha256:ba919b34aa7c7c7135f4474791defb6240ff1af2491b876c25ba960af81c5267": rpc error: code = Unknown desc = Error reading manifest sha256:ba919b34aa7c7c7135f4474791defb6240ff1af2491b876c25ba960af81c5267 in quay.io/open-cluster-management/multicloudhub-operator-bundle: unauthorized: access to the requested resource is not authorized',
        source: 'https://github.com/stolostron/deploy/issues/2',
        runtime: 'cri-o',
      },
      {
        text: 'Failed to pull image "gcr.io/frasaja-1/watchpod:v1": rpc error: code = Unknown desc = Error response from daemon: unauthorized: You don\'t have the needed permissions to perform this operation, and you may have invalid credentials. To authenticate your request, follow the steps in: https://cloud.google.com/container-registry/docs/advanced-authentication',
        source: 'https://github.com/MinikubeAddon/watchpod/issues/4',
        runtime: 'docker',
      },
    ],
  }),
  wording({
    cause: 'access-denied',
    subKind: 'denied',
    pattern: /\bdenied\b|\bForbidden\b|not authorized to perform/i,
    status: statusIs(403),
    pointsAtNode: false,
    why: '403, "denied: …" (GHCR, Artifact Registry, ECR IAM); must beat "unauthorized" (CRI-O lists both)',
    examples: [
      {
        text: 'rpc error: code = Unknown desc = Error reading manifest latest in docker.io/crio/busybox: errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required',
        source: 'https://github.com/cri-o/cri-o/issues/2331',
        runtime: 'cri-o',
        note: 'runtime text (crictl); Docker Hub lists both errors for a missing/private repository',
      },
      {
        text: 'Failed to pull image "us-docker.pkg.dev/berglas/berglas/berglas:latest": rpc error: code = Unknown desc = Error response from daemon: Get https://us-docker.pkg.dev/v2/berglas/berglas/berglas/manifests/latest: denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/berglas/locations/us/repositories/berglas"',
        source: 'https://github.com/GoogleCloudPlatform/berglas/issues/128',
        runtime: 'docker',
      },
      {
        text: String.raw`image pull failed for quay.io/sysdig/sysdigcloud-backend:722, this may be because there are no credentials on this request.  details: (Error: Status 403 trying to pull repository sysdig/sysdigcloud-backend: "{\"error\": \"Permission Denied\"`,
        source: 'https://github.com/draios/sysdigcloud-kubernetes/issues/22',
        runtime: 'docker',
        note: 'dockershim 2016, as quoted by the reporter (the end of the registry body is cut off)',
      },
    ],
  }),
  wording({
    cause: 'auth-rejected',
    subKind: 'unauthorized',
    pattern: /\bunauthorized\b|authentication required|incorrect username or password|invalid username\/password|\bunauthenticated\b|failed authentication|authentication failed/i,
    status: statusIs(401),
    pointsAtNode: false,
    why: '401 and its wordings (ACR "authentication required, visit https://aka.ms/acr/authorization")',
    examples: [
      {
        text: 'Failed to pull image "registry.app.xxx.net/XXXXX/partsgo42:GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7": rpc error: code = Unknown desc = failed to pull and unpack image "registry.app.xxx.net/spm2fog/partsgo42:GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7": failed to resolve reference "registry.app.xxx.net/spm2fog/partsgo42:GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7": pulling from host registry.app.xxx.net failed with status code [manifests GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7]: 401 Unauthorized',
        source: 'https://github.com/kubernetes/kubernetes/issues/110675',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "octarinesec/guardrails-enforcer:20.7": rpc error: code = Unknown desc = Error response from daemon: unauthorized: authentication required',
        source: 'https://github.com/octarinesec/octarine-operator/issues/15',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "ugsampleacr.azurecr.io/mssampleaksapplication:v1": [rpc error: code = Unknown desc = Error response from daemon: Get https://ugsampleacr.azurecr.io/v2/mssampleaksapplication/manifests/v1: unauthorized: authentication required, rpc error: code = Unknown desc = Error response from daemon: Get https://ugsampleacr.azurecr.io/v2/mssampleaksapplication/manifests/v1: unauthorized: authentication required]',
        source: 'https://github.com/dotnet/docs/issues/13401',
        runtime: 'docker',
        note: 'aggregate of two identical messages (older kubelet, no de-duplication)',
      },
      {
        text: 'Failed to pull image "***": [rpc error: code = Unknown desc = Error response from daemon: Get ******: received unexpected HTTP status: 500 Internal Server Error, rpc error: code = Unknown desc = Error response from daemon: Get **********: unauthorized: authentication required]',
        source: 'https://github.com/Azure/acr/issues/231',
        runtime: 'docker',
        note: 'aggregate: server error for one credential, 401 for the other (reporter redacted the URLs)',
      },
      {
        text: 'Failed to pull image "bridgetokubernetes.azurecr.io/lpkremoteagent:0.1.4": [rpc error: code = Unknown desc = Error response from daemon: Get https://bridgetokubernetes.azurecr.io/v2/lpkremoteagent/manifests/0.1.4: unauthorized: Application not registered with AAD., rpc error: code = Unknown desc = Error response from daemon: Get https://bridgetokubernetes.azurecr.io/v2/lpkremoteagent/manifests/0.1.4: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.]',
        source: 'https://github.com/microsoft/mindaro/issues/45',
        runtime: 'docker',
        note: 'aggregate whose second part contains ", " itself',
      },
      {
        text: 'Failed to pull image "smartsitealfaacr.azurecr.io/aem6.5-authbaseimage:v2": rpc error: code = Unknown desc = Error response from daemon: Head "https://smartsitealfaacr.azurecr.io/v2/aem6.5-authbaseimage/manifests/v2": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
        source: 'https://github.com/helm/helm/issues/12189',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "cloudtechnologies.azurecr.io/poc-k8s-web:20181007.1": rpc error: code = Unknown desc = Error response from daemon: Get https://cloudtechnologies.azurecr.io/v2/poc-k8s-web/manifests/20181007.1: unauthorized: authentication required',
        source: 'https://github.com/Azure/AKS/issues/679',
        runtime: 'docker',
      },
    ],
  }),
];

export const NOT_FOUND_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'not-found',
    subKind: 'repository',
    pattern: /name unknown|repository name not known to registry|NAME_UNKNOWN/i,
    pointsAtNode: false,
    why: 'distribution NAME_UNKNOWN',
    examples: [
      {
        text: 'Failed to pull image "registry.connect.redhat.com/openbao/openbao-ubi:2.6.0": unable to pull image or OCI artifact: pull image err: initializing source docker://registry.connect.redhat.com/openbao/openbao-ubi:2.6.0: reading manifest 2.6.0 in registry.connect.redhat.com/openbao/openbao-ubi: name unknown: Image not found; artifact err: get manifest: build image source: reading manifest 2.6.0 in registry.connect.redhat.com/openbao/openbao-ubi: name unknown: Image not found',
        source: 'https://github.com/openbao/openbao-helm/issues/202',
        runtime: 'cri-o',
      },
    ],
  }),
  wording({
    cause: 'not-found',
    subKind: 'manifest',
    pattern: /manifest unknown|MANIFEST_UNKNOWN|manifest for \S+ not found|Tag \S+ not found in repository|content at \S+\/manifests\/\S+ not found|could not fetch content descriptor \S+ \([^)]*(?:manifest|index)[^)]*\)/i,
    pointsAtNode: false,
    why: 'distribution MANIFEST_UNKNOWN, Docker "manifest for x not found", containerd manifest content 404',
    examples: [
      {
        text: 'Failed to pull image "ghcr.io/komari-monitor/komari:1.0.0": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/komari-monitor/komari:1.0.0": failed to copy: httpReadSeeker: failed open: content at https://ghcr.io/v2/komari-monitor/komari/manifests/sha256:3611825abb0c84db8974691cb4d9c44cc198a0cc45aa42ddfc70806d8db92d0b not found: not found',
        source: 'https://github.com/komari-monitor/komari/issues/326',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": failed to copy: httpReadSeeker: failed open: content at https://ghcr.io/v2/cloudnative-pg/cloudnative-pg/manifests/sha256:827429f73ca03211c631aba2c1b0c417a0e57b7b4dbf3c54689c8a9eee5558e9 not found: not found',
        source: 'https://github.com/cloudnative-pg/cloudnative-pg/issues/2265',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "docker.pkg.github.com/vasiliys/drone/kubectl:v1.6.2": rpc error: code = NotFound desc = failed to pull and unpack image "docker.pkg.github.com/vasiliys/drone/kubectl:v1.6.2": failed to copy: httpReaderSeeker: failed open: could not fetch content descriptor sha256:e43914fa8c69b3638f421842accf3e150471b1fe2e1f002ae41d072e25899d4e (application/vnd.docker.distribution.manifest.v2+json) from remote: not found',
        source: 'https://github.com/containerd/containerd/issues/3291',
        runtime: 'containerd',
      },
      {
        text: 'rpc error: code = Unknown desc = Error reading manifest latest in registry.mydomain/image: manifest unknown: manifest unknown',
        source: 'https://github.com/cri-o/cri-o/issues/4388',
        runtime: 'cri-o',
        note: 'runtime text (crictl)',
      },
      {
        text: 'Failed to pull image "registry.svc.ci.openshift.org/origin/4.3-2019-10-29-062458@sha256:8184092486c345c2b757f366f146218a115e5d7a92b481cb76257358653ec852": rpc error: code = Unknown desc = Error reading manifest sha256:8184092486c345c2b757f366f146218a115e5d7a92b481cb76257358653ec852 in registry.svc.ci.openshift.org/origin/4.3-2019-10-29-062458: manifest unknown: manifest unknown',
        source: 'https://github.com/raffaelespazzoli/credscontroller/issues/10',
        runtime: 'cri-o',
      },
      {
        text: 'rpc error: code = Unknown desc = initializing source docker://quay.io/okd/scos-content@sha256:637140d5811ea5f3ebbf1f0185ef4e98085236684337f2aabc4fa6bbffe1b305: reading manifest sha256:637140d5811ea5f3ebbf1f0185ef4e98085236684337f2aabc4fa6bbffe1b305 in quay.io/okd/scos-content: manifest unknown',
        source: 'https://github.com/okd-project/okd/issues/2194',
        runtime: 'cri-o',
        note: 'runtime text (kubelet log on OKD)',
      },
      {
        text: 'Failed to pull image "acrname.azurecr.io/preprocess": [rpc error: code = Unknown desc = Error response from daemon: manifest for acrname.azurecr.io/preprocess:latest not found: manifest unknown: manifest unknown, rpc error: code = Unknown desc = Error response from daemon: Get https://acrname.azurecr.io/v2/preprocess/manifests/latest: unauthorized: authentication required]',
        source: 'https://github.com/kubeflow/examples/issues/654',
        runtime: 'docker',
        note: 'aggregate: one credential reached the registry (manifest unknown), the other was refused',
      },
      {
        text: 'Failed to pull image "registry.example.com/foo/foo:1.2.3-64-affa5225": rpc error: code = Unknown desc = Error response from daemon: manifest for registry.example.com/foo/foo:1.2.3-64-affa5225 not found: manifest unknown: manifest unknown',
        source: 'https://swsnr.de/the-mysterious-disapperance-of-docker-images',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "quay.io/ukhomeofficedigital/s3registry:v2.0.0-bob": image pull failed for quay.io/ukhomeofficedigital/s3registry:v2.0.0-bob, this may be because there are no credentials on this request.  details: (Tag v2.0.0-bob not found in repository quay.io/ukhomeofficedigital/s3registry)',
        source: 'https://github.com/UKHomeOffice/kb8or/issues/68',
        runtime: 'docker',
        note: 'dockershim 2016: same wrapper, the cause is a missing tag',
      },
    ],
  }),
  wording({
    cause: 'not-found',
    subKind: 'ambiguous',
    pattern: /\bnot found\b/i,
    status: statusIs(404),
    pointsAtNode: false,
    why: 'containerd "<ref>: not found" is a HEAD 404 that does not say whether the tag or the repository is missing',
    examples: [
      {
        text: 'Failed to pull image "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": rpc error: code = NotFound desc = failed to pull and unpack image "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": failed to resolve reference "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": cr.kagent.dev/kagent-dev/kagent/controller:0.9.11: not found',
        source: 'https://github.com/kagent-dev/kagent/issues/2178',
        runtime: 'containerd',
      },
      {
        text: 'rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b": failed to resolve reference "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b": registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b: not found',
        source: 'https://github.com/kubernetes-sigs/provider-aws-test-infra/pull/281',
        runtime: 'containerd',
        note: 'runtime text (containerd log, k8s e2e)',
      },
      {
        text: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/salesforce/salesforcedx:latest": failed to resolve reference "docker.io/salesforce/salesforcedx:latest": docker.io/salesforce/salesforcedx:latest: not found',
        source: 'https://github.com/forcedotcom/salesforcedx-docker/issues/35',
        runtime: 'containerd',
      },
      {
        text: 'Back-off pulling image "ghcr.io/alexsjones/sympozium/node-probe:v0.1.8": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/alexsjones/sympozium/node-probe:v0.1.8": failed to resolve reference "ghcr.io/alexsjones/sympozium/node-probe:v0.1.8": ghcr.io/alexsjones/sympozium/node-probe:v0.1.8: not found',
        source: 'https://github.com/sympozium-ai/sympozium/issues/36',
        runtime: 'containerd',
        note: 'container status message (waiting.message) of a newer kubelet, §9.3',
      },
    ],
  }),
];
