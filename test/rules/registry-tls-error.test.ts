import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { expectQuietTwin, scanOnly } from '../helpers/scan.js';

const RULE = 'registry-tls-error';

describe(RULE, () => {
  it('unknown CA: per-node containerd hosts.toml with the CA, naming host and node', async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.message).toContain('on node k8s-worker-03');
    expect(f.message).toContain('harbor.corp.internal');
    expect(f.message).toContain('CA the node does not trust');
    const rem = f.remediation.join('\n');
    expect(rem).toContain('/etc/containerd/certs.d/harbor.corp.internal/hosts.toml');
    expect(rem).toContain('ca = "/etc/containerd/certs.d/harbor.corp.internal/ca.crt"');
    expect(rem).toContain('openssl s_client -connect harbor.corp.internal:443');
    expect(rem).not.toContain('registries.conf'); // the message says containerd
    expect(JSON.stringify(report)).not.toContain('Fx-registry-tls-error-pw1');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('an HTTP-only registry addressed over HTTPS: configure it as plain HTTP', async () => {
    const file = variant(RULE, 'fires.yaml', [
      ['tls: failed to verify certificate: x509: certificate signed by unknown authority', 'http: server gave HTTP response to HTTPS client'],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('speaks plain HTTP');
    expect(f.remediation.join('\n')).toContain('server = "http://harbor.corp.internal"');
  });

  it('an expired certificate (the classifier\'s tls/expired): renew it or fix the node clock', async () => {
    const file = variant(RULE, 'fires.yaml', [['x509: certificate signed by unknown authority', 'x509: certificate has expired or is not yet valid: current time 2025-06-12T03:05:25Z is after 2025-06-07T05:48:45Z']]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain("TLS certificate has expired (or the node's clock is wrong)");
    const rem = f.remediation.join('\n');
    expect(rem).toContain('# renew the certificate of harbor.corp.internal; if it is valid, check the node clock: timedatectl status');
    expect(rem).not.toContain('ca.crt');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
