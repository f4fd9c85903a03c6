/**
 * The kubelet's node-side credential logic as `pulldoctor node` reproduces it: CredentialProviderConfig
 * decoding and validation with the kubelet's error texts, matchImages, the exec protocol's strict
 * response decoding, the node docker config search order, systemd command-line assembly, and
 * reads that never leave --root.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeProviderResponse,
  encodeProviderRequest,
  matchingImagePattern,
  nearMatchImages,
  providerKeyring,
} from '../src/credentials/index.js';
import { decodeProviderConfigFile, mergeProviderFiles } from '../src/credentials/provider-config.js';
import { validateProviders, validationErrorText } from '../src/credentials/provider-validate.js';
import { goFormatDuration, goParseDuration } from '../src/go/duration.js';
import { searchPaths } from '../src/node/docker-config.js';
import { NodeFs } from '../src/node/fs.js';
import { parseFlags } from '../src/node/kubelet.js';
import { expandCommand, parseEnvFile } from '../src/node/systemd.js';
import type { KubeletSetup } from '../src/node/types.js';

const F = '/etc/kubernetes/credential-providers.yaml';
const provider = (extra: string) =>
  `apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: ecr-credential-provider\n    matchImages: ["*.dkr.ecr.*.amazonaws.com"]\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n${extra}`;

function decodeOk(text: string) {
  const d = decodeProviderConfigFile(text, F);
  if (!d.ok) throw new Error(d.error);
  return d.providers;
}

describe('CredentialProviderConfig decoding (strict, as the kubelet codec)', () => {
  it('decodes YAML and JSON with a quoted duration', () => {
    const [p] = decodeOk(provider('    defaultCacheDuration: "12h"\n'));
    expect(p).toMatchObject({ name: 'ecr-credential-provider', defaultCacheDuration: '12h', defaultCacheDurationNs: 12 * 3600e9, file: F });
  });

  it('rejects unknown fields, case-sensitively, with the strict decoding error', () => {
    const d = decodeProviderConfigFile(provider('    defaultCacheDuration: "1m"\n    MatchImages: ["x"]\n    cacheDuration: 5m\n'), F);
    expect(d).toEqual({ ok: false, error: `error decoding config "${F}": strict decoding error: unknown field "providers[0].MatchImages", unknown field "providers[0].cacheDuration"` });
  });

  it('an unquoted number is not a duration; an unknown unit is a time error', () => {
    expect(decodeProviderConfigFile(provider('    defaultCacheDuration: 0\n'), F)).toEqual({ ok: false, error: `error decoding config "${F}": json: cannot unmarshal number into Go value of type string` });
    expect(decodeProviderConfigFile(provider('    defaultCacheDuration: 12hours\n'), F)).toEqual({ ok: false, error: `error decoding config "${F}": time: unknown unit "hours" in duration "12hours"` });
  });

  it('names a wrong kind or an unknown version as the scheme does', () => {
    expect(decodeProviderConfigFile('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n', F)).toEqual({ ok: false, error: `error decoding config "${F}": failed to decode "KubeletConfiguration" (wrong Kind)` });
    const d = decodeProviderConfigFile('apiVersion: kubelet.config.k8s.io/v2\nkind: CredentialProviderConfig\n', F);
    expect(!d.ok && d.error).toMatch(/no kind "CredentialProviderConfig" is registered for version "kubelet.config.k8s.io\/v2"/);
  });

  it('a type mismatch names the Go struct field', () => {
    const d = decodeProviderConfigFile('apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: x\n    matchImages: "*.io"\n', F);
    expect(d).toEqual({ ok: false, error: `error decoding config "${F}": json: cannot unmarshal string into Go struct field CredentialProvider.providers.matchImages of type []string` });
  });

  it('never puts an env value into an error', () => {
    const d = decodeProviderConfigFile(provider('    defaultCacheDuration: "1m"\n    env:\n      - name: AWS_SECRET_ACCESS_KEY\n        value: very-secret-value\n        valu: typo\n'), F);
    expect(!d.ok && d.error).toContain('unknown field "providers[0].env[0].valu"');
    expect(JSON.stringify(d)).not.toContain('very-secret-value');
  });

  it('duplicate provider names across files stop the merge', () => {
    const one = decodeOk(provider('    defaultCacheDuration: "1m"\n'));
    expect(mergeProviderFiles([{ providers: one }, { providers: one }]).error).toBe('duplicate provider name "ecr-credential-provider" found in configuration file(s)');
  });
});

describe('CredentialProviderConfig validation (the kubelet texts, unindexed paths, aggregated)', () => {
  it('one error bare, several in brackets', () => {
    const [p] = decodeOk(provider(''));
    expect(validationErrorText(validateProviders([p!]))).toBe('failed to validate credential provider config: providers.defaultCacheDuration: Required value');
    const bad = { ...p!, name: 'a/b', apiVersion: 'credentialprovider.kubelet.k8s.io/v2', matchImages: ['host:*'] };
    expect(validateProviders([bad])).toEqual([
      `providers.name: Invalid value: "a/b": provider name cannot contain '/'`,
      'providers.apiVersion: Unsupported value: "credentialprovider.kubelet.k8s.io/v2": supported values: "credentialprovider.kubelet.k8s.io/v1", "credentialprovider.kubelet.k8s.io/v1alpha1", "credentialprovider.kubelet.k8s.io/v1beta1"',
      'providers.matchImages: Invalid value: "host:*": match image is invalid: parse "https://host:*": invalid port ":*" after host',
      'providers.defaultCacheDuration: Required value',
    ]);
    expect(validateProviders([])).toEqual(['providers: Required value: at least 1 item in plugins is required']);
  });

  it('tokenAttributes: required fields, the v1-only rule and the feature gate', () => {
    const [p] = decodeOk(provider('    defaultCacheDuration: "1m"\n    tokenAttributes:\n      serviceAccountTokenAudience: sts.amazonaws.com\n'));
    const errs = validateProviders([{ ...p!, apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1' }], { serviceAccountTokenGate: false });
    expect(errs).toEqual([
      'providers.tokenAttributes: Forbidden: tokenAttributes is not supported when KubeletServiceAccountTokenForCredentialProviders feature gate is disabled',
      'providers.tokenAttributes.requireServiceAccount: Required value',
      'providers.tokenAttributes: Forbidden: tokenAttributes is only supported for credentialprovider.kubelet.k8s.io/v1 API version',
      'providers.tokenAttributes.cacheType: Required value: cacheType is required to be set when tokenAttributes is specified. Supported values are: ServiceAccount, Token',
    ]);
  });
});

describe('matchImages (URLsMatchStr on the entry as written)', () => {
  const ecr = { name: 'ecr', matchImages: ['*.dkr.ecr.*.amazonaws.com'] };
  it('matches by label count, not by suffix', () => {
    expect(matchingImagePattern(ecr, '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api')).toBe('*.dkr.ecr.*.amazonaws.com');
    expect(matchingImagePattern(ecr, '123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/shop/api')).toBeUndefined();
  });

  it('explains near misses: a scheme, a wildcard at the wrong depth, a port', () => {
    const misses = nearMatchImages([{ name: 'p', matchImages: ['https://r.example', '*.r.example', 'r.example:5000'] }], 'r.example/team/app');
    expect(misses.map((m) => [m.matchImage, m.reason, m.suggested])).toEqual([
      ['https://r.example', 'scheme', 'r.example'],
      ['r.example:5000', 'port', 'r.example'],
      ['*.r.example', 'wildcard-depth', 'r.example'],
    ]);
  });
});

describe('exec protocol', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o));
  const V1 = 'credentialprovider.kubelet.k8s.io/v1';
  const ok = { kind: 'CredentialProviderResponse', apiVersion: V1, cacheKeyType: 'Registry', auth: { 'r.example': { username: 'u', password: 'p-secret-123' } } };

  it('writes the request the kubelet writes', () => {
    expect(encodeProviderRequest(V1, 'r.example/app')).toBe('{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"r.example/app"}\n');
  });

  it('decodes a response and seals the password', () => {
    const d = decodeProviderResponse(enc(ok), V1);
    expect(d.ok).toBe(true);
    expect(JSON.stringify(d)).not.toContain('p-secret-123');
    if (d.ok) expect(d.response.auth[0]).toMatchObject({ key: 'r.example', normalizedKey: 'r.example', username: 'u', hasPassword: true });
  });

  it('rejects what the kubelet rejects, in its words', () => {
    expect(decodeProviderResponse(enc({ ...ok, apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1' }), V1)).toMatchObject({
      stage: 'api-version',
      kubeletError: 'apiVersion from credential plugin response did not match expected apiVersion:credentialprovider.kubelet.k8s.io/v1, actual apiVersion:credentialprovider.kubelet.k8s.io/v1beta1',
    });
    expect(decodeProviderResponse(enc({ ...ok, cacheKeyType: 'Repository' }), V1)).toMatchObject({ stage: 'cache-key-type', kubeletError: 'credential provider plugin did not return a valid cacheKeyType: "Repository"' });
    expect(decodeProviderResponse(enc({ ...ok, cacheKeyType: '' }), V1)).toMatchObject({ stage: 'cache-key-type' });
    const unknown = decodeProviderResponse(enc({ ...ok, auth: { 'r.example': { username: 'u', password: 'p-secret-123', token: 'x' } } }), V1);
    expect(unknown).toMatchObject({ stage: 'decode', kubeletError: 'error decoding credential provider plugin response from stdout', cause: 'strict decoding error: unknown field "auth.r.example.token"' });
    expect(JSON.stringify(unknown)).not.toContain('p-secret-123');
    expect(decodeProviderResponse(Buffer.from(''), V1)).toMatchObject({ stage: 'gvk', kubeletError: "error reading GVK from response: couldn't get version/kind; json parse error: unexpected end of JSON input" });
  });

  it('returned keys are matched against the image again, most specific first', () => {
    const d = decodeProviderResponse(enc({ ...ok, auth: { '*.example': { username: 'w', password: 'x1' }, 'other.io': { username: 'o', password: 'x2' }, 'r.example': { username: 'u', password: 'x3' } } }), V1);
    if (!d.ok) throw new Error('decode failed');
    const r = providerKeyring([{ provider: 'p', auth: d.response.auth }]).lookup('r.example/app');
    expect(r.credentials.map((c) => c.username)).toEqual(['u', 'w']);
  });
});

describe('Go durations', () => {
  it('parses and prints as Go does', () => {
    expect(goParseDuration('1h30m')).toEqual({ ok: true, ns: 5400e9 });
    expect(goParseDuration('1')).toEqual({ ok: false, error: 'time: missing unit in duration "1"' });
    expect(goFormatDuration(12 * 3600e9)).toBe('12h0m0s');
    expect(goFormatDuration(-60e9)).toBe('-1m0s');
  });
});

describe('kubelet command line', () => {
  it('reads pflag forms; the last one wins; underscores normalised', () => {
    const { flags, gates } = parseFlags(['--root-dir', '/data/kubelet', '--image_credential_provider_config=/a', '--image-credential-provider-config=/b', '--feature-gates=KubeletServiceAccountTokenForCredentialProviders=false,X=true']);
    expect(flags).toMatchObject({ 'root-dir': '/data/kubelet', 'image-credential-provider-config': '/b' });
    expect(gates).toEqual({ KubeletServiceAccountTokenForCredentialProviders: false, X: true });
  });

  it('systemd: $VAR splits into words, ${VAR} does not; env files with quotes', () => {
    const env = parseEnvFile('KUBELET_ARGS="--image-credential-provider-config=/etc/x.yaml --root-dir=/r"\n# comment\nEXTRA=\'a b\'\n');
    expect(expandCommand('/usr/bin/kubelet $KUBELET_ARGS --node-labels=${EXTRA}', env)).toEqual(['/usr/bin/kubelet', '--image-credential-provider-config=/etc/x.yaml', '--root-dir=/r', '--node-labels=a b']);
  });

  it('searches node docker config files in the kubelet order', () => {
    const k = { rootDir: '/var/lib/kubelet', cwd: '/', home: '/root' } as KubeletSetup;
    expect(searchPaths(k).map((c) => c.path)).toEqual([
      '/var/lib/kubelet/config.json',
      '/config.json',
      '/root/.docker/config.json',
      '/.docker/config.json',
      '/var/lib/kubelet/.dockercfg',
      '/.dockercfg',
      '/root/.dockercfg',
      '/.dockercfg',
    ]);
  });
});

describe('NodeFs: reads never leave --root', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'pulldoctor-nodefs-'));
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside-secret.txt');
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  writeFileSync(outside, 'outside');
  writeFileSync(path.join(root, 'etc', 'real.conf'), 'inside');
  symlinkSync('/etc/real.conf', path.join(root, 'etc', 'abs-link'));
  symlinkSync('../../../../../../outside-secret.txt', path.join(root, 'etc', 'dotdot-link'));
  symlinkSync(outside, path.join(root, 'etc', 'host-abs-link'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const fs = new NodeFs(root);

  it('resolves absolute links under --root, as the node would', () => {
    expect(fs.readText('/etc/abs-link')).toEqual({ ok: true, value: 'inside' });
  });

  it('stops .. at --root and re-roots absolute targets', () => {
    expect(fs.readText('/etc/dotdot-link').ok).toBe(false);
    expect(fs.readText('/etc/host-abs-link').ok).toBe(false);
    expect(fs.readText('/../../outside-secret.txt').ok).toBe(false);
  });
});
