import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyPullError, parseImageEvent, type Cause, type PullFailure } from '../src/engine/classify.js';
import { NODE_POINTING, pointsAtNode, WORDINGS, wordingId } from '../src/runtime/wordings.js';
import { runtimeMessages, type RuntimeMessage } from './data/runtime-messages.js';

const CAUSES: readonly Cause[] = [
  'auth-rejected', 'access-denied', 'not-found', 'rate-limited', 'tls',
  'unreachable', 'platform', 'signature', 'short-name', 'node-error', 'unknown',
];

/** Texts with no runtime-specific wording: Go's net/http and x509 errors read the same everywhere. */
const RUNTIME_NOT_INFERABLE = new Set([
  'https://github.com/kubernetes/kubernetes/issues/58526',
  'https://github.com/dwmkerr/terraform-aws-openshift/issues/76',
]);

function message(source: string, match?: string | RegExp): RuntimeMessage {
  const found = runtimeMessages.find(
    (m) => m.source === source && (match === undefined || (typeof match === 'string' ? m.text.includes(match) : match.test(m.text))),
  );
  if (!found) throw new Error(`no test message from ${source}`);
  return found;
}

describe('real runtime messages', () => {
  it('has a real sample of every cause except unknown, from every runtime', () => {
    expect(runtimeMessages.length).toBeGreaterThanOrEqual(40);
    const causes = new Set(runtimeMessages.map((m) => m.expect));
    for (const c of CAUSES.filter((c) => c !== 'unknown')) expect(causes, c).toContain(c);
    for (const r of ['containerd', 'cri-o', 'docker'] as const) {
      expect(runtimeMessages.filter((m) => m.runtime === r).length, r).toBeGreaterThanOrEqual(10);
    }
    for (const m of runtimeMessages) expect(m.source).toMatch(/^https:\/\//);
  });

  it.each(runtimeMessages.map((m, i) => [`#${i} ${m.runtime} ${m.expect}`, m] as const))('%s', (_name, m) => {
    const r = classifyPullError(m.text);
    expect(r.cause, m.source).toBe(m.expect);
    expect(r.subKind, m.source).toBe(m.subKind);
    if (RUNTIME_NOT_INFERABLE.has(m.source)) expect(r.runtime).toBeUndefined();
    else expect(r.runtime, m.source).toBe(m.runtime);
    expect(r.parts.length).toBeGreaterThanOrEqual(1);
    expect(r.detail).not.toMatch(/^(?:rpc error: code =|Error response from daemon:|Failed to pull image|Back-off pulling image)/);
    if (r.cause === 'not-found') expect(r.notFound).toBeDefined();
    else expect(r.notFound).toBeUndefined();
    if (r.cause === 'access-denied' || r.cause === 'auth-rejected') expect(typeof r.ambiguousAuth).toBe('boolean');

    // An event message classifies the same as the runtime error it carries.
    if (m.text.startsWith('Failed to pull image ')) {
      const ev = parseImageEvent('Failed', m.text);
      expect(ev.kind).toBe('failed-pull');
      expect(ev.error).toBeDefined();
      expect(classifyPullError(ev.error ?? '').cause).toBe(m.expect);
    }
  });
});

describe('the table of runtime wordings', () => {
  it('has one entry per cause and sub-kind, each with real examples and its own words', () => {
    const ids = WORDINGS.map(wordingId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const w of WORDINGS) {
      expect(w.examples.length, wordingId(w)).toBeGreaterThan(0);
      expect(w.pattern ?? w.status, wordingId(w)).toBeDefined();
      if (w.pattern) expect(w.pattern.flags, wordingId(w)).not.toMatch(/[gy]/);
      for (const e of w.examples) expect(e.source, wordingId(w)).toMatch(/^https:\/\//);
    }
    // every cause but unknown has a wording
    expect(new Set(WORDINGS.map((w) => w.cause))).toEqual(new Set(CAUSES.filter((c) => c !== 'unknown')));
  });

  it.each(WORDINGS.flatMap((w) => w.examples.map((e) => [`${wordingId(w)} ${e.source}`, w.pointsAtNode, e.text] as const)))(
    'the collector reads nodes exactly for the wordings that point at them: %s',
    (_name, nodeWording, text) => {
      expect(pointsAtNode(text)).toBe(nodeWording);
    },
  );

  it('reads nodes for the wordings that automatic collection used to miss (issue 10)', () => {
    for (const source of [
      'https://codestudyblog.com/8ten84/80416123550.html', // failed to unpack image
      'https://github.com/searlsco/posse_party/issues/27', // failed to unpack image, alone
      'https://github.com/containerd/containerd/issues/5022', // input/output error
      'https://github.com/kubernetes-csi/csi-driver-smb/issues/541', // cannot be used on this platform
    ]) {
      expect(pointsAtNode(message(source).text), source).toBe(true);
    }
    // and for node signals that are not pull errors
    expect(pointsAtNode('Node gpu-node-4 status is now: NodeHasDiskPressure')).toBe(true);
    expect(NODE_POINTING.flags).not.toMatch(/[gy]/);
  });

  it('classifies the content-store and tar wordings that used to be unknown (issue 10)', () => {
    expect(classifyPullError(message('https://github.com/xunholy/k8s-gitops/issues/373').text)).toMatchObject({ cause: 'node-error', subKind: 'transfer', runtime: 'containerd', registry: 'docker.io' });
    expect(classifyPullError(message('https://github.com/containerd/containerd/issues/1893').text)).toMatchObject({ cause: 'node-error', subKind: 'transfer', registry: 'gcr.io' });
    expect(classifyPullError(message('https://github.com/kubernetes/registry.k8s.io/issues/333').text)).toMatchObject({ cause: 'node-error', subKind: 'transfer', runtime: 'cri-o' });
    expect(classifyPullError(message('https://github.com/n8n-io/n8n/issues/24193').text)).toMatchObject({ cause: 'node-error', subKind: 'extract' });
  });
});

describe('details of real messages', () => {
  const cases: Array<[string, string | undefined, Partial<PullFailure>]> = [
    ['https://github.com/kubernetes/kubernetes/issues/110675', undefined, { httpStatus: 401, registry: 'registry.app.xxx.net', ambiguousAuth: false }],
    ['https://github.com/dell/csi-baremetal/issues/391', undefined, { httpStatus: 429, registry: 'docker.io' }],
    ['https://github.com/kagent-dev/kagent/issues/2178', undefined, { notFound: 'ambiguous', registry: 'cr.kagent.dev', detail: 'cr.kagent.dev/kagent-dev/kagent/controller:0.9.11: not found' }],
    ['https://github.com/pfnet/image-pull-secrets-provisioner/issues/31', undefined, { ambiguousAuth: true, registry: 'docker.io' }],
    ['https://github.com/enix/kube-image-keeper/issues/60', undefined, { registry: 'localhost:7439' }],
    ['https://github.com/conjure-up/conjure-up/issues/1616', undefined, { registry: 'image-registry.canonical.com:5000' }],
    ['https://github.com/rossoctl/rossoctl/issues/116', undefined, { httpStatus: 403, ambiguousAuth: false, registry: 'ghcr.io' }],
    ['https://github.com/nloui/paperless-mcp/issues/10', undefined, { httpStatus: 403, ambiguousAuth: true }],
    ['https://github.com/open-edge-platform/geti_v2/issues/1668', undefined, { httpStatus: 401, ambiguousAuth: true }],
    ['https://github.com/Azure/AKS/issues/4459', undefined, { httpStatus: 401, ambiguousAuth: true, registry: 'myregistry.azurecr.io' }],
    ['https://github.com/komari-monitor/komari/issues/326', undefined, { notFound: 'manifest', registry: 'ghcr.io' }],
    ['https://github.com/containerd/containerd/issues/3291', undefined, { notFound: 'manifest', registry: 'docker.pkg.github.com' }],
    ['https://github.com/cri-o/cri-o/issues/4388', undefined, { notFound: 'manifest', registry: 'registry.mydomain' }],
    ['https://github.com/openbao/openbao-helm/issues/202', undefined, { notFound: 'repository', registry: 'registry.connect.redhat.com' }],
    ['https://github.com/okd-project/okd/issues/2194', undefined, { notFound: 'manifest', registry: 'quay.io' }],
    ['https://github.com/stolostron/deploy/issues/2', undefined, { ambiguousAuth: true, registry: 'quay.io' }],
    ['https://github.com/cri-o/cri-o/issues/2331', undefined, { ambiguousAuth: true, registry: 'docker.io' }],
    ['https://github.com/cri-o/cri-o/issues/2723', undefined, { registry: 'registry-1.docker.io' }],
    ['https://github.com/kubernetes-sigs/cri-tools/issues/1608', undefined, { registry: 'registry.example.internal' }],
    ['https://github.com/enix/kube-image-keeper/issues/529', undefined, { registry: 'localhost:7439' }],
    ['https://github.com/containers/image/issues/1953', undefined, { detail: 'Source image rejected: A signature was required, but no signature exists' }],
    ['https://github.com/kubernetes/website/issues/14257', undefined, { ambiguousAuth: true, registry: 'docker.io' }],
    ['https://github.com/octarinesec/octarine-operator/issues/15', 'unauthorized', { ambiguousAuth: false, detail: 'unauthorized: authentication required' }],
    ['https://github.com/ceph/ceph-csi/issues/2029', undefined, { registry: 'docker.io' }],
    ['https://github.com/GoogleCloudPlatform/berglas/issues/128', undefined, { registry: 'us-docker.pkg.dev', ambiguousAuth: false }],
    ['https://github.com/MinikubeAddon/watchpod/issues/4', undefined, { registry: 'gcr.io', ambiguousAuth: true }],
    ['https://github.com/kubernetes/community/issues/4003', undefined, { registry: 'XXXXXX.dkr.ecr.ap-southeast-1.amazonaws.com', ambiguousAuth: true }],
    ['https://github.com/kubernetes/minikube/issues/9161', undefined, { registry: 'nexus3:8083' }],
    ['https://github.com/everything2/everything2/issues/2562', undefined, { registry: '254865750963.dkr.ecr.us-west-2.amazonaws.com', ambiguousAuth: true }],
    ['https://swsnr.de/the-mysterious-disapperance-of-docker-images', undefined, { notFound: 'manifest', registry: 'registry.example.com' }],
    ['https://github.com/kubernetes/kubernetes/issues/58526', undefined, { registry: 'xyz:5500', detail: 'net/http: request canceled' }],
    ['https://github.com/kubernetes/kubernetes/issues/43924', undefined, { registry: '10.78.0.228:5000', detail: 'Get https://10.78.0.228:5000/v1/_ping: x509: certificate signed by unknown authority' }],
    ['https://github.com/UKHomeOffice/kb8or/issues/68', undefined, { notFound: 'manifest', registry: 'quay.io', detail: 'Tag v2.0.0-bob not found in repository quay.io/ukhomeofficedigital/s3registry' }],
    ['https://github.com/draios/sysdigcloud-kubernetes/issues/22', undefined, { httpStatus: 403, registry: 'quay.io' }],
    ['https://github.com/kubernetes/kubernetes/issues/6888', undefined, { registry: 'gcr.io' }],
    ['https://github.com/kubernetes-retired/dashboard/issues/10423', undefined, { detail: 'short-name "kong:3.9" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"' }],
    ['https://github.com/FusionAuth/charts/issues/118', undefined, { detail: 'short name mode is enforcing, but image name fusionauth/fusionauth-app:1.60.2 returns ambiguous list' }],
    ['https://github.com/rootless-containers/usernetes/pull/208', undefined, { detail: 'short-name "busybox:latest" did not resolve to an alias and no unqualified-search registries are defined in ""' }],
  ];
  it.each(cases)('%s %s', (source, contains, want) => {
    expect(classifyPullError(message(source, contains).text)).toMatchObject(want);
  });
});

describe('wrappers', () => {
  it('strips the gRPC status, with word and numeric codes', () => {
    expect(classifyPullError('rpc error: code = Unknown desc = manifest unknown: manifest unknown').detail).toBe('manifest unknown: manifest unknown');
    expect(classifyPullError('rpc error: code = 2 desc = net/http: request canceled').detail).toBe('net/http: request canceled');
  });

  it('uses the NotFound gRPC code when the text itself says nothing', () => {
    expect(classifyPullError('rpc error: code = NotFound desc = something odd')).toMatchObject({ cause: 'not-found', notFound: 'ambiguous' });
    expect(classifyPullError('rpc error: code = Unknown desc = something odd').cause).toBe('unknown');
  });

  it('strips the Docker daemon prefix and old Engine API JSON bodies', () => {
    const m = message('https://github.com/kubernetes/kubernetes/issues/43924');
    expect(classifyPullError(m.text).detail).toBe('Get https://10.78.0.228:5000/v1/_ping: x509: certificate signed by unknown authority');
  });

  it('strips containerd context that only repeats the image', () => {
    const r = classifyPullError(message('https://github.com/kubewarden/adm-controller/issues/1378').text);
    expect(r.detail).toBe('no match for platform in manifest: not found');
  });

  it('strips the CRI error prefixes, and falls back on RegistryUnavailable', () => {
    expect(classifyPullError('RegistryUnavailable: something odd')).toMatchObject({ cause: 'unreachable', detail: 'something odd' });
    expect(classifyPullError('SignatureValidationFailed: something odd')).toMatchObject({ cause: 'signature', detail: 'something odd' });
  });

  it('reads the kubelet rewrite of RegistryUnavailable (§9.2), old and new forms', () => {
    expect(classifyPullError('image pull failed for nginx:1.25 because the registry is unavailable.').cause).toBe('unreachable');
    expect(
      classifyPullError('image pull failed for nginx:1.25 because the registry is unavailable: pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'),
    ).toMatchObject({ cause: 'unreachable', registry: 'docker.io' }); // the image's registry, as the kubelet names it
  });

  it("does not read old dockershim's \"no credentials on this request\" as an auth failure", () => {
    const r = classifyPullError(message('https://github.com/UKHomeOffice/kb8or/issues/68').text);
    expect(r.cause).toBe('not-found');
    expect(r.ambiguousAuth).toBeUndefined();
  });

  it('keeps the image error of CRI-O "image or OCI artifact" and drops the artifact retry', () => {
    const r = classifyPullError(message('https://github.com/openbao/openbao-helm/issues/202').text);
    expect(r.detail).toBe('reading manifest 2.6.0 in registry.connect.redhat.com/openbao/openbao-ubi: name unknown: Image not found');
  });
});

describe('CRI-O short names', () => {
  it('reads the InspectFailed event and the ImageInspectError waiting message the same way', () => {
    const m = message('https://github.com/kubernetes-retired/dashboard/issues/10423');
    const ev = parseImageEvent('InspectFailed', m.text);
    expect(ev.kind).toBe('inspect-failed');
    expect(classifyPullError(ev.error ?? '')).toMatchObject({ cause: 'short-name', runtime: 'cri-o' });
    expect(classifyPullError(m.text)).toMatchObject({ cause: 'short-name', runtime: 'cri-o' });
  });

  it('goes before the generic causes: the quoted name may hold any word', () => {
    const text = 'rpc error: code = NotFound desc = short name mode is enforcing, but image name denied/not-found:429 returns ambiguous list';
    expect(classifyPullError(text)).toMatchObject({ cause: 'short-name', runtime: 'cri-o' });
    expect(classifyPullError(`Back-off pulling image "alpine": ErrImagePull: ${message('https://github.com/FusionAuth/charts/issues/118').text.replace(/^Failed to inspect image "": /, '')}`).cause).toBe('short-name');
  });

  it('does not read a registry search that found nothing as a short-name failure', () => {
    expect(classifyPullError('rpc error: code = Unknown desc = reading manifest 1.0 in docker.io/library/nope: manifest unknown').cause).toBe('not-found');
  });
});

describe('aggregates', () => {
  // Two real containerd messages, one with brackets inside, one with ", " inside.
  const harbor401 = message('https://github.com/kubernetes/kubernetes/issues/110675').text.replace(/^Failed to pull image "[^"]*": /, '');
  const x509Names = message('https://github.com/STRRL/cloudflare-tunnel-ingress-controller/issues/202').text.replace(/^Failed to pull image "[^"]*": /, '');

  it('splits on message boundaries only, not on commas or brackets inside messages', () => {
    expect(harbor401).toContain('[manifests ');
    expect(x509Names).toContain(', not cr.strrl.dev');
    const r = classifyPullError(`[${x509Names}, ${harbor401}]`);
    expect(r.parts).toEqual([x509Names, harbor401]);
    expect(r.cause).toBe('auth-rejected'); // a credential was refused; the other attempt never reached the registry
    expect(r.httpStatus).toBe(401);
  });

  it('keeps parts whose text contains ", " (ACR "authentication required, visit …")', () => {
    const r = classifyPullError(message('https://github.com/microsoft/mindaro/issues/45').text);
    expect(r.parts).toHaveLength(2);
    expect(r.parts[0]).toMatch(/unauthorized: Application not registered with AAD\.$/);
    expect(r.parts[1]).toMatch(/^rpc error: .*authentication required, visit https:\/\/aka\.ms\/acr\/authorization for more information\.$/);
  });

  it('keeps identical parts from older kubelets', () => {
    const r = classifyPullError(message('https://github.com/dotnet/docs/issues/13401').text);
    expect(r.parts).toHaveLength(2);
    expect(r.parts[0]).toBe(r.parts[1]);
  });

  it('prefers the attempt that got furthest: not-found over auth-rejected', () => {
    const r = classifyPullError(message('https://github.com/kubeflow/examples/issues/654').text);
    expect(r).toMatchObject({ cause: 'not-found', notFound: 'manifest', registry: 'acrname.azurecr.io' });
    expect(r.parts.map((p) => classifyPullError(p).cause)).toEqual(['not-found', 'auth-rejected']);
  });

  it('prefers auth-rejected over a server error or network failure', () => {
    const r = classifyPullError(message('https://github.com/Azure/acr/issues/231').text);
    expect(r.parts.map((p) => classifyPullError(p).cause)).toEqual(['unreachable', 'auth-rejected']);
    expect(r.cause).toBe('auth-rejected');
  });

  it('follows the documented order whatever the part order', () => {
    const denied = message('https://github.com/rossoctl/rossoctl/issues/116').text.replace(/^Failed to pull image "[^"]*": /, '');
    expect(classifyPullError(`[${harbor401}, ${denied}]`).cause).toBe('access-denied');
    expect(classifyPullError(`[${denied}, ${harbor401}]`).cause).toBe('access-denied');
    expect(classifyPullError(`[${denied}, ${harbor401}]`).httpStatus).toBe(403);
  });

  it('is decided by the attempt that carried a credential, not the anonymous one after it (issue 11)', () => {
    const m = message('https://github.com/Azure/AKS/issues/4593');
    const r = classifyPullError(m.text);
    expect(r).toMatchObject({ cause: 'auth-rejected', subKind: 'token-refused', httpStatus: 401, runtime: 'containerd', registry: 'myacr.azurecr.io', decidedBy: 0 });
    expect(r.attempts).toEqual([
      { cause: 'auth-rejected', subKind: 'token-refused', credentials: 'sent', httpStatus: 401 },
      { cause: 'access-denied', subKind: 'anonymous-token-refused', credentials: 'none', httpStatus: 401 },
    ]);
    expect(r.detail).toMatch(/failed to fetch oauth token: .* 401 Unauthorized$/);
    // whatever the order of the attempts
    const [first, second] = r.parts;
    const swapped = classifyPullError(`[${second}, ${first}]`);
    expect(swapped).toMatchObject({ cause: 'auth-rejected', subKind: 'token-refused', decidedBy: 1 });
    // the parts alone read as before
    expect(r.parts.map((p) => classifyPullError(p).cause)).toEqual(['auth-rejected', 'access-denied']);
  });

  it('keeps the usual order when no attempt is known to be anonymous, or all are', () => {
    const anonymous = message('https://github.com/open-edge-platform/geti_v2/issues/1668').text.replace(/^Failed to pull image "[^"]*": /, '');
    const r = classifyPullError(`[${anonymous}, ${anonymous}]`);
    expect(r).toMatchObject({ cause: 'access-denied', decidedBy: 0 });
    expect(r.attempts?.map((a) => a.credentials)).toEqual(['none', 'none']);
    const notFound = classifyPullError(message('https://github.com/kubeflow/examples/issues/654').text);
    expect(notFound).toMatchObject({ cause: 'not-found', decidedBy: 0 });
    expect(notFound.attempts?.map((a) => a.credentials)).toEqual(['unknown', 'unknown']);
  });

  it('an anonymous attempt gives way to an attempt that may have carried a credential', () => {
    // The anonymous refusal only says the registry wants a credential; the other attempt (words
    // that do not say whether it carried one) tells what happened to the credential.
    const anonymous = message('https://github.com/Azure/AKS/issues/4459').text.replace(/^Failed to pull image "[^"]*": /, '');
    const timeout = message('https://github.com/kubernetes/kubeadm/issues/2936').text;
    expect(classifyPullError(`[${timeout}, ${anonymous}]`)).toMatchObject({ cause: 'unreachable', subKind: 'timeout', decidedBy: 0 });
  });

  it('reports attempts only for aggregates', () => {
    const r = classifyPullError(message('https://github.com/Azure/AKS/issues/4459').text);
    expect(r.attempts).toBeUndefined();
    expect(r.decidedBy).toBeUndefined();
  });

  it('treats a bracketed text without message boundaries as one part', () => {
    expect(classifyPullError('[manifest unknown: manifest unknown]').parts).toEqual(['manifest unknown: manifest unknown']);
    expect(classifyPullError('[]').parts).toEqual(['']);
  });
});

describe('back-off status text (§9.3)', () => {
  it('classifies the previous error appended by newer kubelets', () => {
    const r = classifyPullError(message('https://github.com/sympozium-ai/sympozium/issues/36').text);
    expect(r).toMatchObject({ cause: 'not-found', runtime: 'containerd', registry: 'ghcr.io', notFound: 'ambiguous' });
    expect(r.detail).toBe('ghcr.io/alexsjones/sympozium/node-probe:v0.1.8: not found');
  });

  it('reads SignatureValidationFailed with the kubelet rewrite inside', () => {
    const r = classifyPullError(message('https://github.com/kubernetes/kubernetes/pull/127918', 'Back-off').text);
    expect(r).toMatchObject({ cause: 'signature', registry: 'quay.io' });
    expect(r.detail).toBe('Source image rejected: A signature was required, but no signature exists');
  });

  it('splits an aggregated previous error', () => {
    const notFound = message('https://github.com/kagent-dev/kagent/issues/2178').text.replace(/^Failed to pull image "[^"]*": /, '');
    const rejected = message('https://github.com/kubernetes/kubernetes/issues/110675').text.replace(/^Failed to pull image "[^"]*": /, '');
    const r = classifyPullError(`Back-off pulling image "cr.kagent.dev/kagent-dev/kagent/controller:0.9.11": ErrImagePull: [${rejected}, ${notFound}]`);
    expect(r.parts).toEqual([rejected, notFound]);
    expect(r).toMatchObject({ cause: 'not-found', registry: 'cr.kagent.dev' });
  });

  it('has nothing to classify in the plain form, but still knows the registry', () => {
    expect(classifyPullError('Back-off pulling image "quay.io/app/web:1"')).toMatchObject({ cause: 'unknown', registry: 'quay.io', detail: '' });
  });
});

describe('parseImageEvent: every §10 format', () => {
  it.each<[string, string | undefined, string, Record<string, unknown>]>([
    ['secrets missing', 'FailedToRetrieveImagePullSecret',
      'Unable to retrieve some image pull secrets (regcred, other); attempting to pull the image may not succeed.',
      { kind: 'secrets-missing', missingSecrets: ['regcred', 'other'] }],
    ['one secret missing', 'FailedToRetrieveImagePullSecret',
      'Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.',
      { kind: 'secrets-missing', missingSecrets: ['regcred'] }],
    ['pulling', 'Pulling', 'Pulling image "nginx:1.25"', { kind: 'pulling', image: 'nginx:1.25' }],
    ['pulling (old lower case)', 'Pulling', 'pulling image "gcr.io/google_containers/spark:1.5.2_v1"', { kind: 'pulling', image: 'gcr.io/google_containers/spark:1.5.2_v1' }],
    ['pulled', 'Pulled',
      'Successfully pulled image "nginx:1.25" in 1.466s (3m53.352s including waiting). Image size: 73123456 bytes.',
      { kind: 'pulled', image: 'nginx:1.25' }],
    ['present, gate off', 'Pulled', 'Container image "nginx:1.25" already present on machine', { kind: 'pulled', image: 'nginx:1.25' }],
    ['present and verified', 'Pulled',
      'Container image "nginx:1.25" already present on machine and can be accessed by the pod', { kind: 'pulled', image: 'nginx:1.25' }],
    ['pull failed', 'Failed',
      'Failed to pull image "nginx:nope": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found',
      { kind: 'failed-pull', image: 'nginx:nope', error: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found' }],
    ['Error: ErrImagePull', 'Failed', 'Error: ErrImagePull', { kind: 'container-error', waitingReason: 'ErrImagePull' }],
    ['Error: RegistryUnavailable', 'Failed', 'Error: RegistryUnavailable', { kind: 'container-error', waitingReason: 'RegistryUnavailable' }],
    ['Error: SignatureValidationFailed', 'Failed', 'Error: SignatureValidationFailed', { kind: 'container-error', waitingReason: 'SignatureValidationFailed' }],
    ['back-off', 'BackOff', 'Back-off pulling image "nginx:nope"', { kind: 'backoff', image: 'nginx:nope' }],
    ['Error: ImagePullBackOff', 'Failed', 'Error: ImagePullBackOff', { kind: 'container-error', waitingReason: 'ImagePullBackOff' }],
    ['never pull', 'ErrImageNeverPull',
      'Container image "app:dev" is not present with pull policy of Never', { kind: 'never-pull', image: 'app:dev', waitingReason: 'ErrImageNeverPull' }],
    ['Error: ErrImageNeverPull', 'Failed', 'Error: ErrImageNeverPull', { kind: 'container-error', waitingReason: 'ErrImageNeverPull' }],
    ['unparsable image', 'InspectFailed',
      'Failed to apply default image tag "Nginx:1.25": couldn\'t parse image name "Nginx:1.25": invalid reference format: repository name (library/Nginx) must be lowercase',
      { kind: 'inspect-failed', image: 'Nginx:1.25', error: 'couldn\'t parse image name "Nginx:1.25": invalid reference format: repository name (library/Nginx) must be lowercase' }],
    ['Error: InvalidImageName', 'Failed', 'Error: InvalidImageName', { kind: 'container-error', waitingReason: 'InvalidImageName' }],
    ['inspect error, current (empty ref)', 'InspectFailed',
      'Failed to inspect image "": rpc error: code = Unknown desc = context deadline exceeded',
      { kind: 'inspect-failed', image: '', error: 'rpc error: code = Unknown desc = context deadline exceeded' }],
    ['inspect error, older', 'InspectFailed',
      'Failed to inspect image "nginx:1.25": rpc error: code = Unknown desc = context deadline exceeded',
      { kind: 'inspect-failed', image: 'nginx:1.25' }],
    ['Error: ImageInspectError', 'Failed', 'Error: ImageInspectError', { kind: 'container-error', waitingReason: 'ImageInspectError' }],
    ['malformed pull secret', 'Failed', 'Error: illegal base64 data at input byte 4',
      { kind: 'container-error', error: 'illegal base64 data at input byte 4' }],
    ['fieldPath prefix of newer kubectl describe', 'BackOff',
      'spec.containers{app}: Back-off pulling image "nginx:nope"', { kind: 'backoff', image: 'nginx:nope' }],
    ['init container fieldPath', 'Pulling',
      'spec.initContainers{init-db}: Pulling image "busybox"', { kind: 'pulling', image: 'busybox' }],
    ['unrelated event', 'Scheduled', 'Successfully assigned default/web to node-1', { kind: 'other' }],
  ])('%s', (_name, reason, msg, want) => {
    const ev = parseImageEvent(reason, msg);
    expect(ev).toMatchObject(want);
    if (!('waitingReason' in want)) expect(ev.waitingReason).toBeUndefined();
  });

  it('reads an empty secrets list', () => {
    expect(parseImageEvent('FailedToRetrieveImagePullSecret', 'Unable to retrieve some image pull secrets (); attempting to pull the image may not succeed.'))
      .toEqual({ kind: 'secrets-missing', missingSecrets: [] });
  });

  it('does not take "Back-off restarting failed container" for an image back-off', () => {
    expect(parseImageEvent('BackOff', 'Back-off restarting failed container app in pod web_default(1234)').kind).toBe('other');
  });
});

describe('parseImageEvent: container waiting state', () => {
  it('ErrImagePull: the message is the runtime error itself', () => {
    const err = message('https://github.com/kagent-dev/kagent/issues/2178').text.replace(/^Failed to pull image "[^"]*": /, '');
    expect(parseImageEvent('ErrImagePull', err)).toEqual({ kind: 'failed-pull', error: err, waitingReason: 'ErrImagePull' });
  });

  it('ImagePullBackOff with the previous reason and error (§9.3)', () => {
    const m = message('https://github.com/sympozium-ai/sympozium/issues/36').text;
    const ev = parseImageEvent('ImagePullBackOff', m);
    expect(ev).toMatchObject({ kind: 'backoff', image: 'ghcr.io/alexsjones/sympozium/node-probe:v0.1.8', waitingReason: 'ErrImagePull' });
    expect(ev.error).toMatch(/^rpc error: code = NotFound desc = /);
    expect(classifyPullError(ev.error ?? '').cause).toBe('not-found');
  });

  it('ImagePullBackOff without a previous error', () => {
    expect(parseImageEvent('ImagePullBackOff', 'Back-off pulling image "nginx:nope"')).toEqual({ kind: 'backoff', image: 'nginx:nope' });
  });

  it('RegistryUnavailable and SignatureValidationFailed rewrites (§9.2)', () => {
    expect(parseImageEvent('RegistryUnavailable', 'image pull failed for nginx:1.25 because the registry is unavailable.'))
      .toMatchObject({ kind: 'failed-pull', image: 'nginx:1.25', waitingReason: 'RegistryUnavailable' });
    const sig = message('https://github.com/kubernetes/kubernetes/pull/127918', /^image pull failed for /).text;
    const ev = parseImageEvent('SignatureValidationFailed', sig);
    expect(ev).toMatchObject({ kind: 'failed-pull', image: 'quay.io/crio/unsigned:latest', waitingReason: 'SignatureValidationFailed' });
    expect(classifyPullError(ev.error ?? '').cause).toBe('signature');
  });

  it('ErrImageNeverPull and InvalidImageName carry the event text', () => {
    expect(parseImageEvent('ErrImageNeverPull', 'Container image "app:dev" is not present with pull policy of Never'))
      .toEqual({ kind: 'never-pull', image: 'app:dev', waitingReason: 'ErrImageNeverPull' });
    expect(parseImageEvent('InvalidImageName', 'Failed to apply default image tag "a b": couldn\'t parse image name "a b": invalid reference format'))
      .toMatchObject({ kind: 'inspect-failed', image: 'a b', waitingReason: 'InvalidImageName' });
  });

  it('handles missing reason and message', () => {
    expect(parseImageEvent(undefined, undefined)).toEqual({ kind: 'other' });
    expect(parseImageEvent('ErrImagePull', undefined)).toEqual({ kind: 'other' });
  });
});

describe('Go %q images', () => {
  it.each<[string, string]>([
    [String.raw`"my\"img\\name:1"`, 'my"img\\name:1'],
    [String.raw`"a\tb\nc\rd"`, 'a\tb\nc\rd'],
    [String.raw`"\a\b\f\v"`, '\x07\b\f\v'],
    [String.raw`"\x41\x42"`, 'AB'],
    [String.raw`"caf\303\251"`, 'café'],
    [String.raw`"caf\xc3\xa9"`, 'café'],
    [String.raw`"caf\u00e9"`, 'café'],
    [String.raw`"smile\U0001f600"`, 'smile😀'],
    [String.raw`"bad\xff"`, 'bad\ufffd'],
    ['"café:1"', 'café:1'],
    [String.raw`"keep\q"`, 'keep\\q'],
    [String.raw`"cut\u00"`, 'cut\\u00'],
  ])('%s', (quoted, image) => {
    expect(parseImageEvent('Pulling', `Pulling image ${quoted}`)).toEqual({ kind: 'pulling', image });
    expect(parseImageEvent('Failed', `Failed to pull image ${quoted}: boom`)).toEqual({ kind: 'failed-pull', image, error: 'boom' });
  });

  it('does not end the image at an escaped quote', () => {
    const ev = parseImageEvent('Failed', String.raw`Failed to pull image "x\": y": rpc error: code = Unknown desc = z`);
    expect(ev).toEqual({ kind: 'failed-pull', image: 'x": y', error: 'rpc error: code = Unknown desc = z' });
  });
});

describe('robustness', () => {
  const fragments = fc.constantFrom(
    '[', ']', ', ', '"', '\\', ': ', 'rpc error: code = Unknown desc = ', 'rpc error: code = NotFound desc = ',
    'Failed to pull image "', 'Back-off pulling image "', 'ErrImagePull: ', 'Error response from daemon: ',
    'failed to pull and unpack image "', 'failed to resolve reference "', 'reading manifest x in ', 'docker://',
    'https://', '/v2/', '401 Unauthorized', '403 Forbidden', 'not found', 'manifest unknown', 'toomanyrequests',
    'x509: ', 'dial tcp', 'image pull failed for ', ' because the registry is unavailable', '{"message":"', '"}',
    'this may be because there are no credentials on this request.  details: (', ')', '\n', '\\x', '\\u12', '\\U0001',
    'unable to pull image or OCI artifact: pull image err: ', '; artifact err: ', 'Unable to retrieve some image pull secrets (',
    'spec.containers{', '}: ',
  );
  const messy = fc.array(fc.oneof(fragments, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 40 }).map((xs) => xs.join(''));

  it('classifyPullError never throws and always returns a well-formed result', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), messy), (s) => {
        const r = classifyPullError(s);
        expect(CAUSES).toContain(r.cause);
        expect(typeof r.detail).toBe('string');
        expect(r.parts.length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseImageEvent never throws', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), fc.option(fc.oneof(fc.string({ unit: 'binary' }), messy), { nil: undefined }), (reason, msg) => {
        const ev = parseImageEvent(reason, msg);
        expect(typeof ev.kind).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('tolerates non-string input at runtime', () => {
    expect(classifyPullError(undefined as unknown as string)).toEqual({ cause: 'unknown', detail: '', parts: [''] });
    expect(parseImageEvent(42 as unknown as string, null as unknown as string)).toEqual({ kind: 'other' });
  });

  it('stays fast on long adversarial input', () => {
    const long = `[${'rpc error: code = Unknown desc = a, '.repeat(2000)}x]`; // ", x" is no message start
    const start = performance.now();
    expect(classifyPullError(long).parts.length).toBe(2000);
    expect(classifyPullError(`Failed to pull image "${'\\"'.repeat(5000)}`).cause).toBe('unknown');
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
