/**
 * The contract between the engine and the rules (rules/<id>.ts implement it; the registry is
 * rules/index.ts). A rule is `{ meta, check(ctx) }`: pure, synchronous, no I/O, no clock
 * except `ctx.now`. It returns hits; the engine turns hits into Findings.
 */
import type { Confidence, RuleHit, Severity } from '../model/finding.js';
import type { PullContext } from './types.js';

export type RuleCategory = 'secret' | 'credentials' | 'service-account' | 'registry' | 'image' | 'node' | 'fallback';

export interface RuleMeta {
  /** Public API: never rename; keep old ids working. */
  id: string;
  title: string;
  /** Default severity: error = blocks a pull now; warning = latent; info = worth knowing. */
  severity: Severity;
  category: RuleCategory;
  /** One sentence for `pulldoctor rules`. */
  summary: string;
  /** Default confidence of its findings. */
  confidence: Confidence;
  /** Runs after all other rules and sees which containers they explained. */
  fallback?: boolean;
}

export interface RuleState {
  /** Container names (per pod) that some other rule already produced a finding for. */
  explainedContainers: ReadonlySet<string>;
}

/** One pod's facts, as a grouped finding's message renders them. */
export interface PodFacts {
  pod: string;
  facts: Readonly<Record<string, string>>;
}

/**
 * A message that depends on facts that differ between the pods one finding stands for (e.g.
 * the node each pod runs on). Equal hits across the pods of one workload become one finding;
 * the engine keeps each grouped pod's `facts` and, once every pod has been seen, sets the
 * finding's message to `render(pods)` (pods in scan order, each once).
 */
export interface PerPodMessage {
  facts: Readonly<Record<string, string>>;
  render(pods: readonly PodFacts[]): string;
}

/** What a rule returns: a RuleHit, whose message may be rendered from every grouped pod's facts. */
export interface Hit extends RuleHit {
  perPod?: PerPodMessage;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: PullContext, state: RuleState): Hit[];
}
