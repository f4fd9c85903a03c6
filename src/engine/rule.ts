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

export interface Rule {
  meta: RuleMeta;
  check(ctx: PullContext, state: RuleState): RuleHit[];
}
