import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer, variant } from './runtime-helpers.js';
import { expectQuietTwin, scanOnly } from '../helpers/runtime.js';

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

  it('a layer that cannot be unpacked (archive/tar, once unclassified): drop the damaged image', async () => {
    const file = variant(RULE, 'fires.yaml', [
      ['write /var/lib/containerd/tmpmounts/containerd-mount2529433191/opt/conda/lib/libcudnn_engines_precompiled.so.9: no space left on device: unknown', 'archive/tar: invalid tar header: unknown'],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('failed to unpack a layer');
    const rem = f.remediation.join('\n');
    expect(rem).toContain('chroot /host crictl rmi ghcr.io/acme/ml-runtime:2024.11   # drop the partial/damaged image');
    expect(rem).toContain('the layer in the registry is corrupt: rebuild and push the image');
    expect(rem).not.toContain('crictl rmi --prune');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
