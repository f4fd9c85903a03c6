import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { expectQuietTwin, scanOnly } from '../helpers/scan.js';

const RULE = 'image-pull-node-error';

describe(RULE, () => {
  it('disk full: blames the node, cites DiskPressure, and frees space there', async () => {
    const { report, f } = await scanOnly(RULE);
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
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('ImageInspectError');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
