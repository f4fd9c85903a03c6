/**
 * Wordings about the image once found, and about the node that stores it: signature policy,
 * CRI-O short names, the image's platform, and the node's disk and unpacking.
 */
import { wording, type Wording } from './wording.js';

export const SIGNATURE_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'signature',
    subKind: 'rejected',
    pattern: /Source image rejected|SignatureValidationFailed|signature validation failed|signature verification failed|A signature was required|no signature exists/i,
    pointsAtNode: false,
    why: 'a policy verdict on a fetched image; nothing later in the text can override it, so it comes first',
    examples: [
      {
        text: 'rpc error: code = Unknown desc = copying system image from manifest list: Source image rejected: A signature was required, but no signature exists',
        source: 'https://github.com/containers/image/issues/1953',
        runtime: 'cri-o',
        note: 'runtime text (crictl)',
      },
      {
        text: 'Back-off pulling image "quay.io/crio/unsigned:latest": SignatureValidationFailed: image pull failed for quay.io/crio/unsigned:latest because the signature validation failed: Source image rejected: A signature was required, but no signature exists',
        source: 'https://github.com/kubernetes/kubernetes/pull/127918',
        runtime: 'cri-o',
        note: 'container status message (waiting.message) during back-off',
      },
      {
        text: 'image pull failed for quay.io/crio/unsigned:latest because the signature validation failed: Source image rejected: A signature was required, but no signature exists',
        source: 'https://github.com/kubernetes/kubernetes/pull/127918',
        runtime: 'cri-o',
        note: 'container status message (waiting.message) with reason SignatureValidationFailed, §9.2',
      },
    ],
  }),
];

export const SHORT_NAME_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'short-name',
    subKind: 'no-search-registries',
    pattern: /short-name "[^"]*" did not resolve to an alias|no registries configured while trying to pull an unqualified image/i,
    pointsAtNode: true,
    why: 'CRI-O found no alias and no unqualified-search registries (the pre-2020 wording: an empty registries list), so no registry was contacted; the quoted name may hold any word (e.g. "denied"), so short names go right after signatures. The node’s registries.conf is the story',
    examples: [
      {
        text: 'Failed to inspect image "": rpc error: code = Unknown desc = short-name "kong:3.9" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
        source: 'https://github.com/kubernetes-retired/dashboard/issues/10423',
        runtime: 'cri-o',
      },
      {
        text: 'Failed to inspect image "kicbase/echo-server:1.0": rpc error: code = Unknown desc = short-name "kicbase/echo-server:1.0" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
        source: 'https://github.com/kubernetes/minikube/pull/19395',
        runtime: 'cri-o',
      },
      {
        text: 'ImageInspectError: Failed to inspect image "busybox": rpc error: code = Unknown desc = short-name "busybox:latest" did not resolve to an alias and no unqualified-search registries are defined in ""',
        source: 'https://github.com/rootless-containers/usernetes/pull/208',
        runtime: 'cri-o',
        note: 'runtime text (kubelet log: `start failed in pod …: <this>`)',
      },
      {
        text: 'rpc error: code = Unknown desc = no registries configured while trying to pull an unqualified image',
        source: 'https://github.com/kubernetes/minikube/issues/2835',
        runtime: 'cri-o',
        note: 'runtime text (kubelet log: `ImageStatus "nginx:alpine" from image service failed: <this>`)',
      },
      {
        text: 'Failed to inspect image "alpine": rpc error: code = Unknown desc = no registries configured while trying to pull an unqualified image, add at least one in either /etc/crio/crio.conf or /etc/containers/registries.conf',
        source: 'https://github.com/kvaps/kubectl-node-shell/pull/6',
        runtime: 'cri-o',
      },
    ],
  }),
  wording({
    cause: 'short-name',
    subKind: 'ambiguous',
    pattern: /short name mode is enforcing, but image name \S+ returns ambiguous list/i,
    pointsAtNode: true,
    why: 'short-name-mode "enforcing" with several unqualified-search registries: CRI-O refuses to guess',
    examples: [
      {
        text: 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name fusionauth/fusionauth-app:1.60.2 returns ambiguous list',
        source: 'https://github.com/FusionAuth/charts/issues/118',
        runtime: 'cri-o',
      },
      {
        text: 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name synology/synology-csi:v1.2.0 returns ambiguous list',
        source: 'https://github.com/SynologyOpenSource/synology-csi/issues/128',
        runtime: 'cri-o',
      },
    ],
  }),
];

