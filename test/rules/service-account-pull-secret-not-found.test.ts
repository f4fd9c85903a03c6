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

  it('"or create it" uses the registry of the images it would serve, never another secret\'s registry', async () => {
    // nexus-pull already serves the pod's only image: which registry harbor-legacy is for is unknown.
    const fix = (await sole('fires.yaml'))?.remediation.join('\n') ?? '';
    expect(fix).toContain(`# or create it, if pods need it: kubectl create secret docker-registry harbor-legacy -n inventory --docker-server='<registry>'`);
    expect(fix).not.toContain('harbor-legacy -n inventory --docker-server=nexus.inventory.example:8443');
    // An image no listed secret serves is what the missing secret would be for.
    const doc = load('fires.yaml');
    const pod = podOf(doc);
    pod.spec.containers.push({ name: 'legacy-agent', image: 'harbor.inventory.example/tools/agent:1.2.0' });
    const [f] = mine(scanDoc(doc));
    expect(f?.remediation.join('\n')).toContain('kubectl create secret docker-registry harbor-legacy -n inventory --docker-server=harbor.inventory.example ');
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
