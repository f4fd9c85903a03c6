import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAuthField, parsePullSecret } from '../src/credentials/dockerconfig.js';
import { goBase64Decode } from '../src/go/base64.js';
import { goJsonCheckValid } from '../src/go/json-scanner.js';
import { Keyring } from '../src/credentials/keyring.js';
import { reveal, sealSecretData } from '../src/credentials/vault.js';
import type { SecretObject } from '../src/model/kube.js';

const JSON_TYPE = 'kubernetes.io/dockerconfigjson';
const CFG_TYPE = 'kubernetes.io/dockercfg';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** A Secret as a source builds it: `data` values base64, sealed by the vault. */
function secret(type: string | undefined, data: Record<string, string>, name = 'regcred'): SecretObject {
  const enc = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  const obj: SecretObject = { metadata: { name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, ...sealSecretData(enc) };
  if (type !== undefined) obj.type = type;
  return obj;
}
const jsonSecret = (body: unknown, name?: string): SecretObject =>
  secret(JSON_TYPE, { '.dockerconfigjson': typeof body === 'string' ? body : JSON.stringify(body) }, name);
const cfgSecret = (body: unknown, name?: string): SecretObject =>
  secret(CFG_TYPE, { '.dockercfg': typeof body === 'string' ? body : JSON.stringify(body) }, name);
const creds = (p: ReturnType<typeof parsePullSecret>): { key: string; username: string; password: string }[] =>
  p.entries.map((e) => ({ key: e.registryKey, ...reveal(e.credential) }));

describe('secrets_test.go Test_MakeDockerKeyring (pod-secret keyring, unioned with a default keyring)', () => {
  type Auth = { username: string; password: string };
  const user: Auth = { username: 'user', password: 'password' };
  const def: Auth = { username: 'default-user', password: 'default-password' };
  const authField = '{"auth": "dXNlcjpwYXNzd29yZA=="}';
  const upField = '{"username": "user", "password": "password"}';
  // MakeDockerKeyring: no qualifying secret → the default keyring itself; else Union{secrets, default}.
  function makeAndLookup(secrets: SecretObject[], image: string, defaultKeyring: { auth: Auth[]; ok: boolean }) {
    const parsed = secrets.map(parsePullSecret);
    if (!parsed.some((p) => p.format !== null)) return { auths: defaultKeyring.auth, found: defaultKeyring.ok };
    const fromSecrets = Keyring.fromSecrets(parsed).lookup(image).credentials.map((c) => reveal(c.credential));
    const auths = [...fromSecrets, ...defaultKeyring.auth];
    return { auths, found: auths.length > 0 };
  }
  const cases: { name: string; secrets: SecretObject[]; def: { auth: Auth[]; ok: boolean }; auths: Auth[]; found: boolean }[] = [
    { name: 'with .dockerconfigjson and auth field', secrets: [secret(JSON_TYPE, { '.dockerconfigjson': `{"auths": {"test.registry.io": ${authField}}}` })], def: { auth: [], ok: false }, auths: [user], found: true },
    { name: 'with .dockerconfig and auth field', secrets: [secret(CFG_TYPE, { '.dockercfg': `{"test.registry.io": ${authField}}` })], def: { auth: [], ok: false }, auths: [user], found: true },
    { name: 'with .dockerconfigjson and username/password fields', secrets: [secret(JSON_TYPE, { '.dockerconfigjson': `{"auths": {"test.registry.io": ${upField}}}` })], def: { auth: [], ok: false }, auths: [user], found: true },
    { name: 'with .dockerconfig and username/password fields', secrets: [secret(CFG_TYPE, { '.dockercfg': `{"test.registry.io": ${upField}}` })], def: { auth: [], ok: false }, auths: [user], found: true },
    { name: 'with .dockerconfigjson but with wrong Secret Type', secrets: [secret(CFG_TYPE, { '.dockerconfigjson': `{"auths": {"test.registry.io": ${authField}}}` })], def: { auth: [], ok: false }, auths: [], found: false },
    { name: 'with .dockerconfig but with wrong Secret Type', secrets: [secret(JSON_TYPE, { '.dockercfg': `{"test.registry.io": ${authField}}` })], def: { auth: [], ok: false }, auths: [], found: false },
    { name: 'with not matching .dockerconfigjson and default keyring', secrets: [secret(JSON_TYPE, { '.dockerconfigjson': `{"auths": {"foobar.io": ${authField}}}` })], def: { auth: [def], ok: true }, auths: [def], found: true },
    { name: 'with not matching .dockerconfig and default keyring', secrets: [secret(CFG_TYPE, { '.dockercfg': `{"foobar.io": ${authField}}` })], def: { auth: [def], ok: true }, auths: [def], found: true },
    { name: 'with no pull secrets but has default keyring', secrets: [], def: { auth: [def], ok: false }, auths: [def], found: false },
    { name: 'with pull secrets and has default keyring', secrets: [secret(JSON_TYPE, { '.dockerconfigjson': `{"auths": {"test.registry.io": ${authField}}}` })], def: { auth: [def], ok: true }, auths: [user, def], found: true },
  ];
  it.each(cases)('$name', (tc) => {
    const got = makeAndLookup(tc.secrets, 'test.registry.io', tc.def);
    expect(got.auths).toEqual(tc.auths);
    expect(got.found).toBe(tc.found);
  });
});

describe('§3.1 type and data-key filter', () => {
  it('reads .dockerconfigjson of a dockerconfigjson secret, with metadata', () => {
    const p = parsePullSecret(jsonSecret({ auths: { 'r.io': { username: 'u', password: 'p' } } }, 'pull'));
    expect(p).toMatchObject({ name: 'pull', namespace: 'default', type: JSON_TYPE, createdAt: '2024-01-01T00:00:00Z', format: 'dockerconfigjson' });
    expect(p.ignoredReason).toBeUndefined();
    expect(p.error).toBeUndefined();
  });
  it('reads .dockercfg of a dockercfg secret', () => {
    expect(parsePullSecret(cfgSecret({ 'r.io': { username: 'u' } })).format).toBe('dockercfg');
  });
  it.each([
    [secret('Opaque', { '.dockerconfigjson': '{"auths":{}}' }), 'type Opaque is not read by the kubelet'],
    [secret(undefined, { '.dockerconfigjson': '{"auths":{}}' }), 'type Opaque is not read by the kubelet'],
    [secret(JSON_TYPE, { '.dockercfg': '{}' }), 'type kubernetes.io/dockerconfigjson but no .dockerconfigjson data key (has: .dockercfg)'],
    [secret(CFG_TYPE, { '.dockerconfigjson': '{}' }), 'type kubernetes.io/dockercfg but no .dockercfg data key (has: .dockerconfigjson)'],
    [secret(JSON_TYPE, {}), 'type kubernetes.io/dockerconfigjson but no .dockerconfigjson data key (has: none)'],
    [secret(JSON_TYPE, { '.dockerconfigjson': '' }), 'type kubernetes.io/dockerconfigjson but the .dockerconfigjson data is empty'],
  ])('silently ignores %#', (s, reason) => {
    const p = parsePullSecret(s);
    expect(p.format).toBeNull();
    expect(p.ignoredReason).toBe(reason);
    expect(p.error).toBeUndefined();
    expect(p.entries).toEqual([]);
  });
  it('reads stringData sealed by the vault', () => {
    const obj: SecretObject = {
      metadata: { name: 's', namespace: 'ns' },
      type: JSON_TYPE,
      ...sealSecretData(undefined, { '.dockerconfigjson': '{"auths":{"r.io":{"auth":"dTpw"}}}' }),
    };
    expect(creds(parsePullSecret(obj))).toEqual([{ key: 'r.io', username: 'u', password: 'p' }]);
  });
  it('reports data that is not valid base64 (never stored by the API server)', () => {
    const obj: SecretObject = { metadata: { name: 's', namespace: 'ns' }, type: JSON_TYPE, ...sealSecretData({ '.dockerconfigjson': 'eyJ!' }) };
    const p = parsePullSecret(obj);
    expect(p.error).toMatch(/^the \.dockerconfigjson data is not valid base64 \(illegal base64 data at input byte 3\)/);
    expect(p.entries).toEqual([]);
  });
});

describe('config_test.go decoding', () => {
  it('TestDockerConfigJsonJSONDecode: wrapped format', () => {
    const p = parsePullSecret(
      jsonSecret(`{"auths": {"http://foo.example.com":{"username": "foo", "password": "bar", "email": "foo@example.com"}, "http://bar.example.com":{"username": "bar", "password": "baz", "email": "bar@example.com"}}}`),
    );
    expect(creds(p)).toEqual([
      { key: 'http://bar.example.com', username: 'bar', password: 'baz' },
      { key: 'http://foo.example.com', username: 'foo', password: 'bar' },
    ]);
  });
  it('TestDockerConfigJSONDecode: legacy format', () => {
    const p = parsePullSecret(
      cfgSecret(`{"http://foo.example.com":{"username": "foo", "password": "bar", "email": "foo@example.com"}, "http://bar.example.com":{"username": "bar", "password": "baz", "email": "bar@example.com"}}`),
    );
    expect(creds(p).map((c) => c.username)).toEqual(['bar', 'foo']);
  });
  it.each([
    ['{"username": "foo", "password": "bar", "email": "foo@example.com"}', { username: 'foo', password: 'bar' }, undefined],
    ['{"auth": "Zm9vOmJhcg==", "email": "foo@example.com"}', { username: 'foo', password: 'bar' }, undefined],
    ['{"username": "foo", "password": "bar", "auth": "cGluZzpwb25n", "email": "foo@example.com"}', { username: 'ping', password: 'pong' }, undefined],
    ['{"auth": "pants", "email": "foo@example.com"}', null, 'illegal base64 data at input byte 4'],
    ['{"email": false}', null, 'json: cannot unmarshal bool into Go struct field dockerConfigEntryWithAuth.email of type string'],
  ])('TestDockerConfigEntryJSONDecode %s', (entry, want, error) => {
    const p = parsePullSecret(cfgSecret(`{"r.io": ${entry}}`));
    expect(p.error).toBe(error);
    if (want) expect(creds(p)).toEqual([{ key: 'r.io', ...want }]);
    else expect(p.entries).toEqual([]);
  });
});

describe('§3.7 auth decoding (decodeDockerConfigFieldAuth)', () => {
  it.each([
    // TestDecodeDockerConfigFieldAuth
    ['Zm9vOmJhcg==', 'foo', 'bar', undefined],
    ['cGFudHM=', '', '', 'unable to parse auth field, must be formatted as base64(username:password)'],
    ['pants', '', '', 'illegal base64 data at input byte 4'],
    // padded vs unpadded (current kubelet: RawStdEncoding unless the trimmed value ends in '=')
    ['Zm9vOmJhcg', 'foo', 'bar', undefined],
    ['Zm9vOmJhcg=', '', '', 'illegal base64 data at input byte 11'],
    ['Zm9vOmJhcg==\n', 'foo', 'bar', undefined],
    ['Zm9vOmJh\ncg==', 'foo', 'bar', undefined],
    ['Zm9vOmJhcg== ', '', '', 'illegal base64 data at input byte 12'],
    [' Zm9vOmJhcg==', '', '', 'illegal base64 data at input byte 0'],
    ['Zm9vOmJhcg-_', '', '', 'illegal base64 data at input byte 10'],
    ['Zm9vO', '', '', 'illegal base64 data at input byte 4'],
    ['Zm9v!mJhcg==', '', '', 'illegal base64 data at input byte 4'],
    ['=Zm9v', '', '', 'illegal base64 data at input byte 0'],
    ['Zm9vOmJhcg==Zm9v', '', '', 'illegal base64 data at input byte 10'],
    ['Zm9vOmJhcg=x', '', '', 'illegal base64 data at input byte 10'],
    [b64('user:pa:ss'), 'user', 'pa:ss', undefined],
    [b64(':secret'), '', 'secret', undefined],
    [b64('user:'), 'user', '', undefined],
  ])('%j', (auth, username, password, error) => {
    const r = decodeAuthField(auth);
    if (error === undefined) expect(r).toEqual({ ok: true, username, password });
    else expect(r).toEqual({ ok: false, error });
  });

  it('goBase64Decode agrees with Node on valid padded input and decodes raw input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const std = Buffer.from(bytes).toString('base64');
        const r = goBase64Decode(Buffer.from(std), true);
        expect(r.ok && Buffer.compare(r.bytes, Buffer.from(bytes)) === 0).toBe(true);
        const raw = goBase64Decode(Buffer.from(std.replace(/=+$/, '')), false);
        expect(raw.ok && Buffer.compare(raw.bytes, Buffer.from(bytes)) === 0).toBe(true);
      }),
    );
  });

  it('auth overrides explicit username/password; authOverrodeExplicit only when they differ', () => {
    const p = parsePullSecret(
      jsonSecret({
        auths: {
          a: { username: 'foo', password: 'bar', auth: b64('ping:pong') },
          b: { username: 'ping', password: 'pong', auth: b64('ping:pong') },
          c: { auth: b64('ping:pong') },
          d: { username: 'x', password: 'y' },
        },
      }),
    );
    expect(p.entries.map((e) => [e.registryKey, e.username, e.authPresent, e.authOverrodeExplicit])).toEqual([
      ['a', 'ping', true, true],
      ['b', 'ping', true, false],
      ['c', 'ping', true, false],
      ['d', 'x', false, false],
    ]);
  });
});

