import { describe, expect, it } from 'vitest';
import { secretOf } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'pull-secret-wrong-type';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);
const PASSWORDS = ['Fx-wrong-type-pw1', 'Fx-wrong-type-pw2'];

describe(ID, () => {
  it('reports an Opaque pull secret as ignored, as an error while the pull fails', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('harbor-pull');
    expect(f?.message).toContain('"harbor-pull"');
    expect(f?.message).toContain('type Opaque');
    expect(f?.message).toContain('failing now: invoicer');
    const fix = fixText(f);
    expect(fix).toContain('harbor-pull');
    expect(fix).toContain('-n billing');
    expect(fix).toContain('kubernetes.io/dockerconfigjson');
    expect(fix).toContain('replace --force');
    expect(f?.evidence.some((e) => e.ref === 'Secret billing/harbor-pull')).toBe(true);
    expect(f?.evidence.some((e) => e.detail.includes('401 Unauthorized'))).toBe(true);
  });

  it('reports a dockerconfigjson-typed secret holding only .dockercfg as a latent warning', async () => {
    const { report } = await scanFixture(ID, 'dockercfg-key.yaml');
    const [f] = mine(report);
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('kubernetes.io/dockerconfigjson but not the .dockerconfigjson data key');
    expect(f?.evidence.map((e) => e.detail).join('\n')).toContain('.dockercfg');
    expect(f?.remediation.join('\n')).toContain('kubernetes.io/dockercfg');
  });

  it('reports an empty .dockerconfigjson', () => {
    const doc = load('quiet.yaml');
    secretOf(doc, 'harbor-pull').data['.dockerconfigjson'] = '';
    const [f] = mine(scanDoc(doc));
    expect(f?.message).toContain('data is empty');
  });

  it('stays quiet on the properly typed secret and never prints a password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'dockercfg-key.yaml'], PASSWORDS);
  });
});
