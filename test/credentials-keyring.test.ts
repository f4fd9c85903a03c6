import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePullSecret } from '../src/credentials/dockerconfig.js';
import { goFilepathMatch } from '../src/go/filepath.js';
import { goParseURL, splitHostPort } from '../src/go/url.js';
import { isDefaultRegistryMatch, Keyring, toCredentialView, type LookupResult } from '../src/credentials/keyring.js';
import { normalizeKey, urlsMatch } from '../src/credentials/keys.js';
import type { ParsedPullSecret } from '../src/credentials/pull-secret.js';
import { reveal, sealSecretData } from '../src/credentials/vault.js';
import type { SecretObject } from '../src/model/kube.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function secret(name: string, type: string, dataKey: string, body: unknown): SecretObject {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  return { metadata: { name, namespace: 'default' }, type, ...sealSecretData({ [dataKey]: b64(json) }) };
}
/** A legacy .dockercfg secret (the kubelet tests' readDockerConfigFileFromBytes format). */
const cfg = (body: unknown, name = 's'): ParsedPullSecret => parsePullSecret(secret(name, 'kubernetes.io/dockercfg', '.dockercfg', body));
const cfgJson = (auths: unknown, name = 's'): ParsedPullSecret =>
  parsePullSecret(secret(name, 'kubernetes.io/dockerconfigjson', '.dockerconfigjson', { auths }));
const up = (username: string, password: string) => ({ username, password });
const revealed = (r: LookupResult) => r.credentials.map((c) => reveal(c.credential));

describe('§4 normalizeKey (BasicDockerKeyring.Add)', () => {
  it.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['index.docker.io/v1', 'index.docker.io/v1'],
    ['http://r.io/v2/', 'r.io'],
    ['r.io/', 'r.io'],
    ['r.io/team/', 'r.io/team/'],
    ['https://r.io:5000/v2/team', 'r.io:5000/team'],
    ['https://r.io/v3/', 'r.io/v3/'],
    ['https://r.io/v1/v2/', 'r.io/v2/'],
    ['R.Example.COM', 'R.Example.COM'],
    ['r.io?x=1#frag', 'r.io'],
    ['r.io/team?x', 'r.io/team'],
    ['user:pw@r.io/a', 'r.io/a'],
    ['HTTPS://r.io', 'HTTPS://r.io'],
    ['oci://r.io/x', 'oci://r.io/x'],
    ['[::1]:5000/v2/', '[::1]:5000'],
    ['r.io/a%20b', 'r.io/a b'],
    ['r%C3%A9.io', 'ré.io'],
    ['*.example.com', '*.example.com'],
    ['r?.io', 'r'],
    ['r.io:', 'r.io:'],
    ['', ''],
  ])('%j → %j', (raw, key) => {
    expect(normalizeKey(raw)).toEqual({ key });
  });

  it.each([
    ['my registry.io', 'parse "https://my registry.io": invalid character " " in host name'],
    ['r.io:*', 'parse "https://r.io:*": invalid port ":*" after host'],
    ['r.io:50a0/x', 'parse "https://r.io:50a0/x": invalid port ":50a0" after host'],
    ['r.io\t', 'parse "https://r.io\\t": net/url: invalid control character in URL'],
    ['r.io/%zz', 'parse "https://r.io/%zz": invalid URL escape "%zz"'],
    ['r.io/%4', 'parse "https://r.io/%4": invalid URL escape "%4"'],
    ['r%41.io', 'parse "https://r%41.io": invalid URL escape "%41"'],
    ['r{1}.io', 'parse "https://r{1}.io": invalid character "{" in host name'],
    ['[::1', `parse "https://[::1": missing ']' in host`],
    ['[::1]x', 'parse "https://[::1]x": invalid port "x" after host'],
    ['us er@r.io', 'parse "https://us er@r.io": net/url: invalid userinfo'],
    ['r.io#%zz', 'parse "https://r.io#%zz": invalid URL escape "%zz"'],
  ])('%j is skipped (Go url.Parse: %s)', (raw, goError) => {
    const r = normalizeKey(raw);
    expect(r.key).toBeNull();
    expect(r.key === null && r.reason).toContain(goError);
  });

  it('SplitHostPort as in Go', () => {
    expect(splitHostPort('r.io:5000')).toEqual({ host: 'r.io', port: '5000' });
    expect(splitHostPort('r.io')).toBeNull();
    expect(splitHostPort('[::1]:5000')).toEqual({ host: '::1', port: '5000' });
    expect(splitHostPort('[::1]')).toBeNull();
    expect(splitHostPort('a:b:c')).toBeNull();
    expect(splitHostPort('r.io:')).toEqual({ host: 'r.io', port: '' });
  });

  it('goParseURL keeps the decoded host and path', () => {
    expect(goParseURL('https://u@r.io:80/a%2Fb?q#f')).toEqual({ ok: true, url: { host: 'r.io:80', path: '/a/b' } });
  });
});

