import { describe, expect, it } from 'vitest';
import { podOf } from '../helpers/edit.js';
import { fixText, relatedRules, ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'pull-secret-misplaced';
const { load, mine, sole, expectQuiet } = ruleKit(ID);
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

describe(ID, () => {
  it('a bare pod applied with a misspelled key: where it is, where it must go, the corrected snippet', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('acme-pull');
    expect(f?.message).toContain('The last-applied configuration of Pod web/debug-shell has imagePullSecrets beside the containers but spelled "imagePullSecret" (spec.imagePullSecret)');
    expect(f?.message).toContain('The kubelet reads pull secrets only from spec.imagePullSecrets, a list of {name: …} objects');
    expect(f?.remediation[0]).toBe('# in the manifest, rename "imagePullSecret" to imagePullSecrets (at spec, beside containers): imagePullSecrets: [{name: acme-pull}]');
    expect(fixText(f)).toContain('kubectl delete pod debug-shell -n web');
    expect(f?.evidence).toEqual([
      { source: 'manifest', ref: `Pod web/debug-shell annotation ${LAST_APPLIED}`, detail: 'spec.imagePullSecret: [acme-pull]' },
    ]);
  });

  it('a Deployment with imagePullSecrets under the container (dump with Deployments): one finding for its pods, linked', async () => {
    const { report } = await scanFixture(ID, 'deployment.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.workload).toEqual({ kind: 'Deployment', name: 'storefront' });
    expect(f?.pods).toEqual(['storefront-7b6c9d8f5-m2x9k', 'storefront-7b6c9d8f5-p4r7t']);
    expect(f?.message).toContain(
      'has imagePullSecrets under container storefront (spec.template.spec.containers[0].imagePullSecrets). The kubelet reads pull secrets only from spec.template.spec.imagePullSecrets',
    );
    expect(f?.message).toContain('so its pods do not get "acme-pull" from it (failing now: storefront)');
    expect(f?.remediation[0]).toBe('# in the manifest, move it to spec.template.spec (the pod spec, beside containers): imagePullSecrets: [{name: acme-pull}]');
    expect(fixText(f)).toContain(`kubectl patch deployment storefront -n web --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"acme-pull"}]}}}}'`);
    expect(relatedRules(report, f!)).toEqual(['pull-secret-not-referenced']);
  });

  it('a latent misplacement on a running pod is a warning; with the name listed anyway, info', () => {
    const doc = load('fires.yaml');
    const pod = podOf(doc);
    pod.status.containerStatuses[0].state = { running: { startedAt: '2026-11-28T11:31:00Z' } };
    doc.items = doc.items.filter((o: Record<string, unknown>) => o.kind !== 'Event');
    expect(mine(scanDoc(doc))[0]?.severity).toBe('warning');
    pod.spec.imagePullSecrets = [{ name: 'acme-pull' }];
    const [f] = mine(scanDoc(doc));
    expect(f?.severity).toBe('info');
    expect(f?.message).toContain('but the pod lists "acme-pull" anyway');
  });

  it('a pod without the annotation says nothing', () => {
    const doc = load('fires.yaml');
    delete podOf(doc).metadata.annotations;
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('stays quiet on a correct manifest', () => expectQuiet());
});
