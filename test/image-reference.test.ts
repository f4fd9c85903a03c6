import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goQuote } from '../src/go/quote.js';
import {
  effectivePullPolicy,
  isDefaultRegistryMatch,
  parseImage,
  registryEndpoint,
  type ImageReference,
} from '../src/image/reference.js';

const SHA256_E3 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA256_F = `sha256:${'f'.repeat(64)}`;
const SHA512_F = `sha512:${'f'.repeat(128)}`;
const HEX64 = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';

const INVALID = 'invalid reference format';
const lowercase = (remote: string) => `invalid reference format: repository name (${remote}) must be lowercase`;
const hex64 = (s: string) => `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`;
const TOO_LONG = 'repository name must not be more than 255 characters';

/** Expected reference: name is derived as Go's Name(); tag/digest omitted when absent. */
function ref(domain: string, path: string, tag?: string, digest?: string): ImageReference {
  const r: ImageReference = { domain, path, name: domain ? `${domain}/${path}` : path };
  if (tag !== undefined) r.tag = tag;
  if (digest !== undefined) r.digest = digest;
  return r;
}

function expectRef(input: string, expected: ImageReference): void {
  const r = parseImage(input);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${r.reason}`);
  expect(r.ref).toStrictEqual(expected);
}

function expectReason(input: string, reason: string): void {
  const r = parseImage(input);
  expect(r.ok, `${JSON.stringify(input)} should not parse`).toBe(false);
  if (!r.ok) expect(r.reason).toBe(reason);
}

type OkCase = readonly [input: string, expected: ImageReference];
type ErrCase = readonly [input: string, reason: string];

// ---------------------------------------------------------------------------------------------
// kubernetes/kubernetes pkg/util/parsers/parsers_test.go, TestParseImageName (commit 6fbbec6a).
// The Go test only checks that the error contains a fragment; the full texts come from
// distribution/reference normalize.go (ParseNormalizedNamed).
// ---------------------------------------------------------------------------------------------
describe('parsers_test.go TestParseImageName', () => {
  const ok: OkCase[] = [
    ['root', ref('docker.io', 'library/root', 'latest')],
    ['root:tag', ref('docker.io', 'library/root', 'tag')],
    [`root@${SHA256_E3}`, ref('docker.io', 'library/root', undefined, SHA256_E3)],
    ['user/repo', ref('docker.io', 'user/repo', 'latest')],
    ['user/repo:tag', ref('docker.io', 'user/repo', 'tag')],
    [`user/repo@${SHA256_E3}`, ref('docker.io', 'user/repo', undefined, SHA256_E3)],
    ['url:5000/repo', ref('url:5000', 'repo', 'latest')],
    ['url:5000/repo:tag', ref('url:5000', 'repo', 'tag')],
    [`url:5000/repo@${SHA256_E3}`, ref('url:5000', 'repo', undefined, SHA256_E3)],
    [`url:5000/repo:latest@${SHA256_E3}`, ref('url:5000', 'repo', 'latest', SHA256_E3)],
  ];
  it.each(ok)('%s', (input, expected) => expectRef(input, expected));

  const bad: ErrCase[] = [
    ['ROOT', lowercase('library/ROOT')],
    ['http://root', INVALID],
    [SHA256_E3.slice(7), hex64(SHA256_E3.slice(7))],
  ];
  it.each(bad)('%s fails', (input, reason) => expectReason(input, reason));
});

// ---------------------------------------------------------------------------------------------
// distribution/reference reference_test.go, TestReferenceParse. The Go table drives Parse();
// here each input goes through ParseNormalizedNamed as the kubelet does, so the expected
// values are the normalised ones (domain docker.io, library/ prefix, error texts of §5.5).
// ---------------------------------------------------------------------------------------------
describe('reference_test.go TestReferenceParse (normalised)', () => {
  const ok: OkCase[] = [
    ['test_com', ref('docker.io', 'library/test_com', 'latest')],
    ['test.com:tag', ref('docker.io', 'library/test.com', 'tag')],
    ['test.com:5000', ref('docker.io', 'library/test.com', '5000')],
    ['test.com/repo:tag', ref('test.com', 'repo', 'tag')],
    ['test:5000/repo', ref('test:5000', 'repo', 'latest')],
    ['test:5000/repo:tag', ref('test:5000', 'repo', 'tag')],
    [`test:5000/repo@${SHA256_F}`, ref('test:5000', 'repo', undefined, SHA256_F)],
    [`test:5000/repo:tag@${SHA256_F}`, ref('test:5000', 'repo', 'tag', SHA256_F)],
    ['lowercase:Uppercase', ref('docker.io', 'library/lowercase', 'Uppercase')],
    [`${'a/'.repeat(127)}a:tag-puts-this-over-max`, ref('docker.io', `${'a/'.repeat(127)}a`, 'tag-puts-this-over-max')],
    ['sub-dom1.foo.com/bar/baz/quux', ref('sub-dom1.foo.com', 'bar/baz/quux', 'latest')],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', ref('sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag')],
    ['b.gcr.io/test.example.com/my-app:test.example.com', ref('b.gcr.io', 'test.example.com/my-app', 'test.example.com')],
    ['xn--n3h.com/myimage:xn--n3h.com', ref('xn--n3h.com', 'myimage', 'xn--n3h.com')],
    [`xn--7o8h.com/myimage:xn--7o8h.com@${SHA512_F}`, ref('xn--7o8h.com', 'myimage', 'xn--7o8h.com', SHA512_F)],
    ['foo_bar.com:8080', ref('docker.io', 'library/foo_bar.com', '8080')],
    // Parse() gives domain "foo" here; the normaliser does not (kubelet-semantics §6.8).
    ['foo/foo_bar.com:8080', ref('docker.io', 'foo/foo_bar.com', '8080')],
    ['192.168.1.1', ref('docker.io', 'library/192.168.1.1', 'latest')],
    ['192.168.1.1:tag', ref('docker.io', 'library/192.168.1.1', 'tag')],
    ['192.168.1.1:5000', ref('docker.io', 'library/192.168.1.1', '5000')],
    ['192.168.1.1/repo', ref('192.168.1.1', 'repo', 'latest')],
    ['192.168.1.1:5000/repo', ref('192.168.1.1:5000', 'repo', 'latest')],
    ['192.168.1.1:5000/repo:5050', ref('192.168.1.1:5000', 'repo', '5050')],
    ['[2001:db8::1]/repo', ref('[2001:db8::1]', 'repo', 'latest')],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', ref('[2001:db8:1:2:3:4:5:6]', 'repo', 'tag')],
    ['[2001:db8::1]:5000/repo', ref('[2001:db8::1]:5000', 'repo', 'latest')],
    ['[2001:db8::1]:5000/repo:tag', ref('[2001:db8::1]:5000', 'repo', 'tag')],
    [`[2001:db8::1]:5000/repo@${SHA256_F}`, ref('[2001:db8::1]:5000', 'repo', undefined, SHA256_F)],
    [`[2001:db8::1]:5000/repo:tag@${SHA256_F}`, ref('[2001:db8::1]:5000', 'repo', 'tag', SHA256_F)],
    ['[2001:db8::]:5000/repo', ref('[2001:db8::]:5000', 'repo', 'latest')],
    ['[::1]:5000/repo', ref('[::1]:5000', 'repo', 'latest')],
  ];
  it.each(ok)('%s', (input, expected) => expectRef(input, expected));

  const bad: ErrCase[] = [
    // Parse("") is ErrNameEmpty, but ParseNormalizedNamed("") parses "docker.io/library/" (§6.7).
    ['', INVALID],
    [':justtag', INVALID],
    [`@${SHA256_F}`, INVALID],
    [`repo@sha256:${'f'.repeat(34)}`, 'invalid checksum digest length'],
    [`validname@invaliddigest:${'f'.repeat(64)}`, 'unsupported digest algorithm'],
    ['Uppercase:tag', lowercase('library/Uppercase')],
    ['test:5000/Uppercase/lowercase:tag', lowercase('Uppercase/lowercase')],
    [`${'a/'.repeat(128)}a:tag`, TOO_LONG],
    ['aa/asdf$$^/aa', INVALID],
    ['[2001:db8::1]', INVALID],
    ['[2001:db8::1]:5000', INVALID],
    ['[2001:db8::1]:tag', INVALID],
    ['[fe80::1%eth0]:5000/repo', INVALID],
    ['[fe80::1%@invalidzone]:5000/repo', INVALID],
  ];
  it.each(bad)('%j fails', (input, reason) => expectReason(input, reason));
});

// ---------------------------------------------------------------------------------------------
// distribution/reference normalize_test.go.
// ---------------------------------------------------------------------------------------------
describe('normalize_test.go TestValidateReferenceName', () => {
  const valid: OkCase[] = [
    ['docker/docker', ref('docker.io', 'docker/docker', 'latest')],
    ['library/debian', ref('docker.io', 'library/debian', 'latest')],
    ['debian', ref('docker.io', 'library/debian', 'latest')],
    ['docker.io/docker/docker', ref('docker.io', 'docker/docker', 'latest')],
    ['docker.io/library/debian', ref('docker.io', 'library/debian', 'latest')],
    ['docker.io/debian', ref('docker.io', 'library/debian', 'latest')],
    ['index.docker.io/docker/docker', ref('docker.io', 'docker/docker', 'latest')],
    ['index.docker.io/library/debian', ref('docker.io', 'library/debian', 'latest')],
    ['index.docker.io/debian', ref('docker.io', 'library/debian', 'latest')],
    ['127.0.0.1:5000/docker/docker', ref('127.0.0.1:5000', 'docker/docker', 'latest')],
    ['127.0.0.1:5000/library/debian', ref('127.0.0.1:5000', 'library/debian', 'latest')],
    ['127.0.0.1:5000/debian', ref('127.0.0.1:5000', 'debian', 'latest')],
    ['192.168.0.1', ref('docker.io', 'library/192.168.0.1', 'latest')],
    ['192.168.0.1:80', ref('docker.io', 'library/192.168.0.1', '80')],
    ['192.168.0.1:8/debian', ref('192.168.0.1:8', 'debian', 'latest')],
    ['192.168.0.2:25000/debian', ref('192.168.0.2:25000', 'debian', 'latest')],
    [
      'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
      ref('docker.io', 'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', 'latest'),
    ],
    ['[fc00::1]:5000/docker', ref('[fc00::1]:5000', 'docker', 'latest')],
    ['[fc00::1]:5000/docker/docker', ref('[fc00::1]:5000', 'docker/docker', 'latest')],
    ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', ref('[fc00:1:2:3:4:5:6:7]:5000', 'library/debian', 'latest')],
    [`docker.io/${HEX64}`, ref('docker.io', `library/${HEX64}`, 'latest')],
    ['Docker/docker', ref('Docker', 'docker', 'latest')],
    ['DOCKER/docker', ref('DOCKER', 'docker', 'latest')],
  ];
  it.each(valid)('%s', (input, expected) => expectRef(input, expected));

  const invalid: ErrCase[] = [
    ['https://github.com/docker/docker', INVALID],
    ['docker/Docker', lowercase('docker/Docker')],
    ['-docker', INVALID],
    ['-docker/docker', INVALID],
    ['-docker.io/docker/docker', INVALID],
    ['docker///docker', INVALID],
    ['docker.io/docker/Docker', lowercase('docker/Docker')],
    ['docker.io/docker///docker', INVALID],
    ['[fc00::1]', INVALID],
    ['[fc00::1]:5000', INVALID],
    ['fc00::1:5000/debian', INVALID],
    ['[fe80::1%eth0]:5000/debian', INVALID],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', INVALID],
    [HEX64, hex64(HEX64)],
  ];
  it.each(invalid)('%s fails', (input, reason) => expectReason(input, reason));
});

describe('normalize_test.go TestValidateRemoteName', () => {
  const valid = [
    'docker/docker',
    'docker-rules/docker',
    'docker---rules/docker',
    'doc/docker',
    'd/docker',
    'jess/t',
    'dock__er/docker',
  ];
  it.each(valid)('%s', (input) => expectRef(input, ref('docker.io', input, 'latest')));

  const longNamespace = Array(4).fill('this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255').join('_');
  const invalid: ErrCase[] = [
    ['docker/Docker', lowercase('docker/Docker')],
    ['docker///docker', INVALID],
    [HEX64, hex64(HEX64)],
    ['-docker/docker', INVALID],
    ['docker-/docker', INVALID],
    ['-docker-/docker', INVALID],
    ['____/____', INVALID],
    ['_docker/_docker', INVALID],
    ['dock..er/docker', INVALID],
    ['dock_.er/docker', INVALID],
    ['dock-.er/docker', INVALID],
    ['docker/', INVALID],
    [`${longNamespace}/docker`, TOO_LONG],
  ];
  it.each(invalid)('%s fails', (input, reason) => expectReason(input, reason));
});

describe('normalize_test.go TestParseRepositoryInfo (familiar, full and ambiguous names)', () => {
  // [input, Domain, RemoteName]; FullName = Domain/RemoteName.
  const cases: [string, string, string][] = [
    ['fooo/bar', 'docker.io', 'fooo/bar'],
    ['docker.io/fooo/bar', 'docker.io', 'fooo/bar'],
    ['index.docker.io/fooo/bar', 'docker.io', 'fooo/bar'],
    ['ubuntu', 'docker.io', 'library/ubuntu'],
    ['docker.io/library/ubuntu', 'docker.io', 'library/ubuntu'],
    ['library/ubuntu', 'docker.io', 'library/ubuntu'],
    ['nonlibrary/ubuntu', 'docker.io', 'nonlibrary/ubuntu'],
    ['docker.io/nonlibrary/ubuntu', 'docker.io', 'nonlibrary/ubuntu'],
    ['other/library', 'docker.io', 'other/library'],
    ['docker.io/other/library', 'docker.io', 'other/library'],
    ['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000', 'private/moonbase'],
    ['127.0.0.1:8000/privatebase', '127.0.0.1:8000', 'privatebase'],
    ['example.com/private/moonbase', 'example.com', 'private/moonbase'],
    ['example.com/privatebase', 'example.com', 'privatebase'],
    ['example.com:8000/private/moonbase', 'example.com:8000', 'private/moonbase'],
    ['example.com:8000/privatebasee', 'example.com:8000', 'privatebasee'],
    ['ubuntu-12.04-base', 'docker.io', 'library/ubuntu-12.04-base'],
    ['docker.io/library/ubuntu-12.04-base', 'docker.io', 'library/ubuntu-12.04-base'],
    ['index.docker.io/library/ubuntu-12.04-base', 'docker.io', 'library/ubuntu-12.04-base'],
    ['foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo', 'docker.io', 'library/foo'],
    ['docker.io/foo', 'docker.io', 'library/foo'],
    ['library/foo/bar', 'docker.io', 'library/foo/bar'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
    ['store/foo/bar', 'docker.io', 'store/foo/bar'],
    ['docker.io/store/foo/bar', 'docker.io', 'store/foo/bar'],
    ['Foo/bar', 'Foo', 'bar'],
    ['FOO/bar', 'FOO', 'bar'],
  ];
  it.each(cases)('%s', (input, domain, path) => expectRef(input, ref(domain, path, 'latest')));
});

describe('normalize_test.go TestNormalizedSplitHostname', () => {
  const cases: [string, string, string][] = [
    ['test.com/foo', 'test.com', 'foo'],
    ['test_com/foo', 'docker.io', 'test_com/foo'],
    ['docker/migrator', 'docker.io', 'docker/migrator'],
    ['test.com:8080/foo', 'test.com:8080', 'foo'],
    ['test-com:8080/foo', 'test-com:8080', 'foo'],
    ['foo', 'docker.io', 'library/foo'],
    ['xn--n3h.com/foo', 'xn--n3h.com', 'foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
    ['docker.io/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
  ];
  it.each(cases)('%s', (input, domain, path) => expectRef(input, ref(domain, path, 'latest')));
});

describe('normalize_test.go TestParseReferenceWithTagAndDigest, TestParseAnyReference, TestParseDockerRef', () => {
  const redis = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
  const busybox = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';
  const cases: OkCase[] = [
    [
      'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa',
      ref('docker.io', 'library/busybox', 'latest', 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa'),
    ],
    // TestParseAnyReference (the name-shaped inputs; ParseAnyReference falls through to ParseNormalizedNamed)
    ['redis', ref('docker.io', 'library/redis', 'latest')],
    ['redis:latest', ref('docker.io', 'library/redis', 'latest')],
    ['docker.io/library/redis:latest', ref('docker.io', 'library/redis', 'latest')],
    [`redis@${redis}`, ref('docker.io', 'library/redis', undefined, redis)],
    [`docker.io/library/redis@${redis}`, ref('docker.io', 'library/redis', undefined, redis)],
    ['dmcgowan/myapp', ref('docker.io', 'dmcgowan/myapp', 'latest')],
    ['dmcgowan/myapp:latest', ref('docker.io', 'dmcgowan/myapp', 'latest')],
    ['docker.io/mcgowan/myapp:latest', ref('docker.io', 'mcgowan/myapp', 'latest')],
    [`dmcgowan/myapp@${redis}`, ref('docker.io', 'dmcgowan/myapp', undefined, redis)],
    [`docker.io/dmcgowan/myapp@${redis}`, ref('docker.io', 'dmcgowan/myapp', undefined, redis)],
    [redis.slice(7, -1), ref('docker.io', `library/${redis.slice(7, -1)}`, 'latest')],
    ['dbcc1', ref('docker.io', 'library/dbcc1', 'latest')],
    // ParseAnyReference reads this as a digest; ParseNormalizedNamed (the kubelet) as repo "sha256", tag <hex>.
    [redis, ref('docker.io', 'library/sha256', redis.slice(7))],
    // TestParseDockerRef inputs: ParseNormalizedNamed keeps the tag next to the digest (§6.6).
    ['busybox', ref('docker.io', 'library/busybox', 'latest')],
    [`busybox@${busybox}`, ref('docker.io', 'library/busybox', undefined, busybox)],
    ['library/busybox', ref('docker.io', 'library/busybox', 'latest')],
    ['docker.io/busybox', ref('docker.io', 'library/busybox', 'latest')],
    ['docker.io/busybox:latest', ref('docker.io', 'library/busybox', 'latest')],
    ['library/busybox:latest', ref('docker.io', 'library/busybox', 'latest')],
    ['gcr.io/library/busybox', ref('gcr.io', 'library/busybox', 'latest')],
    [`gcr.io/library/busybox:latest@${busybox}`, ref('gcr.io', 'library/busybox', 'latest', busybox)],
  ];
  it.each(cases)('%s', (input, expected) => expectRef(input, expected));

  it('rejects the bare 64-hex identifier that ParseAnyReference would accept', () => {
    expectReason(redis.slice(7), hex64(redis.slice(7)));
  });
});

// ---------------------------------------------------------------------------------------------
// kubelet-semantics §5.4–§5.6, §6 tricky cases.
// ---------------------------------------------------------------------------------------------
describe('kubelet-semantics §5.4 normalisation', () => {
  const cases: OkCase[] = [
    ['nginx', ref('docker.io', 'library/nginx', 'latest')],
    ['localhost:5000', ref('docker.io', 'library/localhost', '5000')],
    ['bar.example.com', ref('docker.io', 'library/bar.example.com', 'latest')],
    ['192.168.0.1:80', ref('docker.io', 'library/192.168.0.1', '80')],
    ['localhost/foo', ref('localhost', 'foo', 'latest')],
    [`localhost:5000/a@${SHA256_F}`, ref('localhost:5000', 'a', undefined, SHA256_F)],
    ['Foo/bar', ref('Foo', 'bar', 'latest')],
    ['LOCALHOST/foo', ref('LOCALHOST', 'foo', 'latest')],
    ['index.docker.io/x/y', ref('docker.io', 'x/y', 'latest')],
    ['index.docker.io/nginx', ref('docker.io', 'library/nginx', 'latest')],
    ['registry-1.docker.io/library/nginx', ref('registry-1.docker.io', 'library/nginx', 'latest')],
    ['registry-1.docker.io/nginx', ref('registry-1.docker.io', 'nginx', 'latest')],
    ['docker.io/nginx:1.25', ref('docker.io', 'library/nginx', '1.25')],
    ['user/repo:1', ref('docker.io', 'user/repo', '1')],
    ['foo/foo_bar.com:8080', ref('docker.io', 'foo/foo_bar.com', '8080')],
    ['quay.io/org/app', ref('quay.io', 'org/app', 'latest')],
    [`nginx:1.25@${SHA256_E3}`, ref('docker.io', 'library/nginx', '1.25', SHA256_E3)],
    [`example.com/${'a'.repeat(255)}`, ref('example.com', 'a'.repeat(255), 'latest')],
    [`nginx:${'T'.repeat(128)}`, ref('docker.io', 'library/nginx', 'T'.repeat(128))],
    ['nginx:_x.Y-1', ref('docker.io', 'library/nginx', '_x.Y-1')],
    ['[::1]/app', ref('[::1]', 'app', 'latest')],
    ['[FC00::1]:5000/app', ref('[FC00::1]:5000', 'app', 'latest')],
    ['a.b.c.d:65536/x/y/z', ref('a.b.c.d:65536', 'x/y/z', 'latest')],
    ['a--b/c', ref('docker.io', 'a--b/c', 'latest')],
  ];
  it.each(cases)('%s', (input, expected) => expectRef(input, expected));

  it('finds no domain when the first element has "." and "_" (Parse falls back to a plain path)', () => {
    // splitDockerDomain takes "foo_bar.com" as the domain, the domain grammar rejects "_", and
    // Parse() then matches the whole string as a domain-less path: Name() is the path alone.
    expectRef('foo_bar.com/x', ref('', 'foo_bar.com/x', 'latest'));
    expectRef('a__b.c/d:1', ref('', 'a__b.c/d', '1'));
  });

  const errors: ErrCase[] = [
    ['Nginx', lowercase('library/Nginx')],
    ['Foo/Bar', lowercase('Bar')],
    ['docker.io/Library/nginx:TAG', lowercase('Library/nginx')],
    // The uppercase check covers everything before the first ':', digest algorithm included.
    [`nginx@SHA256:${'f'.repeat(64)}`, lowercase('library/nginx@SHA256')],
    // Parse-level text (reference.go ErrNameContainsUppercase): "Foo_bar" is taken as a domain,
    // is not one, and the lower-cased string is a valid path.
    ['Foo_bar/baz', 'repository name must be lowercase'],
    ['Foo__bar/baz:Tag', 'repository name must be lowercase'],
    // Go's strings.ToLower maps U+0130 to plain "i", so the lower-cased string parses.
    ['fooİ_bar/x', 'repository name must be lowercase'],
    ['-Foo/bar', INVALID],
    [`example.com/${'a'.repeat(256)}`, TOO_LONG],
    // the length check comes before digest validation
    [`example.com/${'a'.repeat(256)}@md5:${'f'.repeat(32)}`, TOO_LONG],
    [`nginx:${'t'.repeat(129)}`, INVALID],
    ['nginx:.tag', INVALID],
    ['nginx:-tag', INVALID],
    ['nginx:', INVALID],
    ['nginx@', INVALID],
    ['nginx/', INVALID],
    ['/nginx', INVALID],
    ['nginx ', INVALID],
    [' nginx', INVALID],
    ['nginx\n', INVALID],
    ['ngînx', INVALID],
    ['a:b:c', INVALID],
    ['a.b:port/x', INVALID],
    // a bracketed first element without '.' or ':' is not taken as a domain (splitDockerDomain)
    ['[0]/a', INVALID],
  ];
  it.each(errors)('%j fails', (input, reason) => expectReason(input, reason));
});

describe('digests (kubelet-semantics §6.5; go-digest v1.0.0 digest.go / algorithm.go)', () => {
  const ok: OkCase[] = [
    [`a@sha384:${'0'.repeat(96)}`, ref('docker.io', 'library/a', undefined, `sha384:${'0'.repeat(96)}`)],
    [`a@sha512:${'9'.repeat(128)}`, ref('docker.io', 'library/a', undefined, `sha512:${'9'.repeat(128)}`)],
    [`a:latest@${SHA256_F}`, ref('docker.io', 'library/a', 'latest', SHA256_F)],
  ];
  it.each(ok)('%s', (input, expected) => expectRef(input, expected));

  const bad: ErrCase[] = [
    [`a@md5:${'f'.repeat(32)}`, 'unsupported digest algorithm'],
    [`a@sha1:${'f'.repeat(40)}`, 'unsupported digest algorithm'],
    [`a@sha256+b64:${'f'.repeat(64)}`, 'unsupported digest algorithm'],
    // algorithm names are looked up exactly, not as object keys
    [`a@constructor:${'f'.repeat(64)}`, 'unsupported digest algorithm'],
    // not go-digest's lower-case algorithm grammar → format error (reached past the uppercase check via a tag)
    [`a:v1@SHA256:${'f'.repeat(64)}`, 'invalid checksum digest format'],
    [`a@sha256:${'F'.repeat(64)}`, 'invalid checksum digest format'],
    [`a@sha256:${'f'.repeat(63)}A`, 'invalid checksum digest format'],
    [`a@sha256:${'f'.repeat(65)}`, 'invalid checksum digest length'],
    [`a@sha256:${'f'.repeat(32)}`, 'invalid checksum digest length'],
    [`a@sha512:${'f'.repeat(64)}`, 'invalid checksum digest length'],
    [`a@sha384:${'f'.repeat(128)}`, 'invalid checksum digest length'],
    // fewer than 32 hex digits, or non-hex, fail the reference grammar itself
    [`a@sha256:${'f'.repeat(31)}`, INVALID],
    [`a@sha256:${'g'.repeat(64)}`, INVALID],
    [`a@${SHA256_F}:tag`, INVALID],
  ];
  it.each(bad)('%s fails', (input, reason) => expectReason(input, reason));
});

describe('error texts (parsers.go ParseImageName, image_manager.go applyDefaultImageTag)', () => {
  it('wraps the reason the way the kubelet does', () => {
    const r = parseImage('Nginx');
    expect(r).toStrictEqual({
      ok: false,
      reason: 'invalid reference format: repository name (library/Nginx) must be lowercase',
      error: 'couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase',
      eventMessage:
        'Failed to apply default image tag "Nginx": couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase',
    });
  });

  it('empty string → invalid reference format', () => {
    expect(parseImage('')).toStrictEqual({
      ok: false,
      reason: 'invalid reference format',
      error: 'couldn\'t parse image name "": invalid reference format',
      eventMessage: 'Failed to apply default image tag "": couldn\'t parse image name "": invalid reference format',
    });
  });

  it('quotes the raw image with Go %q in both places', () => {
    const r = parseImage('my "img"\t\\x');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('couldn\'t parse image name "my \\"img\\"\\t\\\\x": invalid reference format');
    expect(r.eventMessage).toBe(`Failed to apply default image tag "my \\"img\\"\\t\\\\x": ${r.error}`);
  });
});

// kubernetes/kubernetes pkg/credentialprovider/keyring_test.go, TestIsDefaultRegistryMatch (S2).
describe('isDefaultRegistryMatch', () => {
  const s2: [string, boolean][] = [
    ['foo/bar', true],
    ['docker.io/foo/bar', true],
    ['index.docker.io/foo/bar', true],
    ['foo', true],
    ['', false],
    ['registry.tld/foo/bar', false],
    ['registry:5000/foo/bar', false],
    ['myhostdocker.io/foo/bar', false],
  ];
  it.each(s2)('S2: %j → %s', (name, expected) => expect(isDefaultRegistryMatch(name)).toBe(expected));

  const extra: [string, boolean][] = [
    ['/foo', false], // empty first element
    ['docker.io', true], // no '/' at all
    ['registry.tld', true], // no '/' at all, even with a dot
    ['localhost/foo', true], // no '.' or ':' in the first element
    ['registry-1.docker.io/library/nginx', false],
    ['docker.io/library/nginx', true],
  ];
  it.each(extra)('%j → %s', (name, expected) => expect(isDefaultRegistryMatch(name)).toBe(expected));
});

// kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Container: Always iff
// ParseImageName's tag is "latest" (errors ignored, so an unparsable image gets IfNotPresent).
describe('effectivePullPolicy', () => {
  const cases: [string, string | undefined, string][] = [
    ['nginx', undefined, 'Always'],
    ['nginx:latest', undefined, 'Always'],
    ['docker.io/library/nginx', undefined, 'Always'],
    ['nginx:1.25', undefined, 'IfNotPresent'],
    [`nginx@${SHA256_E3}`, undefined, 'IfNotPresent'],
    [`nginx:latest@${SHA256_E3}`, undefined, 'Always'],
    [`nginx:1.25@${SHA256_E3}`, undefined, 'IfNotPresent'],
    ['nginx:Latest', undefined, 'IfNotPresent'],
    ['localhost:5000', undefined, 'IfNotPresent'],
    ['localhost:5000/app', undefined, 'Always'],
    ['Nginx', undefined, 'IfNotPresent'],
    ['', undefined, 'IfNotPresent'],
    ['nginx', '', 'Always'],
    ['nginx', 'Never', 'Never'],
    ['nginx', 'IfNotPresent', 'IfNotPresent'],
    ['nginx:1.25', 'Always', 'Always'],
  ];
  it.each(cases)('%j (explicit %j) → %s', (image, explicit, expected) => {
    expect(effectivePullPolicy(image, explicit)).toBe(expected);
  });
});

describe('registryEndpoint', () => {
  it.each([
    ['docker.io', 'registry-1.docker.io'],
    ['quay.io', 'quay.io'],
    ['localhost:5000', 'localhost:5000'],
    ['registry-1.docker.io', 'registry-1.docker.io'],
    ['[::1]:5000', '[::1]:5000'],
  ])('%s → %s', (domain, expected) => expect(registryEndpoint(domain)).toBe(expected));
});

// Go strconv.Quote (fmt %q) escapes.
describe('goQuote', () => {
  const cases: [string, string][] = [
    ['', '""'],
    ['nginx:1.25', '"nginx:1.25"'],
    ['a b', '"a b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\path', '"C:\\\\path"'],
    ["it's", '"it\'s"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00', '"\\x00"'],
    ['\x1b[0m', '"\\x1b[0m"'],
    ['\x7f', '"\\x7f"'],
    ['\u0085', '"\\u0085"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u00ad', '"\\u00ad"'],
    ['\u200b', '"\\u200b"'],
    ['\u2028', '"\\u2028"'],
    ['\ufeff', '"\\ufeff"'],
    ['\ue000', '"\\ue000"'],
    ['\u{f0000}', '"\\U000f0000"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['é日本', '"é日本"'],
    ['🐳', '"🐳"'],
    ['e\u0301', '"e\u0301"'],
    ['\ud800x', '"\ufffdx"'],
  ];
  it.each(cases)('%j → %s', (input, expected) => expect(goQuote(input)).toBe(expected));
});

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

/** A decoder for Go quoted strings, to check goQuote round-trips. */
function goUnquote(q: string): string {
  expect(q.startsWith('"') && q.endsWith('"') && q.length >= 2).toBe(true);
  const body = q.slice(1, -1);
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
  let out = '';
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (ch === '"') throw new Error(`unescaped quote in ${q}`);
    if (ch !== '\\') {
      out += ch;
      i += 1;
      continue;
    }
    const e = body[i + 1]!;
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (width) {
      const hex = body.slice(i + 2, i + 2 + width);
      expect(hex).toMatch(/^[0-9a-f]+$/);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 2 + width;
    } else {
      const s = simple[e];
      if (s === undefined) throw new Error(`bad escape \\${e} in ${q}`);
      out += s;
      i += 2;
    }
  }
  return out;
}

const KNOWN_REASON = new RegExp(
  [
    '^invalid reference format$',
    '^invalid reference format: repository name \\([\\s\\S]*\\) must be lowercase$',
    '^repository name must be lowercase$',
    '^repository name must not be more than 255 characters$',
    '^invalid repository name \\([a-f0-9]{64}\\), cannot specify 64-byte hexadecimal strings$',
    '^unsupported digest algorithm$',
    '^invalid checksum digest format$',
    '^invalid checksum digest length$',
  ].join('|'),
);

/** Strings built from the reference alphabet, so that a good share of them parse. */
const referenceish = fc.string({
  unit: fc.constantFrom(...'abcxyz019AZ._-__:/@[]'.split(''), 'sha256:', 'sha512:', 'f'.repeat(32), 'localhost', 'docker.io', 'index.docker.io'),
  maxLength: 12,
});

/** Strings matching (a superset of) the reference grammar. */
const grammatical = fc.stringMatching(
  /^(?:(?:[a-zA-Z0-9]{1,3}(?:\.[a-z0-9]{1,3}){0,2}|localhost|index\.docker\.io|docker\.io|\[[a-f0-9]{0,4}:[a-f0-9:]{0,4}\])(?::[0-9]{1,4})?\/)?[a-z0-9]{1,3}(?:(?:[._]|__|-+)[a-z0-9]{1,3}){0,2}(?:\/[a-z0-9]{1,3}){0,2}(?::[\w][\w.-]{0,5})?(?:@sha256:[a-f0-9]{64})?$/,
);

function checkResult(input: string): void {
  const r = parseImage(input);
  if (r.ok) {
    const { domain, path, name, tag, digest } = r.ref;
    if (domain !== '') expect(name).toBe(`${domain}/${path}`);
    else expect(name).toBe(path);
    expect(path.length).toBeLessThanOrEqual(255);
    expect(tag !== undefined || digest !== undefined).toBe(true);
  } else {
    expect(r.reason).toMatch(KNOWN_REASON);
    expect(r.error).toBe(`couldn't parse image name ${goQuote(input)}: ${r.reason}`);
    expect(r.eventMessage).toBe(`Failed to apply default image tag ${goQuote(input)}: ${r.error}`);
  }
}