describe('§7 urlsMatch — keyring_test.go TestURLsMatch', () => {
  it.each([
    ['*.kubernetes.io', 'prefix.kubernetes.io', true],
    ['prefix.*.io', 'prefix.kubernetes.io', true],
    ['prefix.kubernetes.*', 'prefix.kubernetes.io', true],
    ['*-good.kubernetes.io', 'prefix-good.kubernetes.io', true],
    ['*.kubernetes.io/blah', 'prefix.kubernetes.io/blah', true],
    ['prefix.*.io/foo', 'prefix.kubernetes.io/foo/bar', true],
    ['*.kubernetes.io:1111/blah', 'prefix.kubernetes.io:1111/blah', true],
    ['prefix.*.io:1111/foo', 'prefix.kubernetes.io:1111/foo/bar', true],
    ['*.kubernetes.io', 'kubernetes.io', false],
    ['*.*.kubernetes.io', 'prefix.kubernetes.io', false],
    ['*.*.kubernetes.io', 'kubernetes.io', false],
    ['kubernetes.io', 'kubernetes.com', false],
    ['k*.io', 'quay.io', false],
    ['*.kubernetes.io:1234/blah', 'prefix.kubernetes.io:1111/blah', false],
    ['prefix.*.io/foo', 'prefix.kubernetes.io:1111/foo/bar', false],
  ])('%s vs %s → %s', (glob, target, want) => {
    expect(urlsMatch(glob, target)).toBe(want);
  });

  it.each([
    // raw string path prefix, not segment prefix
    ['r.io/team', 'r.io/teamwork/app', true],
    ['r.io/team/', 'r.io/team', false],
    ['r.io/team/', 'r.io/team/app', true],
    // no default-port equivalence; ports never globbed
    ['r.io', 'r.io:443/app', false],
    ['r.io:443', 'r.io/app', false],
    ['r.io:5000', 'r.io:5000/app', true],
    // case-sensitive labels
    ['R.io', 'r.io/app', false],
    // ? and [...] classes, negation, ranges, escapes, malformed patterns
    // `?` starts the URL query for url.Parse, so it can never act as a glob in a key
    ['r?.io', 'ra.io/x', false],
    ['r?.io', 'r', true],
    // a host starting with `[` is parsed as an IPv6 literal, so a leading class is unparsable
    ['[a-c]r.io', 'br.io/x', false],
    ['r[a-c].io', 'rb.io/x', true],
    ['r[a-c].io', 'rd.io/x', false],
    // `^` is not a valid host character, so a negated class makes the key unparsable
    ['r[^a-c].io', 'rd.io/x', false],
    ['r[!a].io', 'r!.io/x', true],
    ['r[!a].io', 'rb.io/x', false],
    // a backslash is not a valid host character for url.Parse, so escaped globs never match
    ['\\*.io', '*.io/x', false],
    ['[a-.io', 'a.io/x', false],
    ['[]a].io', 'a.io/x', false],
    // * never crosses a label; path globs are literal
    ['*.io', 'a.b.io/x', false],
    ['r.io/*', 'r.io/app', false],
    ['r.io/*', 'r.io/*x', true],
    // a key with a tag or digest never matches a repository name
    ['r.io/app:1.0', 'r.io/app', false],
    // IPv6
    ['[::1]:5000', '[::1]:5000/a', true],
    ['[::1]:5000', '[::2]:5000/a', false],
    // unparsable either side → no match
    ['r.io:*', 'r.io/a', false],
    ['r.io', 'r .io/a', false],
    ['', 'docker.io/library/nginx', false],
  ])('%s vs %s → %s', (glob, target, want) => {
    expect(urlsMatch(glob, target)).toBe(want);
  });

  it('filepath.Match details', () => {
    expect(goFilepathMatch('a*b*c', 'axxbyyc')).toEqual({ matched: true, badPattern: false });
    expect(goFilepathMatch('a*', 'a/b')).toEqual({ matched: false, badPattern: false });
    expect(goFilepathMatch('[', 'a')).toEqual({ matched: false, badPattern: true });
    expect(goFilepathMatch('a\\', 'a')).toEqual({ matched: false, badPattern: true });
    expect(goFilepathMatch('x[', 'a')).toEqual({ matched: false, badPattern: true });
    expect(goFilepathMatch('?', 'é')).toEqual({ matched: true, badPattern: false });
    expect(goFilepathMatch('[é-ê]', 'ê')).toEqual({ matched: true, badPattern: false });
    // Literal patterns (most host parts) compare as strings; bytes decide where UTF-8 merges two.
    expect(goFilepathMatch('registry', 'registry')).toEqual({ matched: true, badPattern: false });
    expect(goFilepathMatch('registry', 'Registry')).toEqual({ matched: false, badPattern: false });
    expect(goFilepathMatch('', '')).toEqual({ matched: true, badPattern: false });
    expect(goFilepathMatch('a', '')).toEqual({ matched: false, badPattern: false });
    expect(goFilepathMatch('bücher', 'bücher')).toEqual({ matched: true, badPattern: false });
    // Two different lone surrogates are both U+FFFD in UTF-8: Go sees the same bytes.
    expect(goFilepathMatch('a\uD800', 'a\uDC00')).toEqual({ matched: true, badPattern: false });
  });

  it('isDefaultRegistryMatch (used by the fallback)', () => {
    for (const s of ['foo/bar', 'docker.io/foo/bar', 'index.docker.io/foo/bar', 'foo']) expect(isDefaultRegistryMatch(s)).toBe(true);
    for (const s of ['', 'registry.tld/foo/bar', 'registry:5000/foo/bar', 'myhostdocker.io/foo/bar', '/foo']) expect(isDefaultRegistryMatch(s)).toBe(false);
  });
});

