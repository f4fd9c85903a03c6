import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { fixture, only, rulesOf, scan, scanOnly } from '../helpers/scan.js';

const RULE = 'image-short-name-unresolved';
const KONG_ERROR =
  'Failed to inspect image "": rpc error: code = Unknown desc = short-name "kong:3.9" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"';

describe(RULE, () => {
  it('names the short name, the CRI-O node and the fully-qualified reference to use', async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.severity).toBe('error');
    expect(f.message).toContain('Image "kong:3.9" (container proxy) is a short name');
    expect(f.message).toContain('CRI-O 1.34.1 on node crio-worker-1 could not resolve "kong:3.9"');
    expect(f.message).toContain('defines no unqualified-search registries');
    expect(f.message).toContain('use the fully-qualified reference docker.io/library/kong:3.9');
    expect(f.message).toContain('if the image is not on Docker Hub');
    expect(f.message).toContain('short-name "kong:3.9" did not resolve to an alias');
    const fix = f.remediation.join('\n');
    expect(f.remediation[0]).toBe('kubectl set image deployment/kubernetes-dashboard-kong proxy=docker.io/library/kong:3.9 -n kubernetes-dashboard');
    expect(fix).toContain('unqualified-search-registries = ["docker.io"]');
    expect(fix).toContain('/etc/containers/registries.conf');
    expect(fix).toContain('less safe');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('is not blamed on the node or left unexplained (ImageInspectError)', async () => {
    const { report } = await scan([fixture(RULE)]);
    expect(rulesOf(report)).not.toContain('image-pull-node-error');
    expect(rulesOf(report)).not.toContain('image-pull-failed-unexplained');
  });

  it('a waiting reason InspectFailed (the event reason) counts as failing, like ImageInspectError', async () => {
    const file = variant(RULE, 'fires.yaml', [['reason: ImageInspectError', 'reason: InspectFailed']]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('short-name "kong:3.9" did not resolve to an alias');
    expect(report.summary.podsWithPullProblems).toBe(1);
    expectOneRuntimeFindingPerContainer(report);
  });

  it('a dump with the InspectFailed event but no waiting status still counts as failing', async () => {
    // The container status carries no state (e.g. cut from the dump); only the kubelet's events remain.
    const file = variant(RULE, 'fires.yaml', [[`      state:\n        waiting:\n          message: '${KONG_ERROR}'\n          reason: ImageInspectError\n`, '      state: {}\n']]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('CRI-O 1.34.1 on node crio-worker-1 could not resolve "kong:3.9"');
    expect(f.message).toContain('short-name "kong:3.9" did not resolve to an alias');
    expect(report.summary.podsWithPullProblems).toBe(1);
    expectOneRuntimeFindingPerContainer(report);
  });

  it('org/name in enforcing mode: ambiguous list, docker.io/<org>/<name>, an alias as the node-side option', async () => {
    const ambiguous = 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name fusionauth/fusionauth-app:1.60.2 returns ambiguous list';
    const file = variant(RULE, 'fires.yaml', [
      [KONG_ERROR, ambiguous],
      ['image: kong:3.9', 'image: fusionauth/fusionauth-app:1.60.2'],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('could not resolve "fusionauth/fusionauth-app:1.60.2"');
    expect(f.message).toContain('short-name-mode is "enforcing"');
    expect(f.message).toContain('docker.io/fusionauth/fusionauth-app:1.60.2');
    expect(f.remediation[0]).toContain('proxy=docker.io/fusionauth/fusionauth-app:1.60.2');
    expect(f.remediation.join('\n')).toContain('"fusionauth/fusionauth-app" = "docker.io/fusionauth/fusionauth-app"');
  });

  it('the pull itself failing the same way (ErrImagePull / back-off) is caught too', async () => {
    const file = variant(RULE, 'fires.yaml', [
      ['reason: ImageInspectError', 'reason: ImagePullBackOff'],
      [
        `message: '${KONG_ERROR}'\n          reason`,
        `message: 'Back-off pulling image "kong:3.9": ErrImagePull: rpc error: code = Unknown desc = no registries configured while trying to pull an unqualified image, add at least one in either /etc/crio/crio.conf or /etc/containers/registries.conf'\n          reason`,
      ],
    ]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('no registries are configured for unqualified images');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('a bare pod gets set image on the pod', async () => {
    const file = variant(RULE, 'fires.yaml', [
      [
        '    ownerReferences:\n    - apiVersion: apps/v1\n      blockOwnerDeletion: true\n      controller: true\n      kind: ReplicaSet\n      name: kubernetes-dashboard-kong-9b49bb989\n      uid: 0e6b2f4c-7d1a-4c3e-9b8f-5a2d6c1e7f90\n',
        '',
      ],
    ]);
    const { report } = await scan([file]);
    expect(only(report, RULE).remediation[0]).toBe(
      'kubectl set image pod/kubernetes-dashboard-kong-9b49bb989-xrpt8 proxy=docker.io/library/kong:3.9 -n kubernetes-dashboard',
    );
  });

  it('does not fire on the healthy twin', async () => {
    const { report } = await scan([fixture(RULE, 'quiet.yaml')]);
    expect(rulesOf(report)).toEqual([]);
  });
});
