/**
 * Real image-pull error texts, copied from public GitHub issues and pages (source on each entry).
 *
 * Most are the message of a kubelet `Failed` event (`Failed to pull image "x": <runtime error>`)
 * or the back-off status text, as pasted from `kubectl describe pod` / `kubectl get events`.
 * Entries marked `// runtime text` are the same runtime error seen through crictl, the kubelet or
 * containerd log, or the Docker CLI: the text the kubelet would put after `Failed to pull image "x": `.
 *
 * Edits: private hosts and markdown emphasis replaced where noted; wrapped lines re-joined where
 * the terminal had wrapped them. Nothing else was changed. Where a reporter redacted a name
 * (XXXX, ***, CENSORED) the redaction is kept.
 */
import type { Cause } from '../../src/engine/classify.js';

export interface RuntimeMessage {
  runtime: 'containerd' | 'cri-o' | 'docker';
  text: string;
  expect: Cause;
  /** URL or repo#issue where the text was found */
  source: string;
}

export const runtimeMessages: RuntimeMessage[] = [
  // ------------------------------------------------------------------ containerd
  {
    runtime: 'containerd',
    text: 'Failed to pull image "registry.app.xxx.net/XXXXX/partsgo42:GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7": rpc error: code = Unknown desc = failed to pull and unpack image "registry.app.xxx.net/spm2fog/partsgo42:GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7": failed to resolve reference "registry.app.xxx.net/spm2fog/partsgo42:GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7": pulling from host registry.app.xxx.net failed with status code [manifests GitActionsNew-2e7e78f7bb157128f1853b0dc06bf7ccd13156d7]: 401 Unauthorized',
    expect: 'auth-rejected',
    source: 'https://github.com/kubernetes/kubernetes/issues/110675',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "centos": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/centos:latest": failed to copy: httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/centos/manifests/sha256:dbbacecc49b088458781c16f3775f2a2ec7521079034a7ba499c8b0bb7f86875: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    expect: 'rate-limited',
    source: 'https://github.com/dell/csi-baremetal/issues/391',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "ghcr.io/kubewarden/kubewarden-controller:latest": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/kubewarden/kubewarden-controller:latest": no match for platform in manifest: not found',
    expect: 'platform',
    source: 'https://github.com/kubewarden/adm-controller/issues/1378',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": rpc error: code = NotFound desc = failed to pull and unpack image "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": failed to resolve reference "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": cr.kagent.dev/kagent-dev/kagent/controller:0.9.11: not found',
    expect: 'not-found',
    source: 'https://github.com/kagent-dev/kagent/issues/2178',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "controller:latest": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/controller:latest": failed to resolve reference "docker.io/library/controller:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    expect: 'access-denied',
    source: 'https://github.com/pfnet/image-pull-secrets-provisioner/issues/31',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": rpc error: code = Unknown desc = failed to pull and unpack image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": failed to resolve reference "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": failed to do request: Head "https://localhost:7439/v2/docker.io/xxxsoftware/xxx-redis/manifests/2023.1.2": http: server gave HTTP response to HTTPS client',
    expect: 'tls',
    source: 'https://github.com/enix/kube-image-keeper/issues/60',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "registry.k8s.io/coredns/coredns:v1.11.1": failed to pull and unpack image "registry.k8s.io/coredns/coredns:v1.11.1": failed to resolve reference "registry.k8s.io/coredns/coredns:v1.11.1": failed to do request: Head "https://registry.k8s.io/v2/coredns/coredns/manifests/v1.11.1": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    expect: 'tls',
    source: 'https://github.com/cnoe-io/idpbuilder/issues/520',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "cr.strrl.dev/strrl/cloudflare-tunnel-ingress-controller:0.0.18": failed to pull and unpack image "cr.strrl.dev/strrl/cloudflare-tunnel-ingress-controller:0.0.18": failed to resolve reference "cr.strrl.dev/strrl/cloudflare-tunnel-ingress-controller:0.0.18": failed to do request: Head "https://cr.strrl.dev/v2/strrl/cloudflare-tunnel-ingress-controller/manifests/0.0.18": tls: failed to verify certificate: x509: certificate is valid for 3c2fcaccec4b1289b9a0450b1432f3ab.86a03424cf5abd4235921bc09e1244f2.traefik.default, not cr.strrl.dev',
    expect: 'tls',
    source: 'https://github.com/STRRL/cloudflare-tunnel-ingress-controller/issues/202',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "docker.io/moby/buildkit:v0.8.3": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/moby/buildkit:v0.8.3": failed to resolve reference "docker.io/moby/buildkit:v0.8.3": failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Amoby%2Fbuildkit%3Apull&service=registry.docker.io": x509: certificate signed by unknown authority',
    expect: 'tls',
    source: 'https://github.com/rancher-sandbox/rancher-desktop/issues/305',
  },
  {
    // runtime text (crictl, via kubeadm preflight)
    runtime: 'containerd',
    text: 'rpc error: code = Unknown desc = failed to pull and unpack image "registry.k8s.io/kube-proxy:v1.28.2": failed to resolve reference "registry.k8s.io/kube-proxy:v1.28.2": failed to do request: Head "https://registry.k8s.io/v2/kube-proxy/manifests/v1.28.2": dial tcp 34.96.108.209:443: connect: connection timed out',
    expect: 'unreachable',
    source: 'https://github.com/kubernetes/kubeadm/issues/2936',
  },
  {
    // runtime text (crictl, via kubeadm preflight)
    runtime: 'containerd',
    text: 'failed to pull and unpack image "registry.cn-hangzhou.aliyuncs.com/google_containers/pause:3.9": failed to resolve reference "registry.cn-hangzhou.aliyuncs.com/google_containers/pause:3.9": failed to do request: Head "https://registry.cn-hangzhou.aliyuncs.com/v2/google_containers/pause/manifests/3.9": dial tcp 120.55.105.209:443: connect: no route to host',
    expect: 'unreachable',
    source: 'https://github.com/kubernetes/kubernetes/issues/91402',
  },
  {
    // containerd 1.2 wording ("failed to resolve image", "no available registry endpoint")
    runtime: 'containerd',
    text: 'Failed to pull image "image-registry.canonical.com:5000/cdk/coredns/coredns:1.4.0": rpc error: code = Unknown desc = failed to resolve image "image-registry.canonical.com:5000/cdk/coredns/coredns:1.4.0": no available registry endpoint: failed to do request: Head https://image-registry.canonical.com:5000/v2/cdk/coredns/coredns/manifests/1.4.0: dial tcp 162.213.33.199:5000: i/o timeout',
    expect: 'unreachable',
    source: 'https://github.com/conjure-up/conjure-up/issues/1616',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "ghcr.io/kagenti/kagenti-client-registration:latest": failed to pull and unpack image "ghcr.io/kagenti/kagenti-client-registration:latest": failed to resolve reference "ghcr.io/kagenti/kagenti-client-registration:latest": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Akagenti%2Fkagenti-client-registration%3Apull&service=ghcr.io: 403 Forbidden',
    expect: 'access-denied',
    source: 'https://github.com/rossoctl/rossoctl/issues/116',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "ghcr.io/nloui/paperless-mcp:latest": failed to pull and unpack image "ghcr.io/nloui/paperless-mcp:latest": failed to resolve reference "ghcr.io/nloui/paperless-mcp:latest": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Anloui%2Fpaperless-mcp%3Apull&service=ghcr.io: 403 Forbidden',
    expect: 'access-denied',
    source: 'https://github.com/nloui/paperless-mcp/issues/10',
  },
  {
    // markdown bold removed from the pasted text
    runtime: 'containerd',
    text: 'Failed to pull image "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to pull and unpack image "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to resolve reference "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aopen-edge-platform%2Fgeti%2Fnotifier%3Apull&service=ghcr.io: 401 Unauthorized',
    expect: 'access-denied',
    source: 'https://github.com/open-edge-platform/geti_v2/issues/1668',
  },
  {
    // reporter's <registryname>/<imagerepo> placeholders replaced by myregistry/myapp
    runtime: 'containerd',
    text: 'Failed to pull image "myregistry.azurecr.io/main/myapp:v5.0.0": failed to pull and unpack image "myregistry.azurecr.io/main/myapp:v5.0.0": failed to resolve reference "myregistry.azurecr.io/main/myapp:v5.0.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myregistry.azurecr.io/oauth2/token?scope=repository%3Amain%2Fmyapp%3Apull&service=myregistry.azurecr.io: 401 Unauthorized',
    expect: 'access-denied',
    source: 'https://github.com/Azure/AKS/issues/4459',
  },
  {
    // runtime text (containerd log, k8s e2e)
    runtime: 'containerd',
    text: 'rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b": failed to resolve reference "registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b": registry.k8s.io/kube-apiserver-amd64:v1.30.0-alpha.1.107_052bce26f4f48b: not found',
    expect: 'not-found',
    source: 'https://github.com/kubernetes-sigs/provider-aws-test-infra/pull/281',
  },
  {
    runtime: 'containerd',
    text: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/salesforce/salesforcedx:latest": failed to resolve reference "docker.io/salesforce/salesforcedx:latest": docker.io/salesforce/salesforcedx:latest: not found',
    expect: 'not-found',
    source: 'https://github.com/forcedotcom/salesforcedx-docker/issues/35',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "ghcr.io/komari-monitor/komari:1.0.0": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/komari-monitor/komari:1.0.0": failed to copy: httpReadSeeker: failed open: content at https://ghcr.io/v2/komari-monitor/komari/manifests/sha256:3611825abb0c84db8974691cb4d9c44cc198a0cc45aa42ddfc70806d8db92d0b not found: not found',
    expect: 'not-found',
    source: 'https://github.com/komari-monitor/komari/issues/326',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": failed to copy: httpReadSeeker: failed open: content at https://ghcr.io/v2/cloudnative-pg/cloudnative-pg/manifests/sha256:827429f73ca03211c631aba2c1b0c417a0e57b7b4dbf3c54689c8a9eee5558e9 not found: not found',
    expect: 'not-found',
    source: 'https://github.com/cloudnative-pg/cloudnative-pg/issues/2265',
  },
  {
    runtime: 'containerd',
    text: 'Failed to pull image "docker.pkg.github.com/vasiliys/drone/kubectl:v1.6.2": rpc error: code = NotFound desc = failed to pull and unpack image "docker.pkg.github.com/vasiliys/drone/kubectl:v1.6.2": failed to copy: httpReaderSeeker: failed open: could not fetch content descriptor sha256:e43914fa8c69b3638f421842accf3e150471b1fe2e1f002ae41d072e25899d4e (application/vnd.docker.distribution.manifest.v2+json) from remote: not found',
    expect: 'not-found',
    source: 'https://github.com/containerd/containerd/issues/3291',
  },
  {
    // container status message (waiting.message) of a newer kubelet, §9.3
    runtime: 'containerd',
    text: 'Back-off pulling image "ghcr.io/alexsjones/sympozium/node-probe:v0.1.8": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/alexsjones/sympozium/node-probe:v0.1.8": failed to resolve reference "ghcr.io/alexsjones/sympozium/node-probe:v0.1.8": ghcr.io/alexsjones/sympozium/node-probe:v0.1.8: not found',
    expect: 'not-found',
    source: 'https://github.com/sympozium-ai/sympozium/issues/36',
  },
  {
    // runtime text (containerd log, k3s)
    runtime: 'containerd',
    text: 'failed to extract layer sha256:5dacd731af1b0386ead06c8b1feff9f65d9e0bdfec032d2cd0bc03690698feda: mount callback failed on /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount252943319: write /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount252943319/lib/x86_64-linux-gnu/libc-2.24.so: no space left on device: unknown',
    expect: 'node-error',
    source: 'https://github.com/rancher/k3os/issues/55',
  },
  {
    // runtime text (Docker Desktop's containerd store)
    runtime: 'containerd',
    text: 'failed to extract layer (application/vnd.oci.image.layer.v1.tar+gzip sha256:0465d356eb1de54a583b42b392bd68ff4c6d0494ecaeb5a8b89c1001334829bf) to overlayfs as "extract-260106421-WDeK sha256:dc6b5af8281abf684b3e18b349680a24b4f020bd3ee8c7254ddc3b128ec21162": write /var/lib/desktop-containerd/daemon/io.containerd.snapshotter.v1.overlayfs/snapshots/105/fs/home/pentester/.cache/go-build/27/27085a9d2a1990418db3f6435abc47c29c9144d86f99186ced0874f54616bc5e-d: no space left on device',
    expect: 'node-error',
    source: 'https://github.com/usestrix/strix/issues/483',
  },

  // ------------------------------------------------------------------ CRI-O (containers/image)
  {
    // runtime text (crictl)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = Error reading manifest latest in registry.mydomain/image: manifest unknown: manifest unknown',
    expect: 'not-found',
    source: 'https://github.com/cri-o/cri-o/issues/4388',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to pull image "registry.svc.ci.openshift.org/origin/4.3-2019-10-29-062458@sha256:8184092486c345c2b757f366f146218a115e5d7a92b481cb76257358653ec852": rpc error: code = Unknown desc = Error reading manifest sha256:8184092486c345c2b757f366f146218a115e5d7a92b481cb76257358653ec852 in registry.svc.ci.openshift.org/origin/4.3-2019-10-29-062458: manifest unknown: manifest unknown',
    expect: 'not-found',
    source: 'https://github.com/raffaelespazzoli/credscontroller/issues/10',
  },
  {
    // runtime text (kubelet log on OKD)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = initializing source docker://quay.io/okd/scos-content@sha256:637140d5811ea5f3ebbf1f0185ef4e98085236684337f2aabc4fa6bbffe1b305: reading manifest sha256:637140d5811ea5f3ebbf1f0185ef4e98085236684337f2aabc4fa6bbffe1b305 in quay.io/okd/scos-content: manifest unknown',
    expect: 'not-found',
    source: 'https://github.com/okd-project/okd/issues/2194',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to pull image "registry.connect.redhat.com/openbao/openbao-ubi:2.6.0": unable to pull image or OCI artifact: pull image err: initializing source docker://registry.connect.redhat.com/openbao/openbao-ubi:2.6.0: reading manifest 2.6.0 in registry.connect.redhat.com/openbao/openbao-ubi: name unknown: Image not found; artifact err: get manifest: build image source: reading manifest 2.6.0 in registry.connect.redhat.com/openbao/openbao-ubi: name unknown: Image not found',
    expect: 'not-found',
    source: 'https://github.com/openbao/openbao-helm/issues/202',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to pull image "obsidiandynamics/kafdrop:latest": rpc error: code = Unknown desc = Error reading manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    expect: 'rate-limited',
    source: 'https://github.com/red-hat-storage/ocs-ci/issues/4494',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to pull image "openshift/hello-openshift:v3.6.0": rpc error: code = Unknown desc = reading manifest v3.6.0 in docker.io/openshift/hello-openshift: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
    expect: 'rate-limited',
    source: 'https://github.com/arquillian/arquillian-cube/issues/1423',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to pull image "quay.io/open-cluster-management/multicloudhub-operator-bundle@sha256:ba919b34aa7c7c7135f4474791defb6240ff1af2491b876c25ba960af81c5267": rpc error: code = Unknown desc = Error reading manifest sha256:ba919b34aa7c7c7135f4474791defb6240ff1af2491b876c25ba960af81c5267 in quay.io/open-cluster-management/multicloudhub-operator-bundle: unauthorized: access to the requested resource is not authorized',
    expect: 'access-denied',
    source: 'https://github.com/stolostron/deploy/issues/2',
  },
  {
    // runtime text (crictl); Docker Hub lists both errors for a missing/private repository
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = Error reading manifest latest in docker.io/crio/busybox: errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required',
    expect: 'access-denied',
    source: 'https://github.com/cri-o/cri-o/issues/2331',
  },
  {
    // runtime text (crictl)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = pinging docker registry returned: Get http://registry-1.docker.io/v2/: dial tcp 34.199.40.84:80: i/o timeout',
    expect: 'unreachable',
    source: 'https://github.com/cri-o/cri-o/issues/2723',
  },
  {
    // runtime text (crictl)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = error pinging docker registry k8s.gcr.io: Get "https://k8s.gcr.io/v2/": dial tcp: lookup k8s.gcr.io: device or resource busy',
    expect: 'unreachable',
    source: 'https://github.com/cri-o/cri-o/issues/3612',
  },
  {
    // runtime text (crictl)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = error pinging docker registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": proxyconnect tcp: dial tcp: lookup http: Temporary failure in name resolution',
    expect: 'unreachable',
    source: 'https://github.com/cri-o/cri-o/issues/2331#issuecomment (sarbajitpattanaik, 2020-04-23)',
  },
  {
    // runtime text (crictl); private registry host replaced by registry.example.internal
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = pinging container registry registry.example.internal: Get "https://registry.example.internal/v2/": Internal Server Error',
    expect: 'unreachable',
    source: 'https://github.com/kubernetes-sigs/cri-tools/issues/1608',
  },
  {
    // runtime text (CRI-O log; pause image pulled for a sandbox)
    runtime: 'cri-o',
    text: 'Error initializing source docker://k8s.gcr.io/pause:3.2: error pinging docker registry k8s.gcr.io: Get "https://k8s.gcr.io/v2/": dial tcp 10.254.3.15:443: connect: connection refused',
    expect: 'unreachable',
    source: 'https://github.com/cri-o/cri-o/issues/3915',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to pull image "localhost:7439/gitlab.example.com-4567/library/test-api:latest": RegistryUnavailable: pinging container registry localhost:7439: Get "http://localhost:7439/v2/": dial tcp [::1]:7439: connect: connection refused',
    expect: 'unreachable',
    source: 'https://github.com/enix/kube-image-keeper/issues/529',
  },
  {
    // runtime text (crictl)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = copying system image from manifest list: Source image rejected: A signature was required, but no signature exists',
    expect: 'signature',
    source: 'https://github.com/containers/image/issues/1953',
  },
  {
    // container status message (waiting.message) during back-off
    runtime: 'cri-o',
    text: 'Back-off pulling image "quay.io/crio/unsigned:latest": SignatureValidationFailed: image pull failed for quay.io/crio/unsigned:latest because the signature validation failed: Source image rejected: A signature was required, but no signature exists',
    expect: 'signature',
    source: 'https://github.com/kubernetes/kubernetes/pull/127918',
  },
  {
    // container status message (waiting.message) with reason SignatureValidationFailed, §9.2
    runtime: 'cri-o',
    text: 'image pull failed for quay.io/crio/unsigned:latest because the signature validation failed: Source image rejected: A signature was required, but no signature exists',
    expect: 'signature',
    source: 'https://github.com/kubernetes/kubernetes/pull/127918',
  },
  {
    // runtime text: containers/image (CRI-O's pull library) as printed by kots; no kubelet example found
    runtime: 'cri-o',
    text: 'Error choosing an image from manifest list docker://postgres:10.7: no image found in manifest list for architecture amd64, OS darwin',
    expect: 'platform',
    source: 'https://github.com/replicatedhq/kots/issues/495',
  },

  // Short names: CRI-O (containers/image) does not default an unqualified name to docker.io; the
  // kubelet's image status call fails first, so these arrive as InspectFailed / ImageInspectError.
  {
    runtime: 'cri-o',
    text: 'Failed to inspect image "": rpc error: code = Unknown desc = short-name "kong:3.9" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    expect: 'short-name',
    source: 'https://github.com/kubernetes-retired/dashboard/issues/10423',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to inspect image "kicbase/echo-server:1.0": rpc error: code = Unknown desc = short-name "kicbase/echo-server:1.0" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    expect: 'short-name',
    source: 'https://github.com/kubernetes/minikube/pull/19395',
  },
  {
    // runtime text (kubelet log: `start failed in pod …: <this>`)
    runtime: 'cri-o',
    text: 'ImageInspectError: Failed to inspect image "busybox": rpc error: code = Unknown desc = short-name "busybox:latest" did not resolve to an alias and no unqualified-search registries are defined in ""',
    expect: 'short-name',
    source: 'https://github.com/rootless-containers/usernetes/pull/208',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name fusionauth/fusionauth-app:1.60.2 returns ambiguous list',
    expect: 'short-name',
    source: 'https://github.com/FusionAuth/charts/issues/118',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name synology/synology-csi:v1.2.0 returns ambiguous list',
    expect: 'short-name',
    source: 'https://github.com/SynologyOpenSource/synology-csi/issues/128',
  },
  {
    // runtime text (kubelet log: `ImageStatus "nginx:alpine" from image service failed: <this>`)
    runtime: 'cri-o',
    text: 'rpc error: code = Unknown desc = no registries configured while trying to pull an unqualified image',
    expect: 'short-name',
    source: 'https://github.com/kubernetes/minikube/issues/2835',
  },
  {
    runtime: 'cri-o',
    text: 'Failed to inspect image "alpine": rpc error: code = Unknown desc = no registries configured while trying to pull an unqualified image, add at least one in either /etc/crio/crio.conf or /etc/containers/registries.conf',
    expect: 'short-name',
    source: 'https://github.com/kvaps/kubectl-node-shell/pull/6',
  },
  // ------------------------------------------------------------------ Docker / dockershim
  {
    runtime: 'docker',
    text: 'Failed to pull image "rmeuser-auth:latest": rpc error: code = Unknown desc = Error response from daemon: pull access denied for rmeuser-auth, repository does not exist or may require \'docker login\'',
    expect: 'access-denied',
    source: 'https://github.com/kubernetes/website/issues/14257',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "suedostcargo-web": Error response from daemon: pull access denied for suedostcargo-web, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied',
    expect: 'access-denied',
    source: 'https://github.com/kubernetes/minikube/issues/20613',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "octarinesec/guardrails-enforcer:20.7": rpc error: code = Unknown desc = Error response from daemon: pull access denied for octarinesec/guardrails-enforcer, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied',
    expect: 'access-denied',
    source: 'https://github.com/octarinesec/octarine-operator/issues/15',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "octarinesec/guardrails-enforcer:20.7": rpc error: code = Unknown desc = Error response from daemon: unauthorized: authentication required',
    expect: 'auth-rejected',
    source: 'https://github.com/octarinesec/octarine-operator/issues/15',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "docker.io/library/busybox:1.29": rpc error: code = Unknown desc = Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    expect: 'rate-limited',
    source: 'https://github.com/ceph/ceph-csi/issues/2029',
  },
  {
    // aggregate of two identical messages (older kubelet, no de-duplication)
    runtime: 'docker',
    text: 'Failed to pull image "ugsampleacr.azurecr.io/mssampleaksapplication:v1": [rpc error: code = Unknown desc = Error response from daemon: Get https://ugsampleacr.azurecr.io/v2/mssampleaksapplication/manifests/v1: unauthorized: authentication required, rpc error: code = Unknown desc = Error response from daemon: Get https://ugsampleacr.azurecr.io/v2/mssampleaksapplication/manifests/v1: unauthorized: authentication required]',
    expect: 'auth-rejected',
    source: 'https://github.com/dotnet/docs/issues/13401',
  },
  {
    // aggregate: one credential reached the registry (manifest unknown), the other was refused
    runtime: 'docker',
    text: 'Failed to pull image "acrname.azurecr.io/preprocess": [rpc error: code = Unknown desc = Error response from daemon: manifest for acrname.azurecr.io/preprocess:latest not found: manifest unknown: manifest unknown, rpc error: code = Unknown desc = Error response from daemon: Get https://acrname.azurecr.io/v2/preprocess/manifests/latest: unauthorized: authentication required]',
    expect: 'not-found',
    source: 'https://github.com/kubeflow/examples/issues/654',
  },
  {
    // aggregate: server error for one credential, 401 for the other (reporter redacted the URLs)
    runtime: 'docker',
    text: 'Failed to pull image "***": [rpc error: code = Unknown desc = Error response from daemon: Get ******: received unexpected HTTP status: 500 Internal Server Error, rpc error: code = Unknown desc = Error response from daemon: Get **********: unauthorized: authentication required]',
    expect: 'auth-rejected',
    source: 'https://github.com/Azure/acr/issues/231',
  },
  {
    // aggregate whose second part contains ", " itself
    runtime: 'docker',
    text: 'Failed to pull image "bridgetokubernetes.azurecr.io/lpkremoteagent:0.1.4": [rpc error: code = Unknown desc = Error response from daemon: Get https://bridgetokubernetes.azurecr.io/v2/lpkremoteagent/manifests/0.1.4: unauthorized: Application not registered with AAD., rpc error: code = Unknown desc = Error response from daemon: Get https://bridgetokubernetes.azurecr.io/v2/lpkremoteagent/manifests/0.1.4: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.]',
    expect: 'auth-rejected',
    source: 'https://github.com/microsoft/mindaro/issues/45',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "smartsitealfaacr.azurecr.io/aem6.5-authbaseimage:v2": rpc error: code = Unknown desc = Error response from daemon: Head "https://smartsitealfaacr.azurecr.io/v2/aem6.5-authbaseimage/manifests/v2": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
    expect: 'auth-rejected',
    source: 'https://github.com/helm/helm/issues/12189',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "cloudtechnologies.azurecr.io/poc-k8s-web:20181007.1": rpc error: code = Unknown desc = Error response from daemon: Get https://cloudtechnologies.azurecr.io/v2/poc-k8s-web/manifests/20181007.1: unauthorized: authentication required',
    expect: 'auth-rejected',
    source: 'https://github.com/Azure/AKS/issues/679',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "us-docker.pkg.dev/berglas/berglas/berglas:latest": rpc error: code = Unknown desc = Error response from daemon: Get https://us-docker.pkg.dev/v2/berglas/berglas/berglas/manifests/latest: denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/berglas/locations/us/repositories/berglas"',
    expect: 'access-denied',
    source: 'https://github.com/GoogleCloudPlatform/berglas/issues/128',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "gcr.io/frasaja-1/watchpod:v1": rpc error: code = Unknown desc = Error response from daemon: unauthorized: You don\'t have the needed permissions to perform this operation, and you may have invalid credentials. To authenticate your request, follow the steps in: https://cloud.google.com/container-registry/docs/advanced-authentication',
    expect: 'access-denied',
    source: 'https://github.com/MinikubeAddon/watchpod/issues/4',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "XXXXXXXX.dkr.ecr.ap-XXXXXX.amazonaws.com/isam:9.0.7.0": rpc error: code = Unknown desc = Error response from daemon: Get https://XXXXXXX.dkr.ecr.ap-XXXXX.amazonaws.com/v2/ndi-spcp-isam/manifests/9.0.7.0: no basic auth credentials',
    expect: 'access-denied',
    source: 'https://github.com/aws-samples/eks-workshop/issues/451',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "": rpc error: code = Unknown desc = Error response from daemon: Get https://XXXXXX.dkr.ecr.ap-southeast-1.amazonaws.com/v2/webbook/webbook/manifests/latest: no basic auth credentials',
    expect: 'access-denied',
    source: 'https://github.com/kubernetes/community/issues/4003',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "nexus3.abcde.org:10004/abcde-qwerty-fe:2.2.22": rpc error: code = Unknown desc = Error response from daemon: Get https://nexus3.abcde.org:10004/v2/abcde-qwerty-fe/manifests/2.2.22: no basic auth credentials',
    expect: 'access-denied',
    source: 'https://github.com/docker/for-mac/issues/3381',
  },
  {
    // runtime text (kubelet log)
    runtime: 'docker',
    text: 'rpc error: code = Unknown desc = Error response from daemon: Get http://nexus3:8083/v2/com.panov/ci-cd/manifests/0.0.1-SNAPSHOT: no basic auth credentials',
    expect: 'access-denied',
    source: 'https://github.com/kubernetes/minikube/issues/9161',
  },
  {
    // runtime text (Docker CLI in CodeBuild); ECR IAM denial
    runtime: 'docker',
    text: 'Error response from daemon: pull access denied for 254865750963.dkr.ecr.us-west-2.amazonaws.com/everything2/e2lib, repository does not exist or may require \'docker login\': denied: User: arn:aws:sts::254865750963:assumed-role/Docker-Builder-CodeBuild-Role/AWSCodeBuild-749228d3-4d07-4037-bd81-b631b0a0460e is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-west-2:254865750963:repository/everything2/e2lib because no identity-based policy allows the ecr:BatchGetImage action',
    expect: 'access-denied',
    source: 'https://github.com/everything2/everything2/issues/2562',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "registry.example.com/foo/foo:1.2.3-64-affa5225": rpc error: code = Unknown desc = Error response from daemon: manifest for registry.example.com/foo/foo:1.2.3-64-affa5225 not found: manifest unknown: manifest unknown',
    expect: 'not-found',
    source: 'https://swsnr.de/the-mysterious-disapperance-of-docker-images',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "hjacobs/kube-ops-view:0.8.1": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving',
    expect: 'unreachable',
    source: 'https://github.com/hjacobs/kube-ops-view/issues/176',
  },
  {
    // runtime text (kubelet log; a terminal line wrap after "desc =" re-joined)
    runtime: 'docker',
    text: 'rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: read udp 10.0.2.15:39674->10.0.2.3:53: i/o timeout',
    expect: 'unreachable',
    source: 'https://github.com/kubernetes/minikube/issues/4213',
  },
  {
    // numeric gRPC code of older kubelets
    runtime: 'docker',
    text: 'Failed to pull image "xyz:5500/my/kibana-openshift:5.6.3": rpc error: code = 2 desc = net/http: request canceled',
    expect: 'unreachable',
    source: 'https://github.com/kubernetes/kubernetes/issues/58526',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "docker-registry-default.ip.xip.io/project/name": rpc error: code = Unknown desc = Get https:/docker-registry-default.ip.xip.io/project/name : x509: certificate signed by unknown authority',
    expect: 'tls',
    source: 'https://github.com/dwmkerr/terraform-aws-openshift/issues/76',
  },
  {
    // dockershim before CRI (Kubernetes 1.5)
    runtime: 'docker',
    text: 'Failed to pull image "10.78.0.228:5000/monitorms": Error response from daemon: {"message":"Get https://10.78.0.228:5000/v1/_ping: x509: certificate signed by unknown authority"}',
    expect: 'tls',
    source: 'https://github.com/kubernetes/kubernetes/issues/43924',
  },
  {
    // dockershim 2016: the "no credentials" sentence is the kubelet's guess, the cause is DNS
    runtime: 'docker',
    text: 'Failed to pull image "gcr.io/google_containers/spark:1.5.2_v1": image pull failed for gcr.io/google_containers/spark:1.5.2_v1, this may be because there are no credentials on this request.  details: (API error (500): unable to ping registry endpoint https://gcr.io/v0/\nv2 ping attempt failed with error: Get https://gcr.io/v2/: dial tcp: lookup gcr.io: Temporary failure in name resolution\n v1 ping attempt failed with error: Get https://gcr.io/v1/_ping: dial tcp: lookup gcr.io: Temporary failure in name resolution\n)',
    expect: 'unreachable',
    source: 'https://github.com/kubernetes/kubernetes/issues/6888',
  },
  {
    // dockershim 2016: same wrapper, the cause is a missing tag
    runtime: 'docker',
    text: 'Failed to pull image "quay.io/ukhomeofficedigital/s3registry:v2.0.0-bob": image pull failed for quay.io/ukhomeofficedigital/s3registry:v2.0.0-bob, this may be because there are no credentials on this request.  details: (Tag v2.0.0-bob not found in repository quay.io/ukhomeofficedigital/s3registry)',
    expect: 'not-found',
    source: 'https://github.com/UKHomeOffice/kb8or/issues/68',
  },
  {
    // dockershim 2016, as quoted by the reporter (the end of the registry body is cut off)
    runtime: 'docker',
    text: String.raw`image pull failed for quay.io/sysdig/sysdigcloud-backend:722, this may be because there are no credentials on this request.  details: (Error: Status 403 trying to pull repository sysdig/sysdigcloud-backend: "{\"error\": \"Permission Denied\"`,
    expect: 'access-denied',
    source: 'https://github.com/draios/sysdigcloud-kubernetes/issues/22',
  },
  {
    // Kubernetes 1.1 era
    runtime: 'docker',
    text: 'Failed to pull image "10.101.100.100:30000/nfidd_mysql_management:0.1.0.3-999": API error (500): invalid registry endpoint "http://10.101.100.100:30000/v0/". HTTPS attempt: unable to ping registry endpoint https://10.101.100.100:30000/v0/\nv2 ping attempt failed with error: Get https://10.101.100.100:30000/v2/: dial tcp 10.101.100.100:30000: i/o timeout\n v1 ping attempt failed with error: Get https://10.101.100.100:30000/v1/_ping: dial tcp 10.101.100.100:30000: i/o timeout. HTTP attempt: unable to ping registry endpoint http://10.101.100.100:30000/v0/\nv2 ping attempt failed with error: Get http://10.101.100.100:30000/v2/: dial tcp 10.101.100.100:30000: i/o timeout\n v1 ping attempt failed with error: Get http://10.101.100.100:30000/v1/_ping: dial tcp 10.101.100.100:30000: i/o timeout',
    expect: 'unreachable',
    source: 'https://github.com/UKHomeOffice/kb8or/issues/48',
  },
  {
    runtime: 'docker',
    text: 'Failed to pull image "CENSORED": rpc error: code = Unknown desc = failed to register layer: Error processing tar file(exit status 1): write /tableau-server-CENSORED.rpm: no space left on device',
    expect: 'node-error',
    source: 'https://github.com/tableau/tableau-server-in-kubernetes/issues/14',
  },
];