const foo = { email: 'foo@bar.baz', auth: b64('foo:bar') };

describe('keyring_test.go lookups', () => {
  it.each([
    ['https://hello.kubernetes.io', 'hello.kubernetes.io'],
    ['https://*.docker.io', 'prefix.docker.io'],
    ['https://prefix.*.io', 'prefix.docker.io'],
    ['https://prefix.docker.*', 'prefix.docker.io'],
    ['https://*.docker.io/path', 'prefix.docker.io/path'],
    ['https://prefix.*.io/path', 'prefix.docker.io/path/subpath'],
    ['https://prefix.docker.*/path', 'prefix.docker.io/path'],
    ['https://*.docker.io:8888', 'prefix.docker.io:8888'],
    ['https://prefix.*.io:8888', 'prefix.docker.io:8888'],
    ['https://prefix.docker.*:8888', 'prefix.docker.io:8888'],
    ['https://*.docker.io/path:1111', 'prefix.docker.io/path:1111'],
    ['https://*.docker.io/v1/', 'prefix.docker.io/path:1111'],
    ['https://*.docker.io/v2/', 'prefix.docker.io/path:1111'],
    ['https://prefix.docker.*/path:1111', 'prefix.docker.io/path:1111'],
    ['prefix.docker.io:1111', 'prefix.docker.io:1111/path'],
    ['*.docker.io:1111', 'prefix.docker.io:1111/path'],
  ])('TestDockerKeyringForGlob %s finds %s', (glob, target) => {
    const r = Keyring.fromSecrets([cfg({ [glob]: foo })]).lookup(target + '/foo/bar');
    expect(revealed(r)[0]).toEqual(up('foo', 'bar'));
    expect(r.credentials[0]!.registryKey).toBe(glob);
  });

  it.each([
    ['https://hello.kubernetes.io', 'world.mesos.org/foo/bar'],
    ['https://*.docker.com', 'prefix.docker.io'],
    ['https://suffix.*.io', 'prefix.docker.io'],
    ['https://prefix.docker.c*', 'prefix.docker.io'],
    ['https://prefix.*.io/path:1111', 'prefix.docker.io/path/subpath:1111'],
    ['suffix.*.io', 'prefix.docker.io'],
  ])('TestKeyringMiss %s misses %s', (glob, lookup) => {
    const r = Keyring.fromSecrets([cfg({ [glob]: foo })]).lookup(lookup + '/foo/bar');
    expect(r.credentials).toEqual([]);
    expect(r.matchedKeys).toEqual([]);
  });

  const hub = (): Keyring => Keyring.fromSecrets([cfg({ 'https://index.docker.io/v1/': foo })]);

  it('TestKeyringMissWithDockerHubCredentials', () => {
    expect(hub().lookup('world.mesos.org/foo/bar').credentials).toEqual([]);
  });

  it.each([['google/docker-registry'], ['jenkins'], ['docker.io/library/nginx']])(
    'TestKeyringHitWithUnqualified(Library)DockerHub: %s via the fallback',
    (image) => {
      const r = hub().lookup(image);
      expect(revealed(r)).toEqual([up('foo', 'bar')]);
      expect(r).toMatchObject({ usedDockerHubFallback: true, matchedKeys: ['index.docker.io'], shadowedDockerHub: [] });
      expect(r.credentials[0]!.viaDockerHubFallback).toBe(true);
    },
  );

  it('TestKeyringHitWithQualifiedDockerHub', () => {
    const r = hub().lookup('index.docker.io/v1/' + '/google/docker-registry');
    expect(r.credentials.length).toBeGreaterThan(0);
    expect(r.credentials.length).toBeLessThanOrEqual(2);
    expect(revealed(r)[0]).toEqual(up('foo', 'bar'));
    expect(r.usedDockerHubFallback).toBe(false);
  });

  it('TestDockerKeyringLookup', () => {
    const ada = up('ada', 'smash');
    const grace = up('grace', 'squash');
    const k = Keyring.fromSecrets([cfg({ 'bar.example.com/pong': grace, 'bar.example.com': ada })]);
    const cases: [string, { username: string; password: string }[]][] = [
      ['bar.example.com', [ada]],
      ['bar.example.com/pong', [grace, ada]],
      ['bar.example.com/ping', [ada]],
      ['bar.example.com/pongz', [grace, ada]],
      ['bar.example.com/pong/pang', [grace, ada]],
      ['example.com', []],
      ['foo.example.com', []],
    ];
    for (const [image, want] of cases) expect(revealed(k.lookup(image)), image).toEqual(want);
  });

  it('TestIssue3797', () => {
    const rex = up('rex', 'tiny arms');
    const k = Keyring.fromSecrets([cfg({ 'https://quay.io/v1/': rex })]);
    for (const image of ['quay.io', 'quay.io/foo', 'quay.io/foo/bar']) expect(revealed(k.lookup(image))).toEqual([rex]);
  });
});

