/**
 * The rules `pulldoctor check` runs on manifests (pod templates before they are deployed): the
 * catalogue's rules whose cause is static — a secret, a ServiceAccount, an image reference, a
 * probe of the registry — and the manifest-only rules. No runtime or event rule runs in a check:
 * a pod template has no status and no events.
 *
 * Hook for issue 12 (node-provider coverage, "the image's registry is covered by the node's
 * credential provider" and its opposite): once those rules exist, add their ids to
 * CATALOGUE_IDS — they read the platform from Nodes, which a check against a context can read
 * the same way (src/collect/check-plan.ts is where that read goes).
 */
import type { Rule } from '../src/engine/rule.js';
import { MANIFEST_RULES, RULES } from './index.js';

/** Catalogue rules whose cause a manifest (with the cluster's secrets, or a probe) shows before deploying. */
export const CATALOGUE_IDS: readonly string[] = [
  'docker-hub-credentials-shadowed',
  'image-not-found', // with --probe: the tag or repository the registry does not have
  'image-reference-invalid',
  'pull-secret-malformed',
  'pull-secret-misplaced',
  'pull-secret-no-auths',
  'pull-secret-no-credentials',
  'pull-secret-not-found',
  'pull-secret-not-referenced',
  'pull-secret-wrong-namespace',
  'pull-secret-wrong-type',
  'registry-credentials-mismatch',
  'service-account-pull-secret-not-found',
];

/** Everything a check runs, sorted by id. */
export const CHECK_RULES: readonly Rule[] = [...RULES.filter((r) => CATALOGUE_IDS.includes(r.meta.id)), ...MANIFEST_RULES].sort((a, b) =>
  a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0,
);
