/**
 * `pulldoctor node --probe` end to end: the BUILT CLI reads a fake node root (a kubelet in /proc,
 * its credential provider config, containerd's hosts.toml with the registry's CA), runs a REAL
 * credential provider plugin from it — a Node script speaking credentialprovider.kubelet.k8s.io/v1,
 * made executable here — exactly as the kubelet would, and probes the REAL local registry
 * (Debian's docker-registry, htpasswd + TLS) with the credentials the plugin returned. Once the
 * plugin's credentials work (ok + digest), once the registry rejects them. No password may be
 * printed. These tests never skip (without docker-registry they fail loudly).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/finding.js';
import { CLI, runBin } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';
import { pushTestImage, type PushedImage } from './registry/images.js';
import { makeCa, makeServerCert, tempDir, type Ca } from './registry/pki.js';
import { requireDockerRegistry, requireHtpasswd, requireOpenssl, startRegistry, writeHtpasswd, type RegistryInstance } from './registry/registry.js';

const NOW = '2026-11-28T12:00:00Z';
const REPO = 'team/app';
const PROVIDER = 'e2e-credential-provider';
const USER = 'node-puller';
const PASSWORD = `node-${randomBytes(12).toString('hex')}`;
const WRONG = `stale-${randomBytes(12).toString('hex')}`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The plugin: reads the request, logs it (and what it was given) for the test, answers with its env credentials. */
const PLUGIN = `#!/usr/bin/env node
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', () => {
  const req = JSON.parse(input);
  require('fs').writeFileSync(process.env.E2E_REQUEST_LOG, JSON.stringify({ raw: input, args: process.argv.slice(2), kubeletEnv: process.env.KUBELET_ONLY_VAR || null }));
  if (req.kind !== 'CredentialProviderRequest' || req.apiVersion !== 'credentialprovider.kubelet.k8s.io/v1') { process.stderr.write('unexpected request'); process.exit(2); }
  const host = req.image.split('/')[0];
  process.stdout.write(JSON.stringify({
    kind: 'CredentialProviderResponse',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    cacheKeyType: 'Registry',
    cacheDuration: '5m',
    auth: { [host]: { username: process.env.E2E_REGISTRY_USER, password: process.env.E2E_REGISTRY_PASSWORD } },
  }));
});
`;

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

let ca: Ca;
let registry: RegistryInstance;
let image: PushedImage;
let work: string;
const printed: string[] = [];

/** A fake node root whose provider config hands `password` to the plugin. */
function nodeRoot(name: string, password: string): { root: string; log: string } {
  const root = path.join(work, name);
  const log = path.join(work, `${name}-request.json`);
  const put = (p: string, text: string, mode = 0o644) => {
    const file = path.join(root, p);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { mode });
    return file;
  };
  const argv = [
    '/usr/bin/kubelet',
    '--config=/var/lib/kubelet/config.yaml',
    '--image-credential-provider-config=/etc/kubernetes/credential-providers',
    '--image-credential-provider-bin-dir=/usr/libexec/kubernetes/credential-providers',
    `--hostname-override=${name}`,
  ];
  put('/proc/2001/cmdline', argv.join('\0') + '\0');
  // The kubelet's environment: the plugin inherits it (PATH finds node for the shebang).
  put('/proc/2001/environ', [`PATH=${path.dirname(process.execPath)}:/usr/bin:/bin`, 'HOME=/root', 'KUBELET_ONLY_VAR=from-the-kubelet'].join('\0') + '\0');
  put('/var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///run/containerd/containerd.sock\n');
  // A config directory (kubelet ≥ 1.34): every *.yaml in order.
  put(
    '/etc/kubernetes/credential-providers/10-registry.yaml',
    [
      'apiVersion: kubelet.config.k8s.io/v1',
      'kind: CredentialProviderConfig',
      'providers:',
      `  - name: ${PROVIDER}`,
      `    matchImages: ["${registry.host}"]`,
      '    defaultCacheDuration: "1m"',
      '    apiVersion: credentialprovider.kubelet.k8s.io/v1',
      '    args: ["get-credentials"]',
      '    env:',
      `      - { name: E2E_REGISTRY_USER, value: "${USER}" }`,
      `      - { name: E2E_REGISTRY_PASSWORD, value: "${password}" }`,
      `      - { name: E2E_REQUEST_LOG, value: "${log}" }`,
      '',
    ].join('\n'),
  );
  const plugin = put(`/usr/libexec/kubernetes/credential-providers/${PROVIDER}`, PLUGIN);
  chmodSync(plugin, 0o755);
  put('/etc/containerd/config.toml', 'version = 3\n\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/containerd/certs.d"\n');
  // containerd trusts the registry through hosts.toml; the probe trusts what the node trusts.
  const nsDir = `/etc/containerd/certs.d/${registry.host.replace(':', '_')}_`;
  put(`${nsDir}/hosts.toml`, `server = "https://${registry.host}"\n\n[host."https://${registry.host}"]\n  capabilities = ["pull", "resolve"]\n  ca = "ca.crt"\n`);
  copyFileSync(ca.certFile, path.join(root, nsDir, 'ca.crt'));
  return { root, log };
}

