import { describe, expect, it } from 'vitest';
import { dropSecrets, failPull, podOf } from '../helpers/edit.js';
import { ruleKit, scanDoc } from '../helpers/scan.js';

const ID = 'service-account-pull-secret-not-found';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('names the dangling secret and drops it from the ServiceAccount, keeping the valid one', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('warning');
    expect(f?.secret).toBe('harbor-legacy');
    expect(f?.message).toContain('ServiceAccount "stock-sync" lists pull secret "harbor-legacy", which does not exist in namespace inventory');
    expect(f?.remediation.join('\n')).toContain(`kubectl patch serviceaccount stock-sync -n inventory -p '{"imagePullSecrets":[{"name":"nexus-pull"}]}'`);
  });

  it('is an error, linked to pull-secret-not-found, when a pod inherited the name and its pull fails', () => {
    const doc = load('fires.yaml');
    const pod = podOf(doc);
    pod.spec.imagePullSecrets = [{ name: 'nexus-pull' }, { name: 'harbor-legacy' }];
    failPull(pod);
    pod.status.containerStatuses[0].ready = false;
    const report = scanDoc(doc);
    const [f] = mine(report);
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('This pod inherited the name');
    const notFound = report.findings.find((x) => x.rule === 'pull-secret-not-found');
    expect(notFound && f?.related).toContain(notFound?.id);
  });

  it('does not guess when the namespace\'s secrets were not collected', () => {
    const doc = load('fires.yaml');
    dropSecrets(doc);
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('stays quiet when every ServiceAccount pull secret exists, and never prints a password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml'], ['Fx-sa-secret-not-found-pw1']);
  });
});
