/**
 * The contract between the engine and the node rules (`pulldoctor node`): a NodeRule is
 * `{ meta, check(ctx) }` over one node's NodeContext — pure, synchronous, no I/O. Its hits
 * become Findings about the node (workload `{ kind: 'Node' }`), with the same severities,
 * confidence, runbooks and renderers as the cluster scan's.
 */
import type { LookupResult, MatchImageMiss } from '../credentials/index.js';
import type { ImageParseResult } from '../image/reference.js';
import type { ContainerProbe, RuleHit } from '../model/finding.js';
import type { CrioRegistry, HostsDir, NodeImageInput, NodeSnapshot, PluginRun } from '../node/types.js';
import type { RuleMeta } from './rule.js';

/** One endpoint the runtime contacts for an image, in its order. */
export interface NodeEndpoint {
  url: string;
  scheme: string;
  /** host[:port]. */
  host: string;
  path: string;
  role: 'mirror' | 'server' | 'default' | 'location';
  /** Effective capabilities (containerd); `pull` and `resolve` for CRI-O. */
  capabilities: string[];
  skipVerify: boolean;
  insecure: boolean;
  ca: string[];
  /** The file that configured it. */
  from?: string;
}

export interface NodeProviderMatch {
  name: string;
  /** The matchImages entry that selects it, when one does. */
  matchedBy?: string;
  tokenMode: boolean;
}

export interface NodeImageContext {
  input: NodeImageInput;
  image: string;
  parse: ImageParseResult;
  /** repoToPull, when the image parses. */
  lookup?: string;
  /** The node docker config keyring's answer (the file the kubelet uses). */
  nodeConfig?: { file: string; result: LookupResult };
  /** Files the kubelet never reads (after the winner) whose keys would match the image. */
  shadowedConfigs: { file: string; keys: string[] }[];
  providers: NodeProviderMatch[];
  nearMisses: MatchImageMiss[];
  pluginRuns: PluginRun[];
  /** The plugins' keyring (successful runs only), looked up with the image. */
  pluginLookup?: LookupResult;
  endpoints: NodeEndpoint[];
  /** containerd: the host namespace directory used, if any. */
  hostsDir?: HostsDir;
  /** CRI-O: the [[registry]] table selected, and the policy.json requirement. */
  crioRegistry?: CrioRegistry;
  policy?: { scope: string; types: string[] };
  probe?: ContainerProbe;
  mirrorProbes: ContainerProbe[];
}

export interface NodeContext {
  now: Date;
  node: string;
  snapshot: NodeSnapshot;
  images: NodeImageContext[];
  /** Whether --probe ran (plugins executed, registries asked). */
  probed: boolean;
}

/** A node rule's hit; `subject` tells apart several hits of one rule (a file, a provider). */
export type NodeRuleHit = Omit<RuleHit, 'container' | 'secret' | 'causedBy'> & { subject?: string };

export interface NodeRule {
  meta: RuleMeta;
  check(ctx: NodeContext): NodeRuleHit[];
}
