import { describe, expect, it } from 'vitest';
import { b64json, podOf, secretOf } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc } from '../helpers/scan.js';

const ID = 'docker-hub-credentials-shadowed';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('names the matching docker.io key and the index.docker.io credentials that are never tried', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.container).toBe('indexer');
    expect(f?.secret).toBe('dockerhub');
    expect(f?.message).toContain('"docker.io" from secret "hub-readonly"');
    expect(f?.message).toContain('never tries the index.docker.io credentials of secret "dockerhub" (user acmesearch)');
    const fix = fixText(f);
    expect(fix).toContain('create secret docker-registry dockerhub -n search --docker-server=docker.io --docker-username=acmesearch');
    expect(fix).toContain(`patch deployment indexer -n search --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"$patch":"delete","name":"hub-readonly"}]}}}}'`);
    expect(f?.evidence.some((e) => e.detail.includes('incorrect username or password'))).toBe(true);
  });

  it('is a warning for a *.io key on a running pod', () => {
    const doc = load('quiet.yaml');
    podOf(doc).spec.imagePullSecrets = [{ name: 'hub-readonly' }, { name: 'dockerhub' }];
    secretOf(doc, 'hub-readonly').data['.dockerconfigjson'] = b64json({
      auths: { '*.io': { username: 'acme-ci-readonly', password: 'Fx-shadowed-pw2' } },
    });
    const [f] = mine(scanDoc(doc));
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('"*.io" from secret "hub-readonly"');
  });

  it('stays quiet when only the index.docker.io secret is listed, and never prints a password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml'], ['Fx-shadowed-pw1', 'Fx-shadowed-pw2']);
  });
});
