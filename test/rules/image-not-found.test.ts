import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer, probe } from '../helpers/runtime.js';
import { expectQuietTwin, fixture, scanOnly } from '../helpers/scan.js';

const RULE = 'image-not-found';
const IMG = 'quay.io/acme/inventory-api:1.9.3';
const DIGEST = 'sha256:8184092486c345c2b757f366f146218a115e5d7a92b481cb76257358653ec852';

describe(RULE, () => {
  it('a status with a stray running member beside the waiting one (the API allows one) is read by its waiting reason', async () => {
    const file = variant(RULE, 'fires.yaml', [["        waiting:\n", "        running:\n          startedAt: ''\n        waiting:\n"]]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.image).toBe(IMG);
  });

  it('reads events.k8s.io/v1 events and says the tag is missing from an existing repository', async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.message).toContain('repository quay.io/acme/inventory-api exists but has no tag "1.9.3"');
    expect(f.message).toContain('manifest unknown');
    expect(f.evidence.find((e) => e.source === 'event')?.count).toBe(16);
    const rem = f.remediation.join('\n');
    expect(rem).toContain('crane ls quay.io/acme/inventory-api');
    expect(rem).toContain('skopeo list-tags docker://quay.io/acme/inventory-api');
    expect(rem).toContain("kubectl set image deployment/inventory-api api='quay.io/acme/inventory-api:<existing-tag>' -n inventory");
    expect(f.unverified.join(' ')).toContain('may exist but be private');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('a probe that hit a TLS error keeps the "may be private" caveat and adds why the probe could not confirm', async () => {
    const detail = 'x509: certificate signed by unknown authority (from this machine; trust the CA with --registry-ca)';
    const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { api: probe('tls-error', [{ credential: 'anonymous', outcome: 'tls-error', detail }], 'quay.io') } });
    expect(f.confidence).toBe('likely');
    expect(f.unverified.join(' ')).toContain('may exist but be private');
    expect(f.unverified).toContain(`The registry probe from workstation (test) could not confirm this: the attempt with an anonymous request ended in tls-error: ${detail}.`);
    expect(f.message).not.toMatch(/ {2}/);
  });

  it('is confirmed by a probe that finds no such tag', async () => {
    const { f } = await scanOnly(RULE, [fixture(RULE)], {
      probes: { api: probe('tag-not-found', [{ credential: 'anonymous', outcome: 'tag-not-found', detail: 'MANIFEST_UNKNOWN', httpStatus: 404 }], 'quay.io') },
    });
    expect(f.confidence).toBe('confirmed');
    expect(f.unverified).toEqual([]);
  });

  it('for a digest reference: the digest no longer exists', async () => {
    const file = variant(RULE, 'fires.yaml', [
      [IMG, `quay.io/acme/inventory-api@${DIGEST}`],
      ['reading manifest 1.9.3 in', `reading manifest ${DIGEST} in`],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain(`no manifest with digest ${DIGEST}`);
    expect(f.message).toContain('the digest no longer exists');
    expect(f.remediation.join('\n')).toContain("crane digest 'quay.io/acme/inventory-api:<tag>'");
  });

  it("containerd's bare 'not found' does not say whether the tag or the repository is missing", async () => {
    const file = variant(RULE, 'fires.yaml', [
      [
        `initializing source docker://${IMG}: reading manifest 1.9.3 in quay.io/acme/inventory-api: manifest unknown`,
        `rpc error: code = NotFound desc = failed to pull and unpack image "${IMG}": failed to resolve reference "${IMG}": ${IMG}: not found`,
      ],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('either the repository quay.io/acme/inventory-api or its tag "1.9.3" does not exist');
    expect(f.confidence).toBe('likely');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