export const PLATFORM_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'platform',
    subKind: 'no-matching-manifest',
    pattern: /no match for platform in manifest|no matching manifest for [^\n]+? in the manifest list|no image found in manifest list for architecture|no supported platform found in manifest list/i,
    pointsAtNode: true,
    why: 'the index has no manifest for the node’s OS/architecture; containerd says "no match for platform in manifest: not found", so this must beat not-found',
    examples: [
      {
        text: 'Failed to pull image "ghcr.io/kubewarden/kubewarden-controller:latest": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/kubewarden/kubewarden-controller:latest": no match for platform in manifest: not found',
        source: 'https://github.com/kubewarden/adm-controller/issues/1378',
        runtime: 'containerd',
      },
      {
        text: 'Error choosing an image from manifest list docker://postgres:10.7: no image found in manifest list for architecture amd64, OS darwin',
        source: 'https://github.com/replicatedhq/kots/issues/495',
        runtime: 'cri-o',
        note: 'runtime text: containers/image (CRI-O\'s pull library) as printed by kots; no kubelet example found',
      },
      {
        text: 'Failed to pull image "ghcr.io/nginx/nginx-gateway-fabric:2.0.2": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/nginx/nginx-gateway-fabric:2.0.2": no match for platform in manifest: not found',
        source: 'https://github.com/nginx/nginx-gateway-fabric/issues/3661',
        runtime: 'containerd',
        note: 'a Linux-only image scheduled on a Windows node',
      },
      {
        text: 'no matching manifest for windows/amd64 10.0.17763 in the manifest list entries',
        source: 'https://github.com/docker-archive-public/docker.kitematic/issues/5720',
        runtime: 'docker',
        note: 'runtime text (Docker CLI)',
      },
    ],
  }),
  wording({
    cause: 'platform',
    subKind: 'os-mismatch',
    pattern: /cannot be used on this platform/i,
    pointsAtNode: true,
    why: 'Docker (dockershim) on a Windows node pulling a Linux image, or the reverse: the image’s OS is not the node’s',
    examples: [
      {
        text: 'Failed to pull image "harbor.eniot.io/apaas/sig-storage/smbplugin:v1.9.0": rpc error: code = Unknown desc = image operating system "linux" cannot be used on this platform',
        source: 'https://github.com/kubernetes-csi/csi-driver-smb/issues/541',
        runtime: 'docker',
        note: 'dockershim on a Windows node',
      },
    ],
  }),
];

/**
 * The download worked (or started); storing or unpacking it on the node failed. Root causes
 * (disk, storage I/O) go before the step that reported them (a commit, an extraction).
 */
