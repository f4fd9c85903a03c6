/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { tokenLifetime } from '../../rules/lib/secret-helpers.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'short-lived-registry-token';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);

/** The running ECR pod, moved to another registry with a secret created `created`. */
function variant(host: string, username: string, created: string): Report {
  const doc = load('fires.yaml');
  const pod = doc.items.find((o: any) => o.kind === 'Pod');
  const image = `${host}/ml/trainer:2026.11.3`;
  pod.spec.containers[0].image = image;
  pod.status.containerStatuses[0].image = image;
  const secret = doc.items.find((o: any) => o.kind === 'Secret');
  secret.metadata.creationTimestamp = created;
  secret.data['.dockerconfigjson'] = b64json({ auths: { [host]: { username, password: 'Fx-short-lived-pw3' } } });
  return scanDoc(doc);
}

describe(ID, () => {
  it('warns about a 2-day-old ECR token on a running pod, with the refresh command for its region', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('warning');
    expect(f?.confidence).toBe('likely');
    expect(f?.secret).toBe('ecr-pull');
    expect(f?.message).toContain('an Amazon ECR token for "123456789012.dkr.ecr.eu-west-1.amazonaws.com"');
    expect(f?.message).toContain('12 h');
    expect(f?.message).toContain('2d 3h ago');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain('create secret docker-registry ecr-pull -n ml --docker-server=123456789012.dkr.ecr.eu-west-1.amazonaws.com --docker-username=AWS');
    expect(fix).toContain('$(aws ecr get-login-password --region eu-west-1)');
  });

  it.each([
    ['GCR access token, 2 h old', 'eu.gcr.io', 'oauth2accesstoken', '2026-11-28T10:00:00Z', 'Google Container Registry'],
    ['Artifact Registry access token, 2 h old', 'europe-west3-docker.pkg.dev', 'oauth2accesstoken', '2026-11-28T10:00:00Z', 'Google Artifact Registry'],
    ['ACR AAD token, 5 h old', 'acmeml.azurecr.io', '00000000-0000-0000-0000-000000000000', '2026-11-28T07:00:00Z', 'Azure Container Registry'],
  ])('fires for a %s', (_what, host, user, created, provider) => {
    const [f] = mine(variant(host, user, created));
    expect(f?.message).toContain(provider);
  });

  it.each([
    ['GCR service-account key (_json_key)', 'gcr.io', '_json_key', '2025-01-01T00:00:00Z'],
    ['ACR admin user', 'acmeml.azurecr.io', 'acmeml', '2025-01-01T00:00:00Z'],
    ['ECR token 3 h old', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'AWS', '2026-11-28T09:00:00Z'],
  ])('stays quiet for a %s', (_what, host, user, created) => {
    expect(mine(variant(host, user, created))).toEqual([]);
  });

  it('leaves failing pulls to registry-auth-rejected', () => {
    const doc = load('fires.yaml');
    const pod = doc.items.find((o: any) => o.kind === 'Pod');
    pod.status.containerStatuses[0].state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${pod.spec.containers[0].image}"` } };
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('tokenLifetime knows the providers', () => {
    expect(tokenLifetime('https://123456789012.dkr.ecr.us-east-1.amazonaws.com', 'AWS')).toEqual({ provider: 'Amazon ECR', hours: 12 });
    expect(tokenLifetime('gcr.io', 'oauth2accesstoken')?.hours).toBe(1);
    expect(tokenLifetime('us-docker.pkg.dev', '_json_key')).toBeUndefined();
    expect(tokenLifetime('x.azurecr.io', '00000000-0000-0000-0000-000000000000')?.hours).toBe(3);
    expect(tokenLifetime('registry.example.com', 'AWS')).toBeUndefined();
  });

  it('stays quiet on a freshly refreshed secret, and never prints a token', async () => {
    expect(mine((await scanFixture(ID, 'quiet.yaml')).report)).toEqual([]);
    for (const name of ['fires.yaml', 'quiet.yaml']) {
      const json = JSON.stringify((await scanFixture(ID, name)).report);
      expect(json).not.toContain('Fx-short-lived-pw1');
      expect(json).not.toContain('Fx-short-lived-pw2');
    }
    expect(JSON.stringify(variant('eu.gcr.io', 'oauth2accesstoken', '2026-11-28T10:00:00Z'))).not.toContain('Fx-short-lived-pw3');
  });
});
