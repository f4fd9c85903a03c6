import type { Rule } from './types.js';
import type { RuleHit } from '../src/model/finding.js';
import { k, ns, onNodeHost, sh } from './lib/commands.js';
import { nodeEvidence, runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, nodeInfoOf, nodeOf, subKindOf, withProbeNotes, type PullProblem } from './lib/runtime-helpers.js';
import type { SubKinds } from '../src/engine/classify.js';

type NodeKind = SubKinds['node-error'] | 'inspect' | 'other';

function nodeKind(p: PullProblem): NodeKind {
  if (p.cause === 'inspect-error') return 'inspect';
  return subKindOf(p, 'node-error') ?? 'other';
}

const EXTRACT = 'the runtime downloaded the image but failed to unpack a layer (corrupt or truncated layer, or a storage driver problem on the node)';

const EXPLAIN: Record<NodeKind, string> = {
  'disk-full': "the node's image filesystem is full (no space left on device)",
  extract: EXTRACT,
  transfer: EXTRACT,
  'io-error': "the node's storage failed (I/O error or read-only file system)",
  inspect: "the runtime could not inspect the image in its own store (ImageInspectError): the node's image store is damaged or the runtime is unhealthy",
  other: 'the node failed to store the image',
};

/**
 * The registry answered, the node failed: disk full, layer extraction / unpack failures, storage
 * I/O errors, and ImageInspectError (the runtime's image status call failed, semantics §1.4).
 */
const rule: Rule = {
  meta: {
    id: 'image-pull-node-error',
    title: 'Node failed to store or unpack the image',
    severity: 'error',
    category: 'node',
    summary: 'The image download worked but the node failed: disk full, layer unpack failure, storage I/O error, or ImageInspectError.',
    confidence: 'confirmed',
  },
  check(ctx) {
    return failingWith(ctx, 'node-error', 'inspect-error').map(({ c, p }): RuleHit => {
      const node = nodeOf(ctx, c);
      const kind = nodeKind(p);
      const info = nodeInfoOf(ctx, c);
      const pressure = info?.conditions?.find((x) => x.type === 'DiskPressure' && x.status === 'True');
      const errText = p.cause === 'inspect-error' ? (c.events.find((e) => e.parsed.kind === 'inspect-failed')?.message ?? c.waiting?.message ?? p.failure.reason) : errorQuote(p);
      const message =
        `Pulling "${c.image}" (container ${c.name}) failed on ${node ? `node ${node}` : 'the node'}, not at the registry: ${EXPLAIN[kind]}.` +
        (pressure ? ` The node reports DiskPressure=True${pressure.message ? ` (${pressure.message})` : ''}.` : '') +
        ` Other nodes may pull the same image fine. Error: ${errText}`;

      const remediation: string[] = [];
      const onHost = (cmd: string) => (node ? onNodeHost(ctx, node, cmd) : `# on the node: ${cmd}`);
      if (kind === 'disk-full') {
        remediation.push(onHost('df -h /var/lib/containerd /var/lib/containers /var/lib/docker /var/lib/kubelet'));
        remediation.push(onHost('crictl rmi --prune'));
        remediation.push('# lower the kubelet image GC thresholds (imageGCHighThresholdPercent / imageGCLowThresholdPercent) or grow the node disk');
      } else if (kind === 'extract' || kind === 'transfer' || kind === 'inspect') {
        remediation.push(onHost(`crictl rmi ${sh(c.image)}`) + '   # drop the partial/damaged image so the next pull starts clean');
        remediation.push(onHost('journalctl -u containerd -u crio --since -1h --no-pager | tail -50'));
        if (kind === 'extract' || kind === 'transfer') remediation.push('# if every node fails the same way, the layer in the registry is corrupt: rebuild and push the image');
      } else {
        remediation.push(onHost('dmesg | tail -50'));
      }
      if (node) {
        remediation.push(`# move the pod off the node meanwhile: ${k(ctx, `cordon ${sh(node)}`)} && ${k(ctx, `delete pod ${sh(ctx.podName)} ${ns(ctx)}`)}`);
      }

      const evidence = runtimeEvidence(ctx, c);
      if (pressure && info) evidence.push(nodeEvidence(info, `DiskPressure=True${pressure.message ? `: ${pressure.message}` : ''}`));
      return withProbeNotes({ container: c.name, image: c.image, message, evidence, remediation }, c);
    });
  },
};

export default rule;
