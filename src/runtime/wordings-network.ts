/**
 * Wordings about the way to the registry: TLS, rate limits, the network, and registry server
 * errors. Go's crypto/x509, crypto/tls and net/http print the same words in every runtime.
 */
import { serverErrorStatus, statusIs, wording, type Wording } from './wording.js';

/** Before rate limits and auth: the anonymous-token request itself can fail on TLS. */
export const TLS_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'tls',
    subKind: 'http-to-https',
    pattern: /server gave HTTP response to HTTPS client|first record does not look like a TLS handshake/i,
    pointsAtNode: false,
    why: 'the registry speaks plain HTTP and the runtime uses HTTPS: the node must list it as insecure',
    examples: [
      {
        text: 'Failed to pull image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": rpc error: code = Unknown desc = failed to pull and unpack image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": failed to resolve reference "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": failed to do request: Head "https://localhost:7439/v2/docker.io/xxxsoftware/xxx-redis/manifests/2023.1.2": http: server gave HTTP response to HTTPS client',
        source: 'https://github.com/enix/kube-image-keeper/issues/60',
        runtime: 'containerd',
      },
    ],
  }),
  wording({
    cause: 'tls',
    subKind: 'expired',
    pattern: /certificate has expired/i,
    pointsAtNode: false,
    why: 'x509 "certificate has expired or is not yet valid": an expired certificate or a wrong node clock',
    examples: [
      {
        text: 'Failed to pull image "harbor.scpmtk.com/mtk-connect/mtk-connect-installers:v1.8.1": failed to pull and unpack image "harbor.scpmtk.com/mtk-connect/mtk-connect-installers:v1.8.1": failed to resolve reference "harbor.scpmtk.com/mtk-connect/mtk-connect-installers:v1.8.1": failed to do request: Head "https://harbor.scpmtk.com/v2/mtk-connect/mtk-connect-installers/manifests/v1.8.1": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-06-12T03:05:25Z is after 2025-06-07T05:48:45Z',
        source: 'https://github.com/GoogleCloudPlatform/horizon-sdv/issues/8',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "kong-docker-kubernetes-ingress-controller.bintray.io/kong-ingress-controller:0.9.0": rpc error: code = Unknown desc = Error response from daemon: Get https://kong-docker-kubernetes-ingress-controller.bintray.io/v2/: x509: certificate has expired or is not yet valid',
        source: 'https://github.com/Kong/charts/issues/257',
        runtime: 'docker',
        note: 'the reporter broke the line after each ": "; re-joined',
      },
    ],
  }),
  wording({
    cause: 'tls',
    subKind: 'wrong-name',
    pattern: /x509: certificate is (?:not )?valid for|x509: cannot validate certificate for|doesn't contain any IP SANs|x509: certificate relies on legacy Common Name field/i,
    pointsAtNode: false,
    why: 'the certificate does not name the host the image uses (no matching subjectAltName, or only a legacy Common Name)',
    examples: [
      {
        text: 'Failed to pull image "cr.strrl.dev/strrl/cloudflare-tunnel-ingress-controller:0.0.18": failed to pull and unpack image "cr.strrl.dev/strrl/cloudflare-tunnel-ingress-controller:0.0.18": failed to resolve reference "cr.strrl.dev/strrl/cloudflare-tunnel-ingress-controller:0.0.18": failed to do request: Head "https://cr.strrl.dev/v2/strrl/cloudflare-tunnel-ingress-controller/manifests/0.0.18": tls: failed to verify certificate: x509: certificate is valid for 3c2fcaccec4b1289b9a0450b1432f3ab.86a03424cf5abd4235921bc09e1244f2.traefik.default, not cr.strrl.dev',
        source: 'https://github.com/STRRL/cloudflare-tunnel-ingress-controller/issues/202',
        runtime: 'containerd',
      },
      {
        text: 'Error response from daemon: Get "https://sea.hub:5000/v2/": x509: certificate relies on legacy Common Name field, use SANs or temporarily enable Common Name matching with GODEBUG=x509ignoreCN=0',
        source: 'https://github.com/sealerio/sealer/issues/1195',
        runtime: 'docker',
        note: 'runtime text (Docker, via kubeadm preflight: `failed to pull image …: output: <this>`)',
      },
    ],
  }),
  wording({
    cause: 'tls',
    subKind: 'unknown-authority',
    pattern: /certificate signed by unknown authority|x509: [^\n]*?(?:unable to get local issuer|self[- ]signed)/i,
    pointsAtNode: false,
    why: 'a private CA or a TLS-intercepting proxy the node does not trust',
    examples: [
      {
        text: 'Failed to pull image "registry.k8s.io/coredns/coredns:v1.11.1": failed to pull and unpack image "registry.k8s.io/coredns/coredns:v1.11.1": failed to resolve reference "registry.k8s.io/coredns/coredns:v1.11.1": failed to do request: Head "https://registry.k8s.io/v2/coredns/coredns/manifests/v1.11.1": tls: failed to verify certificate: x509: certificate signed by unknown authority',
        source: 'https://github.com/cnoe-io/idpbuilder/issues/520',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "docker.io/moby/buildkit:v0.8.3": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/moby/buildkit:v0.8.3": failed to resolve reference "docker.io/moby/buildkit:v0.8.3": failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Amoby%2Fbuildkit%3Apull&service=registry.docker.io": x509: certificate signed by unknown authority',
        source: 'https://github.com/rancher-sandbox/rancher-desktop/issues/305',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "docker-registry-default.ip.xip.io/project/name": rpc error: code = Unknown desc = Get https:/docker-registry-default.ip.xip.io/project/name : x509: certificate signed by unknown authority',
        source: 'https://github.com/dwmkerr/terraform-aws-openshift/issues/76',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "10.78.0.228:5000/monitorms": Error response from daemon: {"message":"Get https://10.78.0.228:5000/v1/_ping: x509: certificate signed by unknown authority"}',
        source: 'https://github.com/kubernetes/kubernetes/issues/43924',
        runtime: 'docker',
        note: 'dockershim before CRI (Kubernetes 1.5)',
      },
    ],
  }),
  wording({
    cause: 'tls',
    subKind: 'other',
    pattern: /x509: |\btls: /i,
    pointsAtNode: false,
    why: 'any other x509 or TLS handshake failure',
    examples: [
      {
        text: 'Error response from daemon: Get https://registry-1.docker.io/v2/: remote error: tls: handshake failure',
        source: 'https://github.com/docker/for-linux/issues/894',
        runtime: 'docker',
        note: 'runtime text (Docker CLI)',
      },
    ],
  }),
];

