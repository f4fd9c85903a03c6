import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDefaultRegistryMatch } from '../src/credentials/keyring.js';
import { normalizeKey, urlsMatch } from '../src/credentials/keys.js';
import { explainMisses, levenshtein, type MissExplanation } from '../src/credentials/miss.js';

const entry = (registryKey: string, secret = 'regcred') => ({ secret, registryKey, normalizedKey: normalizeKey(registryKey).key });
const one = (key: string, repo: string): MissExplanation => {
  const r = explainMisses([entry(key)], repo);
  expect(r).toHaveLength(1);
  return r[0]!;
};
/** Would the kubelet use this raw key for the image (directly or via the Docker Hub fallback)? */
const works = (rawKey: string, repo: string): boolean => {
  const k = normalizeKey(rawKey).key;
  return k !== null && (urlsMatch(k, repo) || (k === 'index.docker.io' && isDefaultRegistryMatch(repo)));
};

describe('explainMisses reasons', () => {
  it.each<[string, string, MissExplanation['reason'], string | undefined, number, RegExp]>([
    ['registry.example.com:5000', 'registry.example.com/app', 'port', 'registry.example.com', 1, /names port 5000 but the image `registry.example.com\/app` has no port; the kubelet compares ports as strings/],
    ['registry.example.com:443', 'registry.example.com/app', 'port', 'registry.example.com', 1, /:443 is not treated as the HTTPS default/],
    ['registry.example.com', 'registry.example.com:5000/app', 'port', 'registry.example.com:5000', 1, /has no port but the image .* uses port 5000/],
    ['r.io:5001', 'r.io:5000/app', 'port', 'r.io:5000', 1, /names port 5001 but the image `r.io:5000\/app` uses port 5000/],
    ['HTTPS://registry.example.com', 'registry.example.com/app', 'scheme', 'registry.example.com', 1, /starts with `HTTPS:\/\/`; the kubelet only strips a lower-case/],
    ['oci://registry.example.com', 'registry.example.com/app', 'scheme', 'registry.example.com', 1, /`oci:\/\/`/],
    ['HTTPS://r.io:5000', 'r.io/app', 'scheme', 'r.io', 2, /HTTPS.*; also key `r.io:5000` names port 5000/],
    ['https://index.docker.io/v1', 'docker.io/library/nginx', 'v1-no-slash', 'https://index.docker.io/v1/', 1, /ends in `\/v1` without a trailing slash/],
    ['r.io/v2', 'r.io/team/app', 'v1-no-slash', 'r.io', 1, /`\/v2`/],
    ['r.io/team-a', 'r.io/team-b/app', 'path-prefix', 'r.io', 2, /only covers repositories whose path starts with `\/team-a`/],
    ['docker.io/nginx', 'docker.io/library/nginx', 'path-prefix', 'docker.io', 2, /`\/nginx`/],
    ['r.io/team/', 'r.io/team', 'trailing-slash', 'r.io/team', 1, /ends with a slash/],
    ['*.example.com', 'a.b.example.com/x', 'wildcard-depth', '*.*.example.com', 2, /matches exactly one DNS label; the key host has 3 labels, the image host `a.b.example.com` has 4/],
    ['*.*.example.com', 'b.example.com/x', 'wildcard-depth', '*.example.com', 2, /has 4 labels/],
    ['Registry.Example.com', 'registry.example.com/x', 'letter-case', 'registry.example.com', 1, /only in letter case/],
    ['registry-1.docker.io', 'docker.io/library/nginx', 'registry-1-docker-io', 'https://index.docker.io/v1/', 1, /only matches images written as `registry-1.docker.io\/…`/],
    ['https://index.docker.io/v1/', 'quay.io/team/app', 'docker-hub-key-for-other-registry', 'quay.io', 5, /Docker Hub credential but the image is on `quay.io`/],
    ['docker.io', 'registry-1.docker.io/library/nginx', 'docker-hub-key-for-other-registry', 'registry-1.docker.io', 5, /does not treat as Docker Hub/],
    ['regsitry.example.com', 'registry.example.com/x', 'typo', 'registry.example.com', 3, /2 edits away/],
    ['registry.exmple.com', 'registry.example.com/x', 'typo', 'registry.example.com', 2, /1 edit away/],
    ['my registry.io', 'myregistry.io/x', 'unparsable-key', 'myregistry.io', 2, /never used: Go url.Parse rejects it .*invalid character " " in host name/],
    ['myregistry.io:*', 'myregistry.io/x', 'unparsable-key', 'myregistry.io', 2, /invalid port ":\*" after host/],
    ['quay.io', 'registry.example.com/x', 'different-registry', 'registry.example.com', 27, /is for registry `quay.io`, the image `registry.example.com\/x` is on `registry.example.com`/],
  ])('%s for %s → %s', (key, repo, reason, suggestedKey, distance, detail) => {
    const m = one(key, repo);
    expect(m.reason).toBe(reason);
    expect(m.suggestedKey).toBe(suggestedKey);
    expect(m.distance).toBe(distance);
    expect(m.detail).toMatch(detail);
    expect(m.registryKey).toBe(key);
    expect(m.secret).toBe('regcred');
    if (suggestedKey !== undefined) expect(works(suggestedKey, repo)).toBe(true);
  });

  it('an unparsable key that no cleaning rescues has no suggestion and a large distance', () => {
    const m = one('other registry.io', 'quay.io/x');
    expect(m).toMatchObject({ reason: 'unparsable-key', normalizedKey: null, distance: 20 });
    expect(m.suggestedKey).toBeUndefined();
  });

  it('leaves out keys the kubelet uses, including the Docker Hub fallback key', () => {
    expect(explainMisses([entry('registry.example.com'), entry('https://index.docker.io/v1/')], 'registry.example.com/app')).toHaveLength(1);
    expect(explainMisses([entry('https://index.docker.io/v1/'), entry('docker.io')], 'docker.io/library/nginx')).toEqual([]);
    expect(explainMisses([], 'r.io/x')).toEqual([]);
  });

  it('sorts nearest first, then by secret and key', () => {
    const r = explainMisses(
      [entry('quay.io', 'a'), entry('registry.example.com:5000', 'b'), entry('Registry.example.com', 'a'), entry('regstry.example.com/team', 'c')],
      'registry.example.com/app',
    );
    expect(r.map((m) => [m.secret, m.reason, m.distance])).toEqual([
      ['a', 'letter-case', 1],
      ['b', 'port', 1],
      ['c', 'typo', 4],
      ['a', 'different-registry', 27],
    ]);
  });

  it('levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom('5000', '443', '80'))).map(
    ([ls, port]) => ls.join('.') + (port === null ? '' : `:${port}`),
  );
  const repo = fc.tuple(host, fc.stringMatching(/^[a-z0-9]{1,6}(\/[a-z0-9]{1,6}){0,2}$/)).map(([h, p]) => `${h.includes('.') || h.includes(':') ? h : h + '.io'}/${p}`);
  const key = fc.oneof(
    host,
    fc.tuple(fc.constantFrom('', 'https://', 'http://', 'HTTPS://', 'oci://'), host, fc.constantFrom('', '/', '/v1', '/v1/', '/team', '/team/')).map((t) => t.join('')),
    fc.string(),
    fc.constantFrom('https://index.docker.io/v1/', 'docker.io', 'registry-1.docker.io', '*.io', 'my registry.io'),
  );

  it('never throws, excludes matching keys, and every suggested key works', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 5 }), fc.oneof(repo, fc.constant('docker.io/library/nginx')), (keys, image) => {
        const r = explainMisses(keys.map((k) => entry(k)), image);
        for (const m of r) {
          expect(works(m.registryKey, image)).toBe(false);
          if (m.suggestedKey !== undefined) expect(works(m.suggestedKey, image), `${m.registryKey} → ${m.suggestedKey}`).toBe(true);
        }
        for (let i = 1; i < r.length; i++) expect(r[i]!.distance).toBeGreaterThanOrEqual(r[i - 1]!.distance);
        expect(r.length).toBe(keys.filter((k) => !works(k, image)).length);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ secret: fc.string(), registryKey: fc.string({ unit: 'binary' }), normalizedKey: fc.option(fc.string()) })), fc.string(), (entries, image) => {
        expect(Array.isArray(explainMisses(entries, image))).toBe(true);
      }),
    );
  });
});
