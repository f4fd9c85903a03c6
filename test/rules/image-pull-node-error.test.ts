import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer, fixture, only, rulesOf, scan, variant } from './runtime-helpers.js';

const RULE = 'image-pull-node-error';

describe(RULE, () => {
  it('disk full: blames the node, cites DiskPressure, and frees space there', async () => {
    const { report } = await scan([fixture(RULE)]);
    const f = only(report, RULE);
    expect(f.message).toContain('failed on node gpu-node-4, not at the registry');
    expect(f.message).toContain('no space left on device');
    expect(f.message).toContain('DiskPressure=True');
    const rem = f.remediation.join('\n');
    expect(rem).toContain('kubectl debug node/gpu-node-4 -it --image=busybox:1.36 -- chroot /host crictl rmi --prune');
    expect(rem).toContain('kubectl cordon gpu-node-4');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('ImageInspectError is a node-side failure too', async () => {
    const file = variant(RULE, 'fires.yaml', [['reason: ErrImagePull', 'reason: ImageInspectError']]);
    const { report } = await scan([file]);
    const f = only(report, RULE);
    expect(f.message).toContain('ImageInspectError');
  });

  it('does not fire on the healthy twin', async () => {
    const { report } = await scan([fixture(RULE, 'quiet.yaml')]);
    expect(rulesOf(report)).not.toContain(RULE);
  });
});
