import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer, fixture, only, probe, rulesOf, scan } from './runtime-helpers.js';

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
      renderer: probe('ok', [{ credential: 'anonymous', outcome: 'ok', detail: 'index', platforms: ['linux/amd64', 'linux/s390x'] }], 'registry-1.docker.io'),
    });
    const f = only(report, RULE);
    expect(f.message).toContain('the image index offers linux/amd64, linux/s390x');
  });

  it('does not fire on the healthy twin', async () => {
    const { report } = await scan([fixture(RULE, 'quiet.yaml')]);
    expect(rulesOf(report)).not.toContain(RULE);
  });
});
