import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer, probe } from '../helpers/runtime.js';
import { expectQuietTwin, fixture, only, relatedRules, rulesOf, scan, scanOnly } from '../helpers/scan.js';

const RULE = 'registry-access-denied';
const PW = 'Fx-registry-access-denied-pw1';

/** The fires fixture with the secret's key fixed, so the kubelet does send the credential. */
function withMatchingKey(): string {
  const text = readFileSync(fixture(RULE), 'utf8');
  const cfg = /\.dockerconfigjson: (\S+)/.exec(text)?.[1] ?? '';
  const fixed = Buffer.from(Buffer.from(cfg, 'base64').toString('utf8').replace('"https://index.docker.io/v1"', '"https://index.docker.io/v1/"')).toString('base64');
  return variant(RULE, 'fires.yaml', [[cfg, fixed]]);
}

describe(RULE, () => {
  it('without a matching credential: a private image pulled anonymously, linked to the key mismatch', async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.message).toContain('sent no credentials');
    expect(f.message).toContain('private image pulled without credentials');
    expect(f.message).toContain('"https://index.docker.io/v1"');
    expect(relatedRules(report, f)).toContain('registry-credentials-mismatch');
    expect(f.remediation.join('\n')).toContain('--docker-server=https://index.docker.io/v1/');
    // dockerhub-creds exists: rewritten with replace, never apply (the password would land in last-applied-configuration)
    expect(f.remediation.join('\n')).toContain(
      "create secret docker-registry dockerhub-creds -n billing --docker-server=https://index.docker.io/v1/ --docker-username=acmebilling --docker-password='<password>' --dry-run=client -o yaml | kubectl replace -n billing -f -",
    );
    expect(f.remediation.join('\n')).not.toContain('apply -f -');
    expect(f.unverified.join(' ')).toContain('credential provider');
    expect(rulesOf(report)).not.toContain('registry-auth-rejected');
    expectOneRuntimeFindingPerContainer(report);
  });

  it.each([
    ['pull-secret-wrong-type', 'harbor-pull', 'harbor-corp-example-pull'],
    ['pull-secret-no-auths', 'quay-pull', 'quay-io-pull'],
  ])('linked to %s, it points at that fix of the existing secret, never a competing new secret', async (cause, secret, competing) => {
    const { report, f } = await scanOnly(RULE, [fixture(cause)]);
    expect(relatedRules(report, f)).toContain(cause);
    const fix = f.remediation.join('\n');
    expect(fix).toContain(`# fix secret "${secret}" as the linked ${cause} finding says; no new secret is needed`);
    expect(fix).not.toContain(competing);
    expect(fix).not.toContain('create secret docker-registry');
    expect(fix).not.toContain('imagePullSecrets');
  });

  it('an expired ECR token answered with 403: the token is the first suspect, renewed rather than pasted (GKE node: no provider covers ECR)', async () => {
    const { report, f } = await scanOnly(RULE, [fixture(RULE, 'expired-ecr-token.yaml')]);
    expect(f.secret).toBe('ecr-token');
    expect(f.message).toContain('the first suspect is the token itself: secret "ecr-token" holds an Amazon ECR token (username "AWS"), which lasts 12 h');
    expect(f.message).toContain('the token expired at 2026-11-26T21:15:00Z. ECR answers an expired token with 403, not 401. Runtime error: ');
    expect(f.message).not.toMatch(/ {2}/);
    const fix = f.remediation.join('\n');
    expect(fix).toContain('--docker-password="$(aws ecr get-login-password --region us-east-1)" --dry-run=client -o yaml | kubectl replace -n storefront -f -');
    expect(fix).toContain("the node's auth-provider-gcp cannot cover 123456789012.dkr.ecr.us-east-1.amazonaws.com, so renew the secret automatically");
    expect(fix).not.toContain("'<password>'");
    expect(relatedRules(report, f)).toEqual([]);
    expectOneRuntimeFindingPerContainer(report);
  });

  it('anonymous pull confirmed by a probe: the probe is cited once', async () => {
    const attempt = { credential: 'anonymous', outcome: 'credentials-rejected' as const, detail: 'anonymous pull refused (401)', httpStatus: 401 };
    const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { worker: probe('credentials-rejected', [attempt], 'docker.io') } });
    expect(f.confidence).toBe('confirmed');
    expect(f.evidence.filter((e) => e.source === 'probe')).toEqual([
      { source: 'probe', ref: 'probe of docker.io from workstation (test)', detail: 'outcome credentials-rejected; attempts: anonymous: credentials-rejected 401' },
    ]);
  });

  it('anonymous pull, probe unreachable: likely, with the probe\'s reason as not verified', async () => {
    const attempt = { credential: 'anonymous', outcome: 'unreachable' as const, detail: 'connect ETIMEDOUT 198.51.100.7:443 (from this machine)' };
    const { f } = await scanOnly(RULE, [fixture(RULE)], { probes: { worker: probe('unreachable', [attempt], 'docker.io') } });
    expect(f.confidence).toBe('likely');
    expect(f.evidence.filter((e) => e.source === 'probe')).toHaveLength(1);
    expect(f.unverified).toContain(
      'The registry probe from workstation (test) could not confirm this: the attempt with an anonymous request ended in unreachable: connect ETIMEDOUT 198.51.100.7:443 (from this machine).',
    );
  });

  it('with credentials sent and an inconclusive probe: does not tell the user to run --probe again', async () => {
    const attempt = { credential: 'dockerhub-creds', registryKey: 'https://index.docker.io/v1/', username: 'acmebilling', outcome: 'tls-error' as const, detail: 'certificate has expired' };
    const { f } = await scanOnly(RULE, [withMatchingKey()], { probes: { worker: probe('tls-error', [attempt], 'docker.io') } });
    expect(f.confidence).toBe('likely');
    expect(f.message).not.toContain('run pulldoctor with --probe');
    expect(f.message).toContain('The registry probe could not tell them apart');
    expect(f.unverified.join(' ')).toContain('ended in tls-error: certificate has expired.');
  });

  it('with credentials sent: says the answer is ambiguous and how to tell', async () => {
    const { report, f } = await scanOnly(RULE, [withMatchingKey()]);
    expect(f.secret).toBe('dockerhub-creds');
    expect(f.message).toContain('username "acmebilling"');
    expect(f.message).toContain('either the account has no access to docker.io/acme/billing-worker, or the repository does not exist');
    expect(f.message).toContain('ambiguous');
    expect(f.message).toContain('--probe');
    expect(f.message).toContain('crane manifest docker.io/acme/billing-worker:2.4.1');
    expect(f.confidence).toBe('likely');
    expect(f.remediation.join('\n')).toContain("skopeo inspect --creds 'acmebilling:<password>' docker://docker.io/acme/billing-worker:2.4.1");
    expect(JSON.stringify(report)).not.toContain(PW);
    expectOneRuntimeFindingPerContainer(report);
  });

  it('a probe that is denied with the same credential confirms "no access"', async () => {
    const attempt = { credential: 'dockerhub-creds', username: 'acmebilling', outcome: 'access-denied' as const, detail: 'denied', httpStatus: 403 };
    const { f } = await scanOnly(RULE, [withMatchingKey()], { probes: { worker: probe('access-denied', [attempt], 'registry-1.docker.io') } });
    expect(f.confidence).toBe('confirmed');
    expect(f.message).toContain('has no pull access');
    expect(f.message).not.toContain('ambiguous');
  });

  it('a probe that finds no repository turns the denial into image-not-found', async () => {
    const attempt = { credential: 'dockerhub-creds', username: 'acmebilling', outcome: 'repository-not-found' as const, detail: 'NAME_UNKNOWN', httpStatus: 404 };
    const { report } = await scan([withMatchingKey()], { probes: { worker: probe('repository-not-found', [attempt], 'registry-1.docker.io') } });
    expect(rulesOf(report)).not.toContain(RULE);
    const f = only(report, 'image-not-found');
    expect(f.confidence).toBe('confirmed');
    expect(f.message).toContain('no repository acme/billing-worker');
    expect(f.message).toContain('registries hide missing repositories');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('links a missing pull secret as the static cause', async () => {
    const file = variant(RULE, 'fires.yaml', [['    imagePullSecrets:\n    - name: dockerhub-creds\n', '    imagePullSecrets:\n    - name: dockerhub-credz\n']]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('pull secret "dockerhub-credz" does not exist');
    expect(relatedRules(report, f)).toContain('pull-secret-not-found');
  });

  it('with no imagePullSecrets at all: suggests creating one and adding it without dropping others', async () => {
    const file = variant(RULE, 'fires.yaml', [['    imagePullSecrets:\n    - name: dockerhub-creds\n', '']]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('the pod lists no imagePullSecrets');
    const rem = f.remediation.join('\n');
    expect(rem).toContain('kubectl create secret docker-registry dockerhub-pull -n billing --docker-server=https://index.docker.io/v1/');
    expect(rem).toContain(`patch deployment billing-worker -n billing --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"dockerhub-pull"}]}}}}'`);
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