describe('properties', () => {
  it('parseImage never throws and returns a well-formed result (fc.string)', () => {
    fc.assert(fc.property(fc.string(), (s) => checkResult(s)), { numRuns: 2000 });
  });

  it('parseImage never throws and returns a well-formed result (graphemes, binary, long)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => checkResult(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => checkResult(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ minLength: 200, maxLength: 2000 }), (s) => checkResult(s)), { numRuns: 100 });
  });

  it('parseImage never throws on reference-shaped strings', () => {
    fc.assert(fc.property(referenceish, (s) => checkResult(s)), { numRuns: 3000 });
  });

  it('successful parses have name === domain + "/" + path, and re-parsing the canonical form is stable', () => {
    let parsed = 0;
    let withDomain = 0;
    fc.assert(
      fc.property(fc.oneof(grammatical, referenceish), (s) => {
        const r = parseImage(s);
        if (!r.ok) return;
        parsed += 1;
        const { domain, path, name, tag, digest } = r.ref;
        if (domain !== '') {
          withDomain += 1;
          expect(name).toBe(`${domain}/${path}`);
        }
        const canonical = name + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
        const again = parseImage(canonical);
        expect(again).toStrictEqual({ ok: true, ref: r.ref });
      }),
      { numRuns: 3000 },
    );
    // the generators must actually exercise the success path
    expect(parsed).toBeGreaterThan(1000);
    expect(withDomain).toBeGreaterThan(1000);
  });

  it('every string of the reference grammar parses, and the legacy Docker Hub domain never survives', () => {
    fc.assert(
      fc.property(grammatical, (s) => {
        const r = parseImage(s);
        if (!r.ok) throw new Error(`${JSON.stringify(s)} did not parse: ${r.reason}`);
        expect(r.ref.domain).not.toBe('index.docker.io');
        if (r.ref.domain === 'docker.io') expect(r.ref.path).toContain('/');
        if (s.startsWith('index.docker.io/')) expect(r.ref.domain).toBe('docker.io');
      }),
      { numRuns: 2000 },
    );
  });

  it('goQuote round-trips through a Go unquoter and emits no raw control or format characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string()), (s) => {
        const q = goQuote(s);
        // Go holds U+FFFD where JS has a lone surrogate
        expect(goUnquote(q)).toBe(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
        expect(q).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('effectivePullPolicy agrees with the parsed tag', () => {
    fc.assert(
      fc.property(fc.oneof(grammatical, referenceish), (s) => {
        const r = parseImage(s);
        const expected = r.ok && r.ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
        expect(effectivePullPolicy(s)).toBe(expected);
        expect(effectivePullPolicy(s, 'Never')).toBe('Never');
      }),
      { numRuns: 1000 },
    );
  });

  it('handles long pathological inputs quickly', () => {
    const inputs = [
      `${'a'.repeat(50_000)}!`,
      `${'a-'.repeat(25_000)}!`,
      `x/${'a-a'.repeat(15_000)}!`,
      `${'a.'.repeat(25_000)}/x!`,
      `ex.com/${'a_'.repeat(25_000)}A`,
    ];
    const start = performance.now();
    for (const s of inputs) expect(parseImage(s).ok).toBe(false);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
