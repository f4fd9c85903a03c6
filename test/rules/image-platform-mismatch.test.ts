import { describe, expect, it } from 'vitest';
import { platformServes } from '../../rules/image-platform-mismatch.js';
import type { ContainerProbe, Report } from '../../src/model/finding.js';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer, probe } from '../helpers/runtime.js';
import { fixture, only, rulesOf, scan } from '../helpers/scan.js';

/** Scan a file as `--probe=all [--platform …]` would: every container gets `p`. */
async function scanWithPlatforms(file: string, p: ContainerProbe, platforms?: string[]): Promise<Report> {
  return (await scan([file], { probes: () => p, ...(platforms ? { platforms } : {}) })).report;
}

const index = (...platforms: string[]) =>
  probe('ok', [{ credential: 'anonymous', outcome: 'ok', detail: 'index', mediaType: 'application/vnd.oci.image.index.v1+json', platforms }], 'registry-1.docker.io');

const RULE = 'image-platform-mismatch';

describe(RULE, () => {
  it("names the node's architecture from the Node object", async () => {
    const { report } = await scan([fixture(RULE)]);
    const f = only(report, RULE);
    expect(f.message).toContain("the node's platform linux/arm64 (node ip-10-1-7-22.us-west-2.compute.internal)");
    expect(f.evidence.some((e) => e.source === 'node' && e.detail.includes('linux/arm64'))).toBe(true);
    expect(f.remediation.join('\n')).toContain('docker buildx build --platform linux/amd64,linux/arm64');
    expect(f.remediation.join('\n')).toContain('"kubernetes.io/arch":"amd64"');
    expectOneRuntimeFindingPerContainer(report);
  });

  it("lists the platforms the probe found in the image index", async () => {
    const { report } = await scan([fixture(RULE)], {
      probes: { renderer: probe('ok', [{ credential: 'anonymous', outcome: 'ok', detail: 'index', platforms: ['linux/amd64', 'linux/s390x'] }], 'registry-1.docker.io') },
    });
    const f = only(report, RULE);
    expect(f.message).toContain('the image index offers linux/amd64, linux/s390x');
  });

  it('does not fire on the healthy twin', async () => {
    const { report } = await scan([fixture(RULE, 'quiet.yaml')]);
    expect(rulesOf(report)).not.toContain(RULE);
  });

  describe('latent, from the probed index (--probe=all)', () => {
    it('warns when a --platform the pods may run on is missing from the index, though the pod runs today', async () => {
      const report = await scanWithPlatforms(fixture(RULE, 'quiet.yaml'), index('linux/arm64/v8', 'unknown/unknown'), ['linux/arm64', 'linux/amd64']);
      const f = only(report, RULE);
      expect(f.severity).toBe('warning');
      expect(f.confidence).toBe('confirmed');
      expect(f.message).toContain('has no variant for linux/amd64 (--platform): its index offers only linux/arm64/v8.');
      expect(f.message).toContain('The pod runs today, but a pod of deployment/report-renderer scheduled on such a node fails');
      const fix = f.remediation.join('\n');
      expect(fix).toContain('docker buildx build --platform linux/arm64/v8,linux/amd64 -t docker.io/acme/report-renderer:1.3.1 --push .');
      expect(fix).toContain('"kubernetes.io/arch":"arm64"');
    });

    it("without --platform, compares with the nodes' platforms and names the nodes", async () => {
      const report = await scanWithPlatforms(fixture(RULE, 'quiet.yaml'), index('linux/amd64'));
      const f = only(report, RULE);
      expect(f.message).toContain('has no variant for linux/arm64 (node ip-10-1-7-22.us-west-2.compute.internal)');
      expect(f.evidence.some((e) => e.source === 'node' && e.detail === 'status.nodeInfo: linux/arm64')).toBe(true);
    });

    it('stays quiet when the index serves every platform, when the pod is pinned to a served one, or without an index', async () => {
      expect(rulesOf(await scanWithPlatforms(fixture(RULE, 'quiet.yaml'), index('linux/amd64', 'linux/arm64/v8'), ['linux/arm64', 'linux/amd64']))).not.toContain(RULE);
      const pinned = variant(RULE, 'quiet.yaml', [['    nodeName: ip-10-1-7-22', '    nodeSelector:\n      kubernetes.io/arch: arm64\n    nodeName: ip-10-1-7-22']]);
      expect(rulesOf(await scanWithPlatforms(pinned, index('linux/arm64'), ['linux/arm64', 'linux/amd64']))).not.toContain(RULE);
      const single = probe('ok', [{ credential: 'anonymous', outcome: 'ok', detail: 'manifest', mediaType: 'application/vnd.oci.image.manifest.v1+json' }]);
      expect(rulesOf(await scanWithPlatforms(fixture(RULE, 'quiet.yaml'), single, ['linux/amd64']))).not.toContain(RULE);
    });

    it('matches platforms like containerd: arm64 means v8, a target without a variant takes any', () => {
      expect(platformServes('linux/arm64/v8', 'linux/arm64')).toBe(true);
      expect(platformServes('linux/arm64', 'linux/arm64/v8')).toBe(true);
      expect(platformServes('linux/arm/v6', 'linux/arm/v7')).toBe(false);
      expect(platformServes('linux/arm/v7', 'linux/arm')).toBe(true);
      expect(platformServes('windows/amd64', 'linux/amd64')).toBe(false);
    });
  });

  it('--platform stands in for the node when the runtime message does not name it', async () => {
    const noNode = variant(RULE, 'fires.yaml', [['architecture: arm64', 'architecture: ""']]);
    const f = only((await scan([noNode], { platforms: ['linux/riscv64'] })).report, RULE);
    expect(f.message).toContain("has no variant for the node's platform linux/riscv64 (node ip-10-1-7-22.us-west-2.compute.internal)");
  });
});