export const NODE_WORDINGS: readonly Wording[] = [
  wording({
    cause: 'node-error',
    subKind: 'disk-full',
    pattern: /no space left on device|disk quota exceeded/i,
    pointsAtNode: true,
    why: 'the image filesystem is full; the node usually reports DiskPressure',
    examples: [
      {
        text: 'failed to extract layer sha256:5dacd731af1b0386ead06c8b1feff9f65d9e0bdfec032d2cd0bc03690698feda: mount callback failed on /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount252943319: write /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount252943319/lib/x86_64-linux-gnu/libc-2.24.so: no space left on device: unknown',
        source: 'https://github.com/rancher/k3os/issues/55',
        runtime: 'containerd',
        note: 'runtime text (containerd log, k3s)',
      },
      {
        text: 'failed to extract layer (application/vnd.oci.image.layer.v1.tar+gzip sha256:0465d356eb1de54a583b42b392bd68ff4c6d0494ecaeb5a8b89c1001334829bf) to overlayfs as "extract-260106421-WDeK sha256:dc6b5af8281abf684b3e18b349680a24b4f020bd3ee8c7254ddc3b128ec21162": write /var/lib/desktop-containerd/daemon/io.containerd.snapshotter.v1.overlayfs/snapshots/105/fs/home/pentester/.cache/go-build/27/27085a9d2a1990418db3f6435abc47c29c9144d86f99186ced0874f54616bc5e-d: no space left on device',
        source: 'https://github.com/usestrix/strix/issues/483',
        runtime: 'containerd',
        note: 'runtime text (Docker Desktop\'s containerd store)',
      },
      {
        text: 'Failed to pull image "CENSORED": rpc error: code = Unknown desc = failed to register layer: Error processing tar file(exit status 1): write /tableau-server-CENSORED.rpm: no space left on device',
        source: 'https://github.com/tableau/tableau-server-in-kubernetes/issues/14',
        runtime: 'docker',
      },
    ],
  }),
  wording({
    cause: 'node-error',
    subKind: 'io-error',
    pattern: /input\/output error|read-only file system/i,
    pointsAtNode: true,
    why: 'the node’s storage failed under the runtime; often reported from inside an extraction, whose wording it beats',
    examples: [
      {
        text: 'failed to extract layer sha256:be4eae0b2583281e2cd171c52a0b283a5e6f84e6b86066a18e205a10cb507fcd: failed to mount /var/lib/containerd/tmpmounts/containerd-mount788433525: input/output error: unknown',
        source: 'https://github.com/containerd/containerd/issues/5022',
        runtime: 'containerd',
        note: 'runtime text (ctr); the reporter found the volume full',
      },
      {
        text: 'failed to register layer: Error processing tar file(exit status 1): replaceDirWithOverlayOpaque("/etc/ca-certificates") failed: createDirWithOverlayOpaque("/etc/rdwoo644458030") failed: failed to mkdir /etc/rdwoo644458030/m/d: mkdir /etc/rdwoo644458030/m/d: input/output error',
        source: 'https://github.com/docker-library/docker/issues/288',
        runtime: 'docker',
        note: 'runtime text (Docker CLI)',
      },
    ],
  }),
  wording({
    cause: 'node-error',
    subKind: 'transfer',
    pattern: /failed commit on ref|unexpected commit (?:digest|size)|Digest did not match|filesystem layer verification failed|(?:storing|writing) blob[^\n]*?unexpected EOF/i,
    pointsAtNode: true,
    why: 'a layer arrived short or different from what the manifest promised: containerd’s content store refuses the commit (size or digest), containers/image and Docker verify the digest, or the connection broke while a blob was stored; a proxy cutting long downloads, a stale partial download on the node, or a corrupt blob in the registry',
    examples: [
      {
        text: 'Failed to pull image "codercom/code-server:3.9.0": rpc error: code = FailedPrecondition desc = failed to pull and unpack image "docker.io/codercom/code-server:3.9.0": failed commit on ref "layer-sha256:1860da6d8902305631883be7a65a6a60d5f24be9048bf82c8c454ac2748d3950": unexpected commit digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, expected sha256:1860da6d8902305631883be7a65a6a60d5f24be9048bf82c8c454ac2748d3950: failed precondition',
        source: 'https://github.com/xunholy/k8s-gitops/issues/373',
        runtime: 'containerd',
        note: 'the digest containerd got is that of empty content: a stale partial download in the content store’s ingest directory',
      },
      {
        text: 'failed to pull image "gcr.io/google_containers/e2e-net-amd64:1.0": failed commit on ref "layer-sha256:3690ec4760f95690944da86dc4496148a63d85c9e3100669a318110092f6862f": unexpected commit size 5674492, expected 2312958: unknown',
        source: 'https://github.com/containerd/containerd/issues/1893',
        runtime: 'containerd',
        note: 'runtime text (cri-containerd log: `PullImage … failed, error: <this>`)',
      },
      {
        text: String.raw`unable to pull image or OCI artifact: pull image err: copying system image from manifest list: writing blob: storing blob to file "/var/tmp/container_images_storage451663201/3": happened during read: unexpected EOF (after reconnecting, fetching blob: StatusCode: 400, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Cod..."); artifact err: image reference: reference is a container image, not an OCI artifact`,
        source: 'https://github.com/kubernetes/registry.k8s.io/issues/333',
        runtime: 'cri-o',
        note: 'runtime text (kubelet log: the `err=` value, unquoted once)',
      },
      {
        text: 'Error reading blob sha256:037a20ccce44f4a50af27f659c9572bba253abf1494f7e3f843d13c5c3910d63: Digest did not match, expected sha256:037a20ccce44f4a50af27f659c9572bba253abf1494f7e3f843d13c5c3910d63, got sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        source: 'https://github.com/podman-container-tools/podman/issues/7298',
        runtime: 'cri-o',
        note: 'runtime text: containers/image (CRI-O’s pull library) as printed by podman, after podman’s own `Error: error pulling image …: unable to pull image: ` prefix; no kubelet example found',
      },
      {
        text: 'filesystem layer verification failed for digest sha256:0dac37e8b31a9abb933416b482b0046f50ec329d35cadfcbf8bcc381fa531114',
        source: 'https://github.com/kubernetes/kubeadm/issues/2320',
        runtime: 'docker',
        note: 'runtime text (Docker CLI)',
      },
    ],
  }),
  wording({
    cause: 'node-error',
    subKind: 'extract',
    pattern: /failed to extract layer|failed to register layer|failed to unpack image|ApplyLayer exit status|Untar re-exec error|archive\/tar: /i,
    pointsAtNode: true,
    why: 'the layer was downloaded but unpacking it failed: a corrupt or truncated layer, or the node’s snapshotter/storage driver',
    examples: [
      {
        text: 'Failed to pull image "ccr.ccs.tencentyun.com/tkeimages/tke-hpc-controller:v1.0.0": rpc error: code = NotFound desc = failed to pull and unpack image "ccr.ccs.tencentyun.com/tkeimages/tke-hpc-controller:v1.0.0": failed to unpack image on snapshotter overlayfs: failed to extract layer sha256:d72a74c56330b347f7d18b64d2effd93edd695fde25dc301d52c37efbcf4844e: failed to get reader from content store: content digest sha256:2bf487c4beaa6fa7ea6e46ec1ff50029024ebf59f628c065432a16a940792b58: not found',
        source: 'https://codestudyblog.com/8ten84/80416123550.html',
        runtime: 'containerd',
        note: 'the page’s code-formatting backticks around the two quoted images removed; a NotFound code and "not found" that are about the node’s content store, not the registry',
      },
      {
        text: 'rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/home-operations/prowlarr:2": failed to extract layer sha256:7bb20cf5ef67526cb843d264145241ce4dde09a337b5be1be42ba464de9a672d: mount callback failed on /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount802132737: archive/tar: invalid tar header: unknown',
        source: 'https://github.com/home-operations/containers/issues/1177',
        runtime: 'containerd',
        note: 'runtime text (crictl, k3s)',
      },
      {
        text: 'failed to register layer: ApplyLayer exit status 1 stdout:  stderr: archive/tar: invalid tar header',
        source: 'https://github.com/n8n-io/n8n/issues/24193',
        runtime: 'docker',
        note: 'runtime text (Docker CLI)',
      },
      {
        text: 'failed to unpack image on snapshotter overlayfs: mismatched image rootfs and manifest layers',
        source: 'https://github.com/searlsco/posse_party/issues/27',
        runtime: 'containerd',
        note: 'runtime text (Docker CLI with the containerd image store, quoting containerd’s unpacker)',
      },
    ],
  }),
];