describe('§8 order, union of secrets, Docker Hub fallback', () => {
  it('§4.6 keys(): de-duplicated, reverse byte-wise', () => {
    const k = Keyring.fromSecrets([
      cfgJson({ '*.example.com': {}, 'registry.example.com': {}, 'https://registry.example.com/v2/': {} }, 'a'),
      cfgJson({ 'registry.example.com/team': {}, 'docker.io': {}, '*.io': {}, 'Z.io': {}, 'é.io': {} }, 'b'),
    ]);
    expect(k.keys()).toEqual(['é.io', 'registry.example.com/team', 'registry.example.com', 'docker.io', 'Z.io', '*.io', '*.example.com']);
  });

  it('§8.1 all matching keys contribute, most specific first, secrets in imagePullSecrets order within a key', () => {
    const k = Keyring.fromSecrets([
      cfgJson({ 'registry.example.com': up('a1', 'x') }, 'first'),
      cfgJson({ 'https://registry.example.com/v1/': up('b1', 'y'), 'registry.example.com/team': up('b2', 'z') }, 'second'),
      cfgJson({ '*.example.com': up('c1', 'w') }, 'third'),
    ]);
    const r = k.lookup('registry.example.com/team/app');
    expect(r.credentials.map((c) => [c.secret, c.username, c.normalizedKey])).toEqual([
      ['second', 'b2', 'registry.example.com/team'],
      ['first', 'a1', 'registry.example.com'],
      ['second', 'b1', 'registry.example.com'],
      ['third', 'c1', '*.example.com'],
    ]);
    expect(r.matchedKeys).toEqual(['registry.example.com/team', 'registry.example.com', '*.example.com']);
  });

  it('secrets that are ignored or broken contribute nothing; unparsable keys are skipped', () => {
    const ignored = parsePullSecret(secret('o', 'Opaque', '.dockerconfigjson', { auths: { 'r.io': up('o', 'p') } }));
    const broken = cfgJson({ 'r.io': { auth: 'bad!' } }, 'broken');
    const skip = cfgJson({ 'r.io:*': up('s', 'p'), 'r.io': up('ok', 'p') }, 'skip');
    const r = Keyring.fromSecrets([ignored, broken, skip]).lookup('r.io/app');
    expect(r.credentials.map((c) => [c.secret, c.username])).toEqual([['skip', 'ok']]);
  });

  it('§8.4 a docker.io key shadows index.docker.io credentials', () => {
    const k = Keyring.fromSecrets([cfgJson({ 'https://index.docker.io/v1/': up('hub', 'h') }, 'hub'), cfgJson({ 'docker.io': up('dio', 'd') }, 'dio')]);
    const r = k.lookup('docker.io/library/nginx');
    expect(r.credentials.map((c) => c.username)).toEqual(['dio']);
    expect(r.usedDockerHubFallback).toBe(false);
    expect(r.shadowedDockerHub.map((c) => [c.secret, c.username])).toEqual([['hub', 'hub']]);
    expect(k.lookup('quay.io/x').shadowedDockerHub).toEqual([]);
  });

  it('§8.4 a *.io key matches docker.io and also shadows the fallback', () => {
    const k = Keyring.fromSecrets([cfgJson({ 'https://index.docker.io/v1/': up('hub', 'h'), '*.io': up('star', 's') })]);
    const r = k.lookup('docker.io/library/nginx');
    expect(r.credentials.map((c) => c.username)).toEqual(['star']);
    expect(r.shadowedDockerHub).toHaveLength(1);
  });

  it('§8.4 index.docker.io/v1 without slash gives no Docker Hub credentials; registry-1.docker.io only matches itself', () => {
    const k = Keyring.fromSecrets([cfgJson({ 'https://index.docker.io/v1': up('a', 'b'), 'registry-1.docker.io': up('r1', 'c') })]);
    expect(k.lookup('docker.io/library/nginx').credentials).toEqual([]);
    expect(k.lookup('registry-1.docker.io/library/nginx').credentials.map((c) => c.username)).toEqual(['r1']);
    const hubOnly = Keyring.fromSecrets([cfgJson({ 'https://index.docker.io/v1/': up('hub', 'h') })]);
    expect(hubOnly.lookup('registry-1.docker.io/library/nginx').credentials).toEqual([]);
  });

  it('§8.3 the fallback is evaluated once over all pod secrets, in secret order', () => {
    const k = Keyring.fromSecrets([
      cfgJson({ 'https://index.docker.io/v1/': up('one', '1') }, 'a'),
      cfgJson({ 'index.docker.io': up('two', '2') }, 'b'),
    ]);
    const r = k.lookup('docker.io/team/app');
    expect(r.credentials.map((c) => [c.secret, c.username, c.viaDockerHubFallback])).toEqual([
      ['a', 'one', true],
      ['b', 'two', true],
    ]);
  });

  it('toCredentialView carries no secret material', () => {
    const r = Keyring.fromSecrets([cfgJson({ 'r.io': up('u', 'S3CRET-pw') }, 'pull')]).lookup('r.io/a');
    const v = toCredentialView(r.credentials[0]!);
    expect(v).toEqual({
      source: 'pod-secret',
      secret: 'pull',
      registryKey: 'r.io',
      normalizedKey: 'r.io',
      username: 'u',
      hasPassword: true,
      fingerprint: r.credentials[0]!.fingerprint,
      viaDockerHubFallback: false,
    });
    expect(Object.keys(v)).not.toContain('credential');
  });
});