async function nodeJson(root: string, ref: string): Promise<{ code: number | null; report: Report }> {
  const env = { NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: undefined };
  const r = await runBin(['node', '--root', root, '--probe', ref, '-o', 'json', '--now', NOW], { env });
  const text = await runBin(['node', '--root', root, '--probe', ref, '--now', NOW], { env });
  printed.push(r.stdout, r.stderr, text.stdout, text.stderr);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true);
  return { code: r.code, report };
}

beforeAll(async () => {
  requireDockerRegistry();
  requireHtpasswd();
  requireOpenssl();
  expect(existsSync(CLI), `${CLI} is missing: run npm run build first (npm test does)`).toBe(true);
  ca = makeCa('pulldoctor-node-e2e-ca');
  work = tempDir('node-e2e');
  const htpasswd = writeHtpasswd(ca.dir, { [USER]: PASSWORD });
  registry = await startRegistry({ tls: makeServerCert(ca, 'registry'), auth: { htpasswd: { realm: 'pulldoctor-node-e2e', path: htpasswd } } });
  image = await pushTestImage({ base: registry.url, ca: ca.certPem, authorization: () => `Basic ${b64(`${USER}:${PASSWORD}`)}` }, REPO);
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  if (ca) rmSync(ca.dir, { recursive: true, force: true });
});

describe('pulldoctor node --probe with a real credential provider plugin and a real registry', () => {
  it("runs the plugin as the kubelet does and pulls with its credentials: ok, with the image's digest", async () => {
    const { root, log } = nodeRoot('node-good', PASSWORD);
    const ref = `${registry.host}/${REPO}:${image.single.tag}`;
    const { code, report } = await nodeJson(root, ref);
    expect(report.findings.map((f) => f.rule)).toEqual([]);
    expect(code).toBe(0);

    // The request on stdin, byte for byte what the kubelet writes: kind, apiVersion, repoToPull.
    const seen = JSON.parse(readFileSync(log, 'utf8')) as { raw: string; args: string[]; kubeletEnv: string | null };
    expect(seen.raw).toBe(`{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"${registry.host}/${REPO}"}\n`);
    expect(seen.args).toEqual(['get-credentials']);
    expect(seen.kubeletEnv).toBe('from-the-kubelet'); // the kubelet's environment, with the config's env appended

    const img = report.node!.images[0]!;
    expect(img.lookup).toBe(`${registry.host}/${REPO}`);
    expect(img.plugins).toEqual([{ provider: PROVIDER, outcome: 'ok', detail: 'returned 1 key', cacheKeyType: 'Registry', cacheDuration: '5m', keys: [registry.host] }]);
    expect(img.credentials.find((c) => c.source === 'provider')).toMatchObject({ name: PROVIDER, registryKey: registry.host, username: USER, applies: true });
    expect(img.endpoints.map((e) => e.url)).toEqual([`https://${registry.host}/v2`, `https://${registry.host}/v2`]);
    expect(img.probe?.outcome).toBe('ok');
    expect(img.probe?.attempts).toHaveLength(1);
    expect(img.probe?.attempts[0]).toMatchObject({ credential: PROVIDER, username: USER, outcome: 'ok', digest: image.single.digest });
  });

  it('reports the registry refusing the credentials the plugin returns', async () => {
    const { root } = nodeRoot('node-stale', WRONG);
    const ref = `${registry.host}/${REPO}:${image.single.tag}`;
    const { code, report } = await nodeJson(root, ref);
    expect(code).toBe(1);
    const f = report.findings.find((x) => x.rule === 'node-provider-plugin-failing');
    expect(f?.message).toContain(`The registry refuses the credentials the provider "${PROVIDER}" returns on node node-stale for ${registry.host}/${REPO} (user "${USER}")`);
    expect(f?.node).toBe('node-stale');
    const img = report.node!.images[0]!;
    expect(img.plugins?.[0]?.outcome).toBe('ok');
    expect(img.probe?.outcome).toBe('credentials-rejected');
    expect(img.probe?.attempts[0]).toMatchObject({ credential: PROVIDER, username: USER, outcome: 'credentials-rejected', httpStatus: 401 });
  });

  it('never prints a password the plugin returned', () => {
    expect(printed.length).toBeGreaterThan(0);
    for (const out of printed) {
      for (const s of [PASSWORD, WRONG, b64(`${USER}:${PASSWORD}`), b64(`${USER}:${WRONG}`)]) expect(out.includes(s)).toBe(false);
    }
  });
});