export const RATE_LIMIT_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'rate-limited',
    subKind: 'rate-limit',
    pattern: /toomanyrequests|Too Many Requests|pull rate limit/i,
    status: statusIs(429),
    pointsAtNode: false,
    why: 'Docker Hub: "429 Too Many Requests - Server message: toomanyrequests: …"',
    examples: [
      {
        text: 'Failed to pull image "centos": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/centos:latest": failed to copy: httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/centos/manifests/sha256:dbbacecc49b088458781c16f3775f2a2ec7521079034a7ba499c8b0bb7f86875: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
        source: 'https://github.com/dell/csi-baremetal/issues/391',
        runtime: 'containerd',
      },
      {
        text: 'Failed to pull image "obsidiandynamics/kafdrop:latest": rpc error: code = Unknown desc = Error reading manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
        source: 'https://github.com/red-hat-storage/ocs-ci/issues/4494',
        runtime: 'cri-o',
      },
      {
        text: 'Failed to pull image "openshift/hello-openshift:v3.6.0": rpc error: code = Unknown desc = reading manifest v3.6.0 in docker.io/openshift/hello-openshift: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
        source: 'https://github.com/arquillian/arquillian-cube/issues/1423',
        runtime: 'cri-o',
      },
      {
        text: 'Failed to pull image "docker.io/library/busybox:1.29": rpc error: code = Unknown desc = Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
        source: 'https://github.com/ceph/ceph-csi/issues/2029',
        runtime: 'docker',
      },
    ],
  }),
];

/**
 * Network failures, before auth: a token fetch that times out is not an auth failure. DNS before
 * proxy before refused before timeouts, the order in which they explain each other
 * (`proxyconnect tcp: dial tcp: lookup …: Temporary failure in name resolution` is DNS).
 */
