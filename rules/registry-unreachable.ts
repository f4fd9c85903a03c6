import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { k } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, nodeOf, onNode, registryOf, subKindOf, withProbeNotes, type PullProblem } from './lib/runtime-helpers.js';
import type { SubKinds } from '../src/engine/classify.js';
import { unansweredHits } from './lib/probe-check.js';
import { inCheck } from './lib/manifest.js';

type NetKind = SubKinds['unreachable'];

/** The classifier's sub-kind; without a classified message, the kubelet's RegistryUnavailable reason still says which. */
function netKind(p: PullProblem): NetKind {
  return subKindOf(p, 'unreachable') ?? (p.failure.reason === 'RegistryUnavailable' ? 'unavailable' : 'network');
}

const EXPLAIN: Record<NetKind, string> = {
  dns: 'the node cannot resolve the registry host name (DNS)',
  refused: 'the registry host refused the TCP connection (nothing listens on that port, or a firewall rejects it)',
  timeout: 'the connection to the registry timed out (firewall, missing egress/NAT route, or a proxy the runtime does not use)',
  proxy: 'the runtime could not connect through its HTTP proxy',
  network: 'the node could not reach the registry',
  'server-error': 'the registry answered with a server error (5xx); it is down or overloaded',
  unavailable: 'the runtime reported the registry as unavailable',
};

/**
 * The node could not reach the registry: DNS failure, connection refused, timeout, proxy
 * failure, a 5xx from the registry, or the CRI's RegistryUnavailable error.
 */
const rule: Rule = {
  meta: {
    id: 'registry-unreachable',
    title: 'Registry unreachable from the node',
    severity: 'error',
    category: 'node',
    summary: 'The node could not reach the registry: DNS lookup failed, connection refused or timed out, proxy failure, or the registry returned 5xx.',
    confidence: 'likely',
  },
  check(ctx) {
    if (inCheck(ctx)) return unansweredHits(ctx, ['unreachable', 'error'], 'Run the check from a network that reaches the registry, as the nodes do, to verify it.');
    return failingWith(ctx, 'unreachable').map(({ c, p }): RuleHit => {
      const domain = registryOf(c);
      const host = p.classified?.registry ?? (domain === 'docker.io' ? 'registry-1.docker.io' : domain);
      const kind = netKind(p);
      const node = nodeOf(ctx, c);
      const hostOnly = host.replace(/:\d+$/, '');
      const port = /:(\d+)$/.exec(host)?.[1] ?? '443';
      // DNS resolves a host name (no port); a TCP connection goes to host:port.
      const what = kind === 'dns' ? hostOnly : kind === 'refused' || kind === 'timeout' ? `${hostOnly}:${port}` : host;
      const message =
        `Pulling "${c.image}" (container ${c.name})${onNode(ctx, c)} failed because ${EXPLAIN[kind]}: ${what}.` +
        (c.probe && c.probe.outcome !== 'unreachable' ? ` A probe from ${c.probe.from} reached ${c.probe.registry} (${c.probe.outcome}), so the problem is on the node's network path, not the registry.` : '') +
        ` Runtime error: ${errorQuote(p)}`;
      const debug = node
        ? k(ctx, `debug node/${node} -it --image=busybox:1.36 -- sh -c 'nslookup ${hostOnly}; nc -zv -w 5 ${hostOnly} ${port}'`)
        : `# from a node: nslookup ${hostOnly}; nc -zv -w 5 ${hostOnly} ${port}`;
      const remediation = [
        `# test name resolution and the TCP port from the node (the debug image itself must be pullable): ${debug}`,
        `# on the node: check the runtime's proxy settings (HTTP_PROXY/HTTPS_PROXY/NO_PROXY in the containerd or crio systemd unit): systemctl show containerd --property=Environment`,
      ];
      if (kind === 'dns') remediation.push(`# fix DNS for ${hostOnly} on the node (/etc/resolv.conf of the host, not CoreDNS: the runtime resolves with the node's resolver)`);
      if (kind === 'server-error') remediation.push(`# check the registry's status page or logs; the kubelet retries with back-off (at most 5 min) and recovers on its own`);
      if (kind === 'timeout' || kind === 'refused') remediation.push(`# allow egress from the nodes to ${hostOnly}:${port} (security groups, firewall, NAT gateway), or mirror the image to a reachable registry`);
      return withProbeNotes({ container: c.name, image: c.image, message, evidence: runtimeEvidence(ctx, c), remediation }, c);
    });
  },
};

export default rule;
