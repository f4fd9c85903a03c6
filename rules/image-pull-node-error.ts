import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { k, ns, onNodeHost, sh } from './lib/commands.js';
import { nodeEvidence, runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, nodeInfoOf, nodeOf, registryOf, subKindOf, withProbeNotes, type PullProblem } from './lib/runtime-helpers.js';
import type { SubKinds } from '../src/engine/classify.js';

type NodeKind = SubKinds['node-error'] | 'inspect' | 'other';

function nodeKind(p: PullProblem): NodeKind {
  if (p.cause === 'inspect-error') return 'inspect';
  return subKindOf(p, 'node-error') ?? 'other';
}

const EXPLAIN: Record<NodeKind, string> = {
  'disk-full': "the node's image filesystem is full (no space left on device)",
  extract: 'the runtime downloaded the image but failed to unpack a layer (corrupt or truncated layer, or a storage driver problem on the node)',
  transfer:
    'a layer arrived incomplete or different from what the image manifest promised, so the runtime refused to store it (the download broke off on the way, a stale partial download on the node was reused, or the blob in the registry is corrupt)',
  'io-error': "the node's storage failed (I/O error or read-only file system)",
  inspect: "the runtime could not inspect the image in its own store (ImageInspectError): the node's image store is damaged or the runtime is unhealthy",
  other: 'the node failed to store the image',
};

/**
 * The registry answered, the node failed: disk full, storage I/O errors, a layer download that
 * broke off or arrived different (content-store commit size/digest mismatch, unexpected EOF while
 * storing a blob), layer extraction / unpack failures, and ImageInspectError (the runtime's image
 * status call failed, semantics §1.4). A broken transfer belongs here rather than with
 * registry-unreachable: the registry was reached and answered, and the fix is on the node (clear
 * the partial download, retry) or on the path that cuts long downloads, not DNS or egress.
 */
const rule: Rule = {
  meta: {
    id: 'image-pull-node-error',
    title: 'Node failed to store or unpack the image',
    severity: 'error',
    category: 'node',
    summary: 'The registry answered but the node failed: disk full, a layer download that broke off or arrived corrupt, layer unpack failure, storage I/O error, or ImageInspectError.',
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
      } else if (kind === 'transfer') {
        const runtime = p.classified?.runtime;
        if (runtime === undefined || runtime === 'containerd') {
          remediation.push(onHost('ctr -n k8s.io content active') + '   # containerd: the partial downloads it still holds');
          remediation.push(
            "# containerd: a stale partial download makes every retry fail on the same layer (a digest of empty content, sha256:e3b0c442…, is the sign); with the node cordoned and no pull running, empty /var/lib/containerd/io.containerd.content.v1.content/ingest/ on the node (containerd/containerd#3974)",
          );
        }
        remediation.push(onHost(`crictl rmi ${sh(c.image)}`) + '   # drop the partial image so the next pull starts clean');
        remediation.push(`# if the download breaks off (unexpected EOF, a short size): look for a proxy or middlebox between the nodes and ${p.classified?.registry ?? registryOf(c)} that cuts long or large downloads, or mirror the image closer to the cluster`);
        remediation.push('# if every node fails on the same layer digest, the blob in the registry is corrupt: push the image again');
      } else if (kind === 'extract' || kind === 'inspect') {
        remediation.push(onHost(`crictl rmi ${sh(c.image)}`) + '   # drop the partial/damaged image so the next pull starts clean');
        remediation.push(onHost('journalctl -u containerd -u crio --since -1h --no-pager | tail -50'));
        if (kind === 'extract') remediation.push('# if every node fails the same way, the layer in the registry is corrupt: rebuild and push the image');
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
