import { describe, expect, it } from 'vitest';
import { dropSecrets, podOf, setImage } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'service-account-pull-secrets-not-applied';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('explains that a pod created before the ServiceAccount change lacks its pull secret', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('gitlab-deploy-token');
    expect(f?.message).toContain('ServiceAccount "catalog-api" lists pull secret "gitlab-deploy-token"');
    expect(f?.message).toContain('copied into a pod only when it is created');
    expect(f?.remediation.join('\n')).toContain('kubectl rollout restart deployment/catalog-api -n catalog');
    expect(f?.evidence.some((e) => e.ref === 'ServiceAccount catalog/catalog-api')).toBe(true);
  });

  it('explains that a pod listing its own pull secrets gets none of the ServiceAccount\'s', async () => {
    const { report } = await scanFixture(ID, 'own-secrets.yaml');
    const [f] = mine(report);
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('the pod lists its own imagePullSecrets (dockerhub-mirror)');
    const fix = fixText(f);
    // strategic merge patch: keeps dockerhub-mirror, adds the ServiceAccount's secret
    expect(fix).toContain(`kubectl patch deployment catalog-api -n catalog --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"gitlab-deploy-token"}]}}}}'`);
    expect(fix).not.toContain('--type=merge');
  });

  it('stays quiet when the ServiceAccount secret would not serve any image of the pod', () => {
    const doc = load('fires.yaml');
    setImage(podOf(doc), 'nginx:1.27.3');
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('does not guess about a ServiceAccount secret it could not read', () => {
    const doc = load('fires.yaml');
    dropSecrets(doc);
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('stays quiet on a pod created after the change, and never prints a password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml', 'own-secrets.yaml'], ['Fx-sa-not-applied-pw1', 'Fx-sa-not-applied-pw2']);
  });
});
