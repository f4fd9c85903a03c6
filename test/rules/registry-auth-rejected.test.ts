import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer, probe } from '../helpers/runtime.js';
import { expectQuietTwin, fixture, only, rulesOf, scan, scanOnly } from '../helpers/scan.js';

const RULE = 'registry-auth-rejected';
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const PW = 'Fx-registry-auth-rejected-pw1';

describe(RULE, () => {
  it('names the secret, registry key and username the kubelet sent, and the expired ECR token', async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.container).toBe('ledger');
    expect(f.secret).toBe('ecr-pull');
    expect(f.message).toContain(`secret "ecr-pull" (registry key "${ECR}", username "AWS")`);
    expect(f.message).toContain('Amazon ECR token');
    // Ages read the same in every rule (short-lived-registry-token says "2d 5h ago" too).
    expect(f.message).toContain('expires after 12 h; the secret was created 2d 5h ago (2026-11-26T06:12:40Z)');
    expect(f.message).toContain('401 Unauthorized');
    expect(f.confidence).toBe('likely');
    expect(f.remediation.join('\n')).toContain('aws ecr get-login-password --region eu-west-1');
    expect(f.remediation.join('\n')).toContain('kubectl create secret docker-registry ecr-pull -n payments');
    // the secret exists: rewrite it with replace (apply would keep the token in last-applied-configuration)
    expect(f.remediation.join('\n')).toContain('--docker-password="$(aws ecr get-login-password --region eu-west-1)" --dry-run=client -o yaml | kubectl replace -n payments -f -');
    expect(f.remediation.join('\n')).not.toContain('apply -f -');
    expect(f.evidence.some((e) => e.source === 'secret' && e.detail.includes('created 2026-11-26T06:12:40Z'))).toBe(true);
    expectOneRuntimeFindingPerContainer(report);
  });

  it('never prints the password, in any form', async () => {
    const { report } = await scan([fixture(RULE)]);
    const json = JSON.stringify(report);
    expect(json).not.toContain(PW);
    expect(json).not.toContain(Buffer.from(`AWS:${PW}`).toString('base64'));
    expect(json).not.toContain(Buffer.from(PW).toString('base64').slice(0, 16));
  });

  it('is confirmed when a probe sees the registry reject that exact credential', async () => {
    const attempt = { credential: 'ecr-pull', registryKey: ECR, username: 'AWS', outcome: 'credentials-rejected' as const, detail: '401', httpStatus: 401 };
    const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { ledger: probe('credentials-rejected', [attempt], ECR) } });
    expect(f.confidence).toBe('confirmed');
    expect(f.evidence.some((e) => e.source === 'probe')).toBe(true);
  });

  it('stays likely and says so when the probe succeeds with the same credential', async () => {
    const attempt = { credential: 'ecr-pull', registryKey: ECR, username: 'AWS', outcome: 'ok' as const, detail: '200', httpStatus: 200 };
    const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { ledger: probe('ok', [attempt], ECR) } });
    expect(f.confidence).toBe('likely');
    expect(f.unverified.join(' ')).toContain('with the same credential succeeded');
  });

  it('says which secret works when the probe succeeds with it, and does not call it rejected', async () => {
    const attempt = { credential: 'ecr-pull', registryKey: ECR, username: 'AWS', outcome: 'ok' as const, detail: 'manifest found', httpStatus: 200 };
    const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { ledger: probe('ok', [attempt], ECR) } });
    expect(f.message).toContain('but secret "ecr-pull" works: a probe from workstation (test) pulled the image with it (registry key');
    expect(f.message).not.toContain('rejected the credentials');
    expect(f.message).not.toContain('The probe confirms the registry rejects');
    // the expired-token story is about a credential that failed; this one works now
    expect(f.message).not.toContain('Amazon ECR token');
    expect(f.confidence).toBe('likely');
    expect(f.remediation[0]).toMatch(/^# secret "ecr-pull" works from workstation \(test\); the kubelet re-reads pull secrets/);
  });

  it('a probe that could not reach a verdict (TLS, network, error, rate limit) is cited with its reason and confirms nothing', async () => {
    for (const outcome of ['tls-error', 'unreachable', 'error', 'rate-limited'] as const) {
      const detail = `${outcome} from this machine: x509: certificate signed by unknown authority (use --registry-ca)`;
      const attempt = { credential: 'ecr-pull', registryKey: ECR, username: 'AWS', outcome, detail };
      const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { ledger: probe(outcome, [attempt], ECR) } });
      expect(f.confidence, outcome).toBe('likely');
      expect(f.evidence.filter((e) => e.source === 'probe'), outcome).toHaveLength(1);
      expect(f.unverified, outcome).toContain(
        `The registry probe from workstation (test) could not confirm this: the attempt with secret "ecr-pull" ended in ${outcome}: ${detail}.`,
      );
      expect(f.message, outcome).toContain('rejected the credentials the kubelet sent');
    }
  });

  it('hands over to registry-access-denied when the probe shows the credential is valid but lacks access', async () => {
    const attempt = { credential: 'ecr-pull', registryKey: ECR, username: 'AWS', outcome: 'access-denied' as const, detail: '403', httpStatus: 403 };
    // A secret written an hour ago: its ECR token (12 h) is fresh, so a 403 to it means no access.
    const fresh = variant(RULE, 'fires.yaml', [['creationTimestamp: "2026-11-26T06:12:40Z"', 'creationTimestamp: "2026-11-28T11:00:00Z"']]);
    const { report } = await scan([fresh], { probes: { ledger: probe('access-denied', [attempt], ECR) } });
    expect(rulesOf(report)).not.toContain(RULE);
    const f = only(report, 'registry-access-denied');
    expect(f.confidence).toBe('confirmed');
    expect(f.message).toContain('no pull access');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('an ECR token older than 12 h stays the first suspect when the probe gets 403 with it too (ECR answers an expired token with 403)', async () => {
    const attempt = { credential: 'ecr-pull', registryKey: ECR, username: 'AWS', outcome: 'access-denied' as const, detail: '403', httpStatus: 403 };
    const { report } = await scan([fixture(RULE)], { probes: { ledger: probe('access-denied', [attempt], ECR) } });
    const f = only(report, 'registry-access-denied');
    expect(f.message).toContain('the token expired at 2026-11-26T18:12:40Z');
    expect(f.message).toContain('A probe with the same credential was refused too, as an expired ECR token is');
    expect(f.message).not.toMatch(/ {2}/);
    expect(f.remediation.join('\n')).toContain('aws ecr get-login-password --region eu-west-1');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('explains a broken Docker Hub credential that fails even a public image (no anonymous retry)', async () => {
    const text = readFileSync(fixture(RULE), 'utf8');
    const oldCfg = /\.dockerconfigjson: (\S+)/.exec(text)?.[1] ?? '';
    const hubCfg = Buffer.from(
      JSON.stringify({ auths: { 'https://index.docker.io/v1/': { username: 'acmepay', password: 'Fx-registry-auth-rejected-pw2', auth: Buffer.from('acmepay:Fx-registry-auth-rejected-pw2').toString('base64') } } }),
    ).toString('base64');
    const file = variant(RULE, 'fires.yaml', [
      [`${ECR}/payments/ledger:3.2.0`, 'nginx:1.27.3'],
      [`pulling from host ${ECR} failed with status code [manifests 3.2.0]: 401 Unauthorized`, 'pulling from host registry-1.docker.io failed with status code [manifests 1.27.3]: 401 Unauthorized'],
      [oldCfg, hubCfg],
    ]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('secret "ecr-pull" (registry key "https://index.docker.io/v1/", username "acmepay", via the Docker Hub index.docker.io fallback)');
    expect(f.message).toContain('public Docker Hub image');
    expect(f.message).toContain('never retries anonymously');
    expect(f.message).not.toContain('Amazon ECR');
    expect(f.remediation.join('\n')).toContain('remove the Docker Hub entry');
    expect(JSON.stringify(report)).not.toContain('Fx-registry-auth-rejected-pw2');
  });

  it('does not fire when nothing is failing (quiet twin)', () => expectQuietTwin(RULE));
});