describe('§3.5 Go encoding/json semantics and error texts', () => {
  it.each([
    [JSON_TYPE, '{"auths": {"r.io": {"auth": 123}}}', 'json: cannot unmarshal number into Go struct field DockerConfigJSON.auths.auth of type string', 'r.io'],
    [CFG_TYPE, '{"r.io": {"auth": 123}}', 'json: cannot unmarshal number into Go struct field dockerConfigEntryWithAuth.auth of type string', 'r.io'],
    [JSON_TYPE, '{"auths": {"r.io": {"password": {"x": 1}}}}', 'json: cannot unmarshal object into Go struct field DockerConfigJSON.auths.password of type string', 'r.io'],
    [JSON_TYPE, '{"auths": {"r.io": {"username": ["a"]}}}', 'json: cannot unmarshal array into Go struct field DockerConfigJSON.auths.username of type string', 'r.io'],
    [JSON_TYPE, '{"auths": "x"}', 'json: cannot unmarshal string into Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig', undefined],
    [JSON_TYPE, '{"auths": [1]}', 'json: cannot unmarshal array into Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig', undefined],
    [JSON_TYPE, '{"auths": {"r.io": "x"}}', 'json: cannot unmarshal string into Go struct field DockerConfigJSON.auths of type credentialprovider.dockerConfigEntryWithAuth', 'r.io'],
    [CFG_TYPE, '{"r.io": true}', 'json: cannot unmarshal bool into Go value of type credentialprovider.dockerConfigEntryWithAuth', 'r.io'],
    [JSON_TYPE, '[]', 'json: cannot unmarshal array into Go value of type credentialprovider.DockerConfigJSON', undefined],
    [JSON_TYPE, '"x"', 'json: cannot unmarshal string into Go value of type credentialprovider.DockerConfigJSON', undefined],
    [CFG_TYPE, '42', 'json: cannot unmarshal number into Go value of type credentialprovider.DockerConfig', undefined],
    [JSON_TYPE, '{"auths": {}, "HttpHeaders": {"X": 1}}', 'json: cannot unmarshal number into Go struct field DockerConfigJSON.HttpHeaders of type string', undefined],
    [JSON_TYPE, '{"auths": {}, "HttpHeaders": "x"}', 'json: cannot unmarshal string into Go struct field DockerConfigJSON.HttpHeaders of type map[string]string', undefined],
    // an error returned by an entry's UnmarshalJSON wins over an earlier saved type error
    [JSON_TYPE, '{"HttpHeaders": 1, "auths": {"r.io": {"auth": "!"}}}', 'illegal base64 data at input byte 0', 'r.io'],
    // the first saved type error wins
    [JSON_TYPE, '{"HttpHeaders": 1, "auths": 2}', 'json: cannot unmarshal number into Go struct field DockerConfigJSON.HttpHeaders of type map[string]string', undefined],
    // syntax errors come first (checkValid runs before decoding)
    [JSON_TYPE, '{"auths": {"r.io": {"auth": 1}}', 'unexpected end of JSON input', undefined],
    [JSON_TYPE, ' \n', 'unexpected end of JSON input', undefined],
    [JSON_TYPE, '{"auths": {"r.io": {"auth": "x",}}}', "invalid character '}' looking for beginning of object key string", undefined],
    [JSON_TYPE, "{'auths': 1}", "invalid character '\\'' looking for beginning of object key string", undefined],
    [JSON_TYPE, 'tru', "invalid character ' ' in literal true (expecting 'e')", undefined],
    [JSON_TYPE, 'nul!', "invalid character '!' in literal null (expecting 'l')", undefined],
    [JSON_TYPE, '{} x', "invalid character 'x' after top-level value", undefined],
    [JSON_TYPE, '{"a" 1}', "invalid character '1' after object key", undefined],
    [JSON_TYPE, '{"a": 1 "b": 2}', 'invalid character \'"\' after object key:value pair', undefined],
    [JSON_TYPE, '[1 2]', "invalid character '2' after array element", undefined],
    [JSON_TYPE, '{"a": 01}', "invalid character '1' after object key:value pair", undefined],
    [JSON_TYPE, '{"a": -x}', "invalid character 'x' in numeric literal", undefined],
    [JSON_TYPE, '{"a": 1.}', "invalid character '}' after decimal point in numeric literal", undefined],
    [JSON_TYPE, '{"a": 1e}', "invalid character '}' in exponent of numeric literal", undefined],
    [JSON_TYPE, '{"a": "\\x"}', "invalid character 'x' in string escape code", undefined],
    [JSON_TYPE, '{"a": "\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape", undefined],
    [JSON_TYPE, '{"a": "\t"}', "invalid character '\\t' in string literal", undefined],
    [JSON_TYPE, '\ufeff{}', "invalid character 'ï' looking for beginning of value", undefined],
    [JSON_TYPE, '{"auths": {"r.io": {}}}\u0000', "invalid character '\\x00' after top-level value", undefined],
  ])('%s %j', (type, body, error, errorKey) => {
    const p = parsePullSecret(secret(type, { [type === JSON_TYPE ? '.dockerconfigjson' : '.dockercfg']: body }));
    expect(p.error).toBe(error);
    expect(p.errorKey).toBe(errorKey);
    expect(p.format).toBe(type === JSON_TYPE ? 'dockerconfigjson' : 'dockercfg');
  });

  it('rejects nesting deeper than 10000 like Go, without overflowing the stack', () => {
    expect(goJsonCheckValid(Buffer.from('['.repeat(10001)))).toBe("invalid character '[' exceeded max depth");
    const deep = '{"auths": {"r.io": {"username": "u"}}, "x": ' + '['.repeat(9000) + ']'.repeat(9000) + '}';
    expect(creds(parsePullSecret(jsonSecret(deep)))).toEqual([{ key: 'r.io', username: 'u', password: '' }]);
  });

  it('matches field names case-insensitively, including Go folding of ſ', () => {
    const p = parsePullSecret(jsonSecret('{"AUTHS": {"r.io": {"USERNAME": "u", "PassWord": "p"}, "q.io": {"uſername": "v"}}}'));
    expect(creds(p)).toEqual([
      { key: 'q.io', username: 'v', password: '' },
      { key: 'r.io', username: 'u', password: 'p' },
    ]);
  });

  it('keeps the last duplicate key, merges repeated auths members, resets on auths null', () => {
    const dup = parsePullSecret(jsonSecret('{"auths": {"r.io": {"username": "a"}, "r.io": {"username": "b"}}}'));
    expect(creds(dup)).toEqual([{ key: 'r.io', username: 'b', password: '' }]);
    const merged = parsePullSecret(jsonSecret('{"auths": {"a.io": {"username": "a"}}, "Auths": {"b.io": {"username": "b"}}}'));
    expect(creds(merged).map((c) => c.key)).toEqual(['a.io', 'b.io']);
    const reset = parsePullSecret(jsonSecret('{"auths": {"a.io": {"username": "a"}}, "auths": null}'));
    expect(reset.entries).toEqual([]);
    expect(reset.missingAuthsWrapper).toBe(false);
    const fieldDup = parsePullSecret(jsonSecret('{"auths": {"r.io": {"username": "a", "Username": "b", "username": null}}}'));
    expect(creds(fieldDup)[0]!.username).toBe('b');
  });

  it('decodes an entry given as null to an empty, unusable credential', () => {
    const p = parsePullSecret(jsonSecret('{"auths": {"r.io": null}}'));
    expect(p.entries).toHaveLength(1);
    expect(p.entries[0]).toMatchObject({ username: '', hasPassword: false, usable: false, fingerprint: 'empty' });
  });

  it('decodes strings like Go: escapes, surrogate pairs, lone surrogates and invalid UTF-8 become U+FFFD', () => {
    const p = parsePullSecret(jsonSecret('{"auths": {"r.io": {"username": "\\ud83d\\ude00\\ud800x\\u00e9\\n"}}}'));
    expect(p.entries[0]!.username).toBe('\u{1F600}\ufffdx\u00e9\n');
    const raw = Buffer.concat([Buffer.from('{"auths": {"r.io": {"username": "a'), Buffer.from([0xff, 0xc3]), Buffer.from('b"}}}')]);
    const obj: SecretObject = { metadata: { name: 's', namespace: 'n' }, type: JSON_TYPE, ...sealSecretData({ '.dockerconfigjson': raw.toString('base64') }) };
    expect(parsePullSecret(obj).entries[0]!.username).toBe('a\ufffd\ufffdb');
  });
});

describe('§3.4 / §3.6 wrapper and entry fields', () => {
  it('a legacy-format .dockerconfigjson yields zero credentials and no error', () => {
    const p = parsePullSecret(jsonSecret({ 'registry.example.com': { auth: b64('u:p') } }));
    expect(p).toMatchObject({ format: 'dockerconfigjson', missingAuthsWrapper: true, entries: [], topLevelKeys: ['registry.example.com'] });
    expect(p.error).toBeUndefined();
  });
  it('reports Docker Desktop members and keeps auths', () => {
    const p = parsePullSecret(jsonSecret({ auths: { 'https://index.docker.io/v1/': {} }, credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' } }));
    expect(p.missingAuthsWrapper).toBe(false);
    expect(p.topLevelKeys).toEqual(['credsStore', 'credHelpers']);
    expect(p.entries[0]).toMatchObject({ registryKey: 'https://index.docker.io/v1/', normalizedKey: 'index.docker.io', usable: false });
  });
  it('a .dockercfg with an auths wrapper yields one bogus key "auths"', () => {
    const p = parsePullSecret(cfgSecret({ auths: { 'r.io': { auth: b64('u:p') } } }));
    expect(p.entries.map((e) => [e.registryKey, e.username, e.usable, e.ignoredFields])).toEqual([['auths', '', false, ['r.io']]]);
  });
  it('lists identitytoken, registrytoken, serveraddress as ignored', () => {
    const p = parsePullSecret(
      jsonSecret({ auths: { 'r.io': { identitytoken: 't', RegistryToken: 'r', serveraddress: 'https://r.io', email: 'e@x' } } }),
    );
    expect(p.entries[0]).toMatchObject({ ignoredFields: ['identitytoken', 'RegistryToken', 'serveraddress'], usable: false, hasPassword: false });
  });
  it('sorts entries by raw key byte-wise and normalises each key', () => {
    const p = parsePullSecret(jsonSecret({ auths: { 'b.io': {}, 'https://a.io/v2/': {}, 'B.io': {}, 'my registry.io': {} } }));
    expect(p.entries.map((e) => [e.registryKey, e.normalizedKey])).toEqual([
      ['B.io', 'B.io'],
      ['b.io', 'b.io'],
      ['https://a.io/v2/', 'a.io'],
      ['my registry.io', null],
    ]);
    expect(p.entries[3]!.skipReason).toContain('invalid character " " in host name');
  });
  it('on an entry error keeps the other entries for display and names the bad key', () => {
    const p = parsePullSecret(jsonSecret({ auths: { 'good.io': { auth: b64('u:p') }, 'bad.io': { auth: 'not base64!' } } }));
    expect(p.error).toBe('illegal base64 data at input byte 3');
    expect(p.errorKey).toBe('bad.io');
    expect(p.entries.map((e) => e.registryKey)).toEqual(['good.io']);
    expect(Keyring.fromSecrets([p]).keys()).toEqual([]);
  });
  it('fingerprints the password, never exposing it', () => {
    const a = parsePullSecret(jsonSecret({ auths: { 'r.io': { auth: b64('u:hunter2') } } })).entries[0]!;
    const b = parsePullSecret(cfgSecret({ 'q.io': { username: 'v', password: 'hunter2' } })).entries[0]!;
    expect(a.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.hasPassword).toBe(true);
  });
});

describe('properties', () => {
  const jsonish = fc.oneof(
    fc.json(),
    fc.string(),
    fc.stringMatching(/^[{}[\]":,\\ a-z0-9.\-+eE]*$/),
    fc
      .dictionary(
        fc.oneof(fc.constantFrom('auths', 'AUTHS', 'HttpHeaders', 'credsStore'), fc.string()),
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.string(),
            fc.oneof(
              fc.jsonValue(),
              fc.record({ auth: fc.oneof(fc.string(), fc.base64String(), fc.jsonValue()), username: fc.jsonValue(), password: fc.string() }, { requiredKeys: [] }),
            ),
          ),
        ),
      )
      .map((o) => JSON.stringify(o)),
  );

  it('parsePullSecret never throws on arbitrary base64 of arbitrary JSON-ish strings', () => {
    fc.assert(
      fc.property(fc.constantFrom(JSON_TYPE, CFG_TYPE, 'Opaque'), jsonish, (type, body) => {
        const p = parsePullSecret(secret(type, { '.dockerconfigjson': body, '.dockercfg': body }));
        expect(p.format === null || p.error !== undefined || Array.isArray(p.entries)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('parsePullSecret never throws on arbitrary data values (not base64, binary)', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array(), (raw, bytes) => {
        for (const v of [raw, Buffer.from(bytes).toString('base64')]) {
          const obj: SecretObject = { metadata: { name: 'x', namespace: 'y' }, type: JSON_TYPE, ...sealSecretData({ '.dockerconfigjson': v }) };
          expect(() => parsePullSecret(obj)).not.toThrow();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('goJsonCheckValid accepts exactly what JSON.parse accepts for ASCII input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.stringMatching(/^[{}[\]":,\\ a-z0-9.\-+]*$/)), (s) => {
        let jsOk = true;
        try {
          JSON.parse(s);
        } catch {
          jsOk = false;
        }
        expect(goJsonCheckValid(Buffer.from(s)) === null).toBe(jsOk);
      }),
      { numRuns: 500 },
    );
  });

  it('no output of a parsed secret contains the password or the auth value', () => {
    const password = fc.stringMatching(/^[A-Za-z0-9]{6,24}$/).map((s) => 'PW-' + s);
    fc.assert(
      fc.property(password, fc.stringMatching(/^[a-z]{1,8}$/), fc.boolean(), fc.boolean(), (pw, user, viaAuth, legacy) => {
        const entry = viaAuth ? { auth: b64(`${user}:${pw}`) } : { username: user, password: pw };
        const body = legacy ? { 'r.io': entry } : { auths: { 'r.io': entry, 'q.io': entry } };
        const p = parsePullSecret(legacy ? cfgSecret(body) : jsonSecret(body));
        expect(p.entries.length).toBeGreaterThan(0);
        const secretParts = [pw, b64(`${user}:${pw}`), b64(JSON.stringify(body))];
        for (const out of [JSON.stringify(p), String(p), inspect(p, { depth: null, showHidden: true }), `${p.entries[0]!.credential}`]) {
          for (const s of secretParts) expect(out).not.toContain(s);
        }
        expect(reveal(p.entries[0]!.credential).password).toBe(pw);
      }),
      { numRuns: 200 },
    );
  });
});
