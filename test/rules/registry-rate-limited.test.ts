import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer, probe } from '../helpers/runtime.js';
import { expectQuietTwin, fixture, only, scan, scanOnly } from '../helpers/scan.js';

const RULE = 'registry-rate-limited';

describe(RULE, () => {
  it('explains an anonymous Docker Hub pull hitting the per-IP limit and how to authenticate or mirror', async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.message).toContain('Docker Hub rate-limited the pull of "redis:7.2.4"');
    expect(f.message).toContain('the pull was anonymous');
    expect(f.message).toContain('per source IP address');
    expect(f.confidence).toBe('confirmed');
    const rem = f.remediation.join('\n');
    expect(rem).toContain('kubectl create secret docker-registry dockerhub-pull -n cache --docker-server=https://index.docker.io/v1/');
    expect(rem).toContain(`patch statefulset redis -n cache --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"dockerhub-pull"}]}}}}'`);
    expect(rem).toContain('/etc/containerd/certs.d/docker.io/hosts.toml');
    // The directory does not exist on a fresh node, and containerd ignores it without config_path.
    expect(rem).toContain(`mkdir -p /etc/containerd/certs.d/docker.io && printf 'server = "https://registry-1.docker.io"`);
    expect(rem).toContain('config_path = "/etc/containerd/certs.d" under [plugins."io.containerd.cri.v1.images".registry] (containerd 2.x)');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('quotes the rate-limit headers a probe saw', async () => {
    const { report } = await scan([fixture(RULE)], {
      probes: { redis: probe('rate-limited', [{ credential: 'anonymous', outcome: 'rate-limited', detail: '429', httpStatus: 429, rateLimit: { limit: '100;w=21600', remaining: '0;w=21600' } }], 'registry-1.docker.io') },
    });
    expect(only(report, RULE).message).toContain('ratelimit-limit 100;w=21600, remaining 0;w=21600');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