describe('properties', () => {
  const special = fc.constantFrom(' ', ':', '/', '%', '[', ']', '*', '?', '\\', '@', '#', '\n', '\u0000', 'é', '\u{1F600}', '.', '-', '2', 'a', 'v1/', 'https://');
  const nasty = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: special }));

  it('normalizeKey and urlsMatch never throw', () => {
    fc.assert(
      fc.property(nasty, nasty, (a, b) => {
        const n = normalizeKey(a);
        expect(typeof n.key === 'string' || n.key === null).toBe(true);
        expect(typeof urlsMatch(a, b)).toBe('boolean');
        if (n.key !== null) expect(typeof urlsMatch(n.key, b)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('a plain host key always matches every repository on that host (and only with the same port)', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 65535 })), fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,8}){0,2}$/), (labels, port, path) => {
        const host = labels.join('.') + (port === null ? '' : `:${port}`);
        expect(urlsMatch(host, `${host}/${path}`)).toBe(true);
        expect(urlsMatch(normalizeKey(`https://${host}/v1/`).key ?? '', `${host}/${path}`)).toBe(true);
        expect(urlsMatch(labels.join('.'), `${labels.join('.')}:99999/${path}`)).toBe(false);
      }),
    );
  });

  it('no output of a LookupResult or Keyring contains a password', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{6,20}$/).map((s) => 'PW-' + s), fc.boolean(), (pw, viaAuth) => {
        const entry = viaAuth ? { auth: b64(`user:${pw}`) } : up('user', pw);
        const k = Keyring.fromSecrets([cfgJson({ 'https://index.docker.io/v1/': entry, 'docker.io': entry, 'r.io': entry })]);
        for (const image of ['docker.io/library/nginx', 'r.io/x', 'quay.io/y']) {
          const r = k.lookup(image);
          for (const out of [JSON.stringify(r), String(r), inspect(r, { depth: null, showHidden: true }), inspect(k, { depth: null }), JSON.stringify(r.credentials.map(toCredentialView))]) {
            expect(out).not.toContain(pw);
            expect(out).not.toContain(b64(`user:${pw}`));
          }
        }
        expect(reveal(k.lookup('r.io/x').credentials[0]!.credential).password).toBe(pw);
      }),
      { numRuns: 150 },
    );
  });
});
