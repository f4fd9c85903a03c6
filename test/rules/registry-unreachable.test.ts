import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { expectQuietTwin, scanOnly } from '../helpers/scan.js';

const RULE = 'registry-unreachable';

describe(RULE, () => {
  it('DNS failure on the node (CRI-O): says so and how to test from that node', async () => {
    const { report, f } = await scanOnly(RULE);
    // DNS resolves the host name: no port there.
    expect(f.message).toContain('cannot resolve the registry host name (DNS): registry.build.internal. Runtime error:');
    expect(f.message).toContain('on node node-c1');
    expect(f.remediation.join('\n')).toContain("kubectl debug node/node-c1 -it --image=busybox:1.36 -- sh -c 'nslookup registry.build.internal; nc -zv -w 5 registry.build.internal 5000'");
    expectOneRuntimeFindingPerContainer(report);
  });

  it('a connection timeout points at egress', async () => {
    const file = variant(RULE, 'fires.yaml', [
      ['dial tcp: lookup registry.build.internal on 127.0.0.53:53: no such host', 'dial tcp 10.20.9.14:5000: i/o timeout'],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('the connection to the registry timed out (firewall, missing egress/NAT route, or a proxy the runtime does not use): registry.build.internal:5000.');
    expect(f.remediation.join('\n')).toContain('allow egress from the nodes to registry.build.internal:5000');
  });

  it('a proxy the runtime cannot reach (the classifier\'s unreachable/proxy)', async () => {
    const file = variant(RULE, 'fires.yaml', [
      ['dial tcp: lookup registry.build.internal on 127.0.0.53:53: no such host', 'proxyconnect tcp: dial tcp 127.0.0.1:8080: connect: connection refused'],
    ]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('the runtime could not connect through its HTTP proxy: registry.build.internal:5000');
    expect(f.remediation.join('\n')).not.toContain('allow egress');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