export const NETWORK_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'unreachable',
    subKind: 'dns',
    pattern: /no such host|server misbehaving|Temporary failure in name resolution/i,
    pointsAtNode: false,
    why: 'the node cannot resolve the registry host (the runtime uses the node’s resolver, not CoreDNS)',
    examples: [
      {
        text: 'rpc error: code = Unknown desc = error pinging docker registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": proxyconnect tcp: dial tcp: lookup http: Temporary failure in name resolution',
        source: 'https://github.com/cri-o/cri-o/issues/2331#issuecomment (sarbajitpattanaik, 2020-04-23)',
        runtime: 'cri-o',
        note: 'runtime text (crictl)',
      },
      {
        text: 'Failed to pull image "hjacobs/kube-ops-view:0.8.1": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving',
        source: 'https://github.com/hjacobs/kube-ops-view/issues/176',
        runtime: 'docker',
      },
      {
        text: 'Failed to pull image "gcr.io/google_containers/spark:1.5.2_v1": image pull failed for gcr.io/google_containers/spark:1.5.2_v1, this may be because there are no credentials on this request.  details: (API error (500): unable to ping registry endpoint https://gcr.io/v0/\nv2 ping attempt failed with error: Get https://gcr.io/v2/: dial tcp: lookup gcr.io: Temporary failure in name resolution\n v1 ping attempt failed with error: Get https://gcr.io/v1/_ping: dial tcp: lookup gcr.io: Temporary failure in name resolution\n)',
        source: 'https://github.com/kubernetes/kubernetes/issues/6888',
        runtime: 'docker',
        note: 'dockershim 2016: the "no credentials" sentence is the kubelet\'s guess, the cause is DNS',
      },
    ],
  }),
  wording({
    cause: 'unreachable',
    subKind: 'proxy',
    pattern: /proxyconnect tcp/i,
    pointsAtNode: false,
    why: 'the runtime could not connect through its HTTP proxy',
    examples: [
      {
        text: 'Error response from daemon: Get https://registry-1.docker.io/v2/: proxyconnect tcp: dial tcp 127.0.0.1:8080: connect: connection refused',
        source: 'https://github.com/docker/for-win/issues/9400',
        runtime: 'docker',
        note: 'runtime text (Docker CLI)',
      },
    ],
  }),
  wording({
    cause: 'unreachable',
    subKind: 'refused',
    pattern: /connection refused/i,
    pointsAtNode: false,
    why: 'nothing listens on the registry port, or a firewall rejects it',
    examples: [
      {
        text: 'Error initializing source docker://k8s.gcr.io/pause:3.2: error pinging docker registry k8s.gcr.io: Get "https://k8s.gcr.io/v2/": dial tcp 10.254.3.15:443: connect: connection refused',
        source: 'https://github.com/cri-o/cri-o/issues/3915',
        runtime: 'cri-o',
        note: 'runtime text (CRI-O log; pause image pulled for a sandbox)',
      },
      {
        text: 'Failed to pull image "localhost:7439/gitlab.example.com-4567/library/test-api:latest": RegistryUnavailable: pinging container registry localhost:7439: Get "http://localhost:7439/v2/": dial tcp [::1]:7439: connect: connection refused',
        source: 'https://github.com/enix/kube-image-keeper/issues/529',
        runtime: 'cri-o',
      },
    ],
  }),
  wording({
    cause: 'unreachable',
    subKind: 'timeout',
    pattern: /i\/o timeout|Client\.Timeout exceeded|context deadline exceeded|TLS handshake timeout|connection timed out|request canceled/i,
    pointsAtNode: false,
    why: 'a connect or request timeout: firewall, missing egress route, or a proxy the runtime does not use',
    examples: [
      {
        text: 'rpc error: code = Unknown desc = failed to pull and unpack image "registry.k8s.io/kube-proxy:v1.28.2": failed to resolve reference "registry.k8s.io/kube-proxy:v1.28.2": failed to do request: Head "https://registry.k8s.io/v2/kube-proxy/manifests/v1.28.2": dial tcp 34.96.108.209:443: connect: connection timed out',
        source: 'https://github.com/kubernetes/kubeadm/issues/2936',
        runtime: 'containerd',
        note: 'runtime text (crictl, via kubeadm preflight)',
      },
      {
        text: 'Failed to pull image "image-registry.canonical.com:5000/cdk/coredns/coredns:1.4.0": rpc error: code = Unknown desc = failed to resolve image "image-registry.canonical.com:5000/cdk/coredns/coredns:1.4.0": no available registry endpoint: failed to do request: Head https://image-registry.canonical.com:5000/v2/cdk/coredns/coredns/manifests/1.4.0: dial tcp 162.213.33.199:5000: i/o timeout',
        source: 'https://github.com/conjure-up/conjure-up/issues/1616',
        runtime: 'containerd',
        note: 'containerd 1.2 wording ("failed to resolve image", "no available registry endpoint")',
      },
      {
        text: 'rpc error: code = Unknown desc = pinging docker registry returned: Get http://registry-1.docker.io/v2/: dial tcp 34.199.40.84:80: i/o timeout',
        source: 'https://github.com/cri-o/cri-o/issues/2723',
        runtime: 'cri-o',
        note: 'runtime text (crictl)',
      },
      {
        text: 'rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: read udp 10.0.2.15:39674->10.0.2.3:53: i/o timeout',
        source: 'https://github.com/kubernetes/minikube/issues/4213',
        runtime: 'docker',
        note: 'runtime text (kubelet log; a terminal line wrap after "desc =" re-joined)',
      },
      {
        text: 'Failed to pull image "xyz:5500/my/kibana-openshift:5.6.3": rpc error: code = 2 desc = net/http: request canceled',
        source: 'https://github.com/kubernetes/kubernetes/issues/58526',
        runtime: 'docker',
        note: 'numeric gRPC code of older kubelets',
      },
      {
        text: 'Failed to pull image "10.101.100.100:30000/nfidd_mysql_management:0.1.0.3-999": API error (500): invalid registry endpoint "http://10.101.100.100:30000/v0/". HTTPS attempt: unable to ping registry endpoint https://10.101.100.100:30000/v0/\nv2 ping attempt failed with error: Get https://10.101.100.100:30000/v2/: dial tcp 10.101.100.100:30000: i/o timeout\n v1 ping attempt failed with error: Get https://10.101.100.100:30000/v1/_ping: dial tcp 10.101.100.100:30000: i/o timeout. HTTP attempt: unable to ping registry endpoint http://10.101.100.100:30000/v0/\nv2 ping attempt failed with error: Get http://10.101.100.100:30000/v2/: dial tcp 10.101.100.100:30000: i/o timeout\n v1 ping attempt failed with error: Get http://10.101.100.100:30000/v1/_ping: dial tcp 10.101.100.100:30000: i/o timeout',
        source: 'https://github.com/UKHomeOffice/kb8or/issues/48',
        runtime: 'docker',
        note: 'Kubernetes 1.1 era',
      },
    ],
  }),
  wording({
    cause: 'unreachable',
    subKind: 'network',
    pattern: /dial tcp|connection reset by peer|no route to host|network is unreachable|unable to ping registry endpoint/i,
    pointsAtNode: false,
    why: 'any other network failure on the way to the registry',
    examples: [
      {
        text: 'failed to pull and unpack image "registry.cn-hangzhou.aliyuncs.com/google_containers/pause:3.9": failed to resolve reference "registry.cn-hangzhou.aliyuncs.com/google_containers/pause:3.9": failed to do request: Head "https://registry.cn-hangzhou.aliyuncs.com/v2/google_containers/pause/manifests/3.9": dial tcp 120.55.105.209:443: connect: no route to host',
        source: 'https://github.com/kubernetes/kubernetes/issues/91402',
        runtime: 'containerd',
        note: 'runtime text (crictl, via kubeadm preflight)',
      },
      {
        text: 'rpc error: code = Unknown desc = error pinging docker registry k8s.gcr.io: Get "https://k8s.gcr.io/v2/": dial tcp: lookup k8s.gcr.io: device or resource busy',
        source: 'https://github.com/cri-o/cri-o/issues/3612',
        runtime: 'cri-o',
        note: 'runtime text (crictl)',
      },
      {
        text: 'Failed to pull image "harbor.ops.zebrium.com/onprem/docker-vertica:release-ea89_20240107082335": failed to pull and unpack image "harbor.ops.zebrium.com/onprem/docker-vertica:release-ea89_20240107082335": failed to copy: read tcp 10.237.X.X:38070->52.38.X.X:443: read: connection reset by peer',
        source: 'https://github.com/containerd/containerd/issues/10035',
        runtime: 'containerd',
      },
    ],
  }),
];

/** Last of all: a registry that answers 5xx was reached, and every more specific reading failed. */
export const SERVER_ERROR_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'unreachable',
    subKind: 'server-error',
    pattern: /Internal Server Error|Service Unavailable|Bad Gateway|Gateway Timeout/i,
    status: serverErrorStatus,
    pointsAtNode: false,
    why: 'the registry answered with a server error',
    examples: [
      {
        text: 'rpc error: code = Unknown desc = pinging container registry registry.example.internal: Get "https://registry.example.internal/v2/": Internal Server Error',
        source: 'https://github.com/kubernetes-sigs/cri-tools/issues/1608',
        runtime: 'cri-o',
        note: 'runtime text (crictl); private registry host replaced by registry.example.internal',
      },
    ],
  }),
];
