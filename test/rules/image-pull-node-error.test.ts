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

  it('ImageInspectError of an image whose name merely contains "short-name" is not a short-name failure', async () => {
    const file = variant(RULE, 'fires.yaml', [
      ['reason: ErrImagePull', 'reason: ImageInspectError'],
      ['ghcr.io/acme/ml-runtime:2024.11', 'ghcr.io/acme/short-name-runtime:2024.11'],
    ]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('ImageInspectError');
    expect(report.findings.map((x) => x.rule)).not.toContain('image-short-name-unresolved');
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

  it('a layer that arrived different (content-store commit digest mismatch, issue 11): clear the partial download, check the path', async () => {
    // containerd's wording from xunholy/k8s-gitops#373 (see src/runtime/wordings-image.ts)
    const file = variant(RULE, 'fires.yaml', [
      [
        'failed to extract layer sha256:5dacd731af1b0386ead06c8b1feff9f65d9e0bdfec032d2cd0bc03690698feda: mount callback failed on /var/lib/containerd/tmpmounts/containerd-mount2529433191: write /var/lib/containerd/tmpmounts/containerd-mount2529433191/opt/conda/lib/libcudnn_engines_precompiled.so.9: no space left on device: unknown',
        'failed commit on ref "layer-sha256:1860da6d8902305631883be7a65a6a60d5f24be9048bf82c8c454ac2748d3950": unexpected commit digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, expected sha256:1860da6d8902305631883be7a65a6a60d5f24be9048bf82c8c454ac2748d3950: failed precondition',
      ],
    ]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('failed on node gpu-node-4, not at the registry: a layer arrived incomplete or different from what the image manifest promised');
    expect(f.message).toContain('unexpected commit digest');
    const rem = f.remediation.join('\n');
    expect(rem).toContain('kubectl debug node/gpu-node-4 -it --image=busybox:1.36 -- chroot /host ctr -n k8s.io content active');
    expect(rem).toContain('empty /var/lib/containerd/io.containerd.content.v1.content/ingest/ on the node (containerd/containerd#3974)');
    expect(rem).toContain('chroot /host crictl rmi ghcr.io/acme/ml-runtime:2024.11   # drop the partial image');
    expect(rem).toContain('a proxy or middlebox between the nodes and ghcr.io that cuts long or large downloads');
    expect(rem).toContain('# if every node fails on the same layer digest, the blob in the registry is corrupt: push the image again');
    expect(rem).not.toContain('crictl rmi --prune');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
