import { describe, expect, it } from 'vitest';
import { tokenLifetime } from '../../rules/lib/secret-helpers.js';
import type { Report } from '../../src/model/finding.js';
import { b64json, failPull, podOf, secretOf, setImage } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc } from '../helpers/scan.js';

const ID = 'short-lived-registry-token';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

/** The running ECR pod, moved to another registry with a secret created `created`. */
function variant(host: string, username: string, created: string): Report {
  const doc = load('fires.yaml');
  setImage(podOf(doc), `${host}/ml/trainer:2026.11.3`);
  const secret = secretOf(doc);
  secret.metadata.creationTimestamp = created;
  secret.data['.dockerconfigjson'] = b64json({ auths: { [host]: { username, password: 'Fx-short-lived-pw3' } } });
  return scanDoc(doc);
}

describe(ID, () => {
  it('warns about a 2-day-old ECR token on a running pod, with the refresh command for its region', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('warning');
    expect(f?.confidence).toBe('likely');
    expect(f?.secret).toBe('ecr-pull');
    expect(f?.message).toContain('an Amazon ECR token for "123456789012.dkr.ecr.eu-west-1.amazonaws.com"');
    expect(f?.message).toContain('12 h');
    expect(f?.message).toContain('2d 3h ago');
    const fix = fixText(f);
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

  it('one finding for the workload names the node of every pod, not just the first', () => {
    const doc = load('fires.yaml');
    const first = podOf(doc);
    const second = structuredClone(first);
    second.metadata.name = 'trainer-5f9b8c6d7-q2wfz';
    second.metadata.uid = 'f3a1c2d4-5b6e-4f70-8a91-b2c3d4e5f607';
    second.spec.nodeName = 'worker-7';
    doc.items.push(second);
    const found = mine(scanDoc(doc));
    expect(found).toHaveLength(1);
    expect(found[0]?.pods).toEqual(['trainer-5f9b8c6d7-vb4nq', 'trainer-5f9b8c6d7-q2wfz']);
    expect(found[0]?.message).toContain(
      'trainer runs only because the image is cached on nodes worker-4 (pod trainer-5f9b8c6d7-vb4nq) and worker-7 (pod trainer-5f9b8c6d7-q2wfz);',
    );
  });

  it('leaves failing pulls to registry-auth-rejected', () => {
    const doc = load('fires.yaml');
    failPull(podOf(doc));
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
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml'], ['Fx-short-lived-pw1', 'Fx-short-lived-pw2']);
    expect(JSON.stringify(variant('eu.gcr.io', 'oauth2accesstoken', '2026-11-28T10:00:00Z'))).not.toContain('Fx-short-lived-pw3');
  });
});
