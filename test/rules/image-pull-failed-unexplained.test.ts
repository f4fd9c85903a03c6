import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer, RUNTIME_RULES } from '../helpers/runtime.js';
import { fixture, only, rulesOf, scan } from '../helpers/scan.js';

const RULE = 'image-pull-failed-unexplained';

describe(RULE, () => {
  it('quotes the raw message of a failing pull no rule recognised', async () => {
    const { report } = await scan([fixture(RULE)]);
    const f = only(report, RULE);
    expect(f.message).toContain('failed to pull and unpack image "docker.io/library/alpine:latest": context canceled');
    expect(f.message).toContain('(ImagePullBackOff)');
    expect(f.confidence).toBe('unverified');
    expect(f.remediation.join('\n')).toContain('crictl pull alpine');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('stays silent for a container another rule explained', async () => {
    for (const rule of RUNTIME_RULES.filter((r) => r !== RULE)) {
      const { report } = await scan([fixture(rule)]);
      expect(rulesOf(report), rule).not.toContain(RULE);
    }
  });

  it('stays silent when a malformed pull secret poisons the pod (pull-secret-malformed explains it)', async () => {
    const bad = Buffer.from('{"auths":{"registry.example.com":{"auth":"!!not-base64!!"}}}').toString('base64');
    const file = variant(RULE, 'fires.yaml', [
      ['    nodeName: pool-a-worker-2\n', '    imagePullSecrets:\n    - name: broken\n    nodeName: pool-a-worker-2\n'],
      [
        '- apiVersion: v1\n  kind: ServiceAccount\n',
        `- apiVersion: v1\n  data:\n    .dockerconfigjson: ${bad}\n  kind: Secret\n  metadata:\n    creationTimestamp: "2026-11-02T10:00:00Z"\n    name: broken\n    namespace: ops\n    resourceVersion: "5501"\n    uid: 0c7b1d2e-1111-4e2f-8a3b-4c5d6e7f8091\n  type: kubernetes.io/dockerconfigjson\n- apiVersion: v1\n  kind: ServiceAccount\n`,
      ],
    ]);
    const { report } = await scan([file]);
    expect(rulesOf(report)).not.toContain(RULE);
  });

  it('does not fire on the healthy twin', async () => {
    const { report } = await scan([fixture(RULE, 'quiet.yaml')]);
    expect(rulesOf(report)).toEqual([]);
  });
});
