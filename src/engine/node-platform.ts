/**
 * The credential provider step of each pod's pulls: which platform its node runs
 * (src/credentials/node-platform.ts), what the scan could see of that node, and, per image,
 * whether the platform's provider covers it (src/credentials/provider-coverage.ts). Computed once
 * per node and per (platform, image), so the cost stays linear in the number of pods.
 */
import {
  clusterIdentity,
  nodeProviderCoverage,
  recognisePlatform,
  type ClusterIdentity,
  type NodePlatform,
  type ProviderCoverage,
} from '../credentials/index.js';
import type { Evidence } from '../model/finding.js';
import type { NodeInfo } from '../model/kube.js';
import type { AccessProblem, SkippedObject, Snapshot } from '../model/snapshot.js';
import type { NodePlatformView } from './types.js';

/** The Node as evidence: the fields that decided its platform. */
function nodeEvidence(node: NodeInfo, facts: NodePlatform): Evidence {
  const bits = facts.signals.length ? facts.signals : ['no providerID, no platform label'];
  return { source: 'node', ref: `Node ${node.name}`, detail: bits.join('; ') };
}

export class NodePlatforms {
  private readonly byName: Map<string, NodeInfo>;
  private readonly views = new Map<string, NodePlatformView>();
  /** Provider coverage per `platform/compute`, then per image. */
  private readonly coverage = new Map<string, Map<string, ProviderCoverage>>();
  private readonly coverageByView = new Map<NodePlatformView, Map<string, ProviderCoverage>>();
  private readonly problem: AccessProblem | undefined;
  /** Node reads that failed (a list that got 5xx or no answer) and Nodes skipped as malformed. */
  private readonly unread: SkippedObject[];
  private readonly cluster: ClusterIdentity | undefined;

  constructor(private readonly snapshot: Snapshot) {
    this.byName = new Map(snapshot.nodes.map((n) => [n.name, n]));
    this.problem = snapshot.accessProblems.find((p) => p.resource === 'nodes');
    this.unread = (snapshot.skippedObjects ?? []).filter((e) => e.kind === 'Node');
    this.cluster = clusterIdentity(snapshot.source.cluster);
  }

  /** What the scan knows of the platform of the node `name` (the pod's node). */
  view(name: string | undefined): NodePlatformView {
    const key = name ?? '';
    let v = this.views.get(key);
    if (!v) {
      v = this.compute(name);
      this.views.set(key, v);
    }
    return v;
  }

  private compute(name: string | undefined): NodePlatformView {
    const base: Partial<NodePlatformView> = this.cluster ? { cluster: this.cluster } : {};
    if (!name) return { ...base, status: 'unscheduled' };
    const node = this.byName.get(name);
    if (node) {
      const facts = recognisePlatform(node);
      return { ...base, status: 'recognised', node: name, facts, evidence: nodeEvidence(node, facts) };
    }
    if (this.problem) return { ...base, status: 'forbidden', node: name, accessProblem: this.problem };
    // This node skipped as malformed, or the node list failed: unread, as completeness.ts reports it.
    const unread = this.unread.find((e) => e.name === name) ?? this.unread.find((e) => e.name === undefined);
    if (unread) return { ...base, status: 'unreadable', node: name, unread };
    if (this.snapshot.coverage.nodes === 'none') return { ...base, status: 'not-read', node: name };
    return { ...base, status: 'absent', node: name };
  }

  /** The provider step for one image on the view's platform; undefined when the platform is not known. */
  coverageFor(view: NodePlatformView, repoToPull: string): ProviderCoverage | undefined {
    const facts = view.facts;
    if (!facts) return undefined;
    // Per view (one per node), the answers of every node with the same platform and compute.
    let byRepo = this.coverageByView.get(view);
    if (!byRepo) {
      const platform = `${facts.platform}/${facts.compute ?? ''}`;
      byRepo = this.coverage.get(platform);
      if (!byRepo) {
        byRepo = new Map();
        this.coverage.set(platform, byRepo);
      }
      this.coverageByView.set(view, byRepo);
    }
    let c = byRepo.get(repoToPull);
    if (!c) {
      c = nodeProviderCoverage(repoToPull, facts);
      byRepo.set(repoToPull, c);
    }
    return c;
  }
}
