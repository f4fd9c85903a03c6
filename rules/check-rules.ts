/**
 * The rules `pulldoctor check` runs on manifests (pod templates before they are deployed): the
 * catalogue's rules whose cause is static — a secret, a ServiceAccount, an image reference, a
 * probe of the registry — and the manifest-only rules. No runtime or event rule runs in a check:
 * a pod template has no status and no events.
 *
 * Not here: the node rules (rules/node-rules.ts: credential providers, node docker config,
 * mirrors). They read a node's filesystem (`pulldoctor node`), which a check against a context
 * cannot: they stay `pulldoctor node`'s.
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
  'registry-access-denied', // with --probe: a 403, or an anonymous 401 (a private repository and no credential)
  'registry-auth-rejected', // with --probe: the registry refuses the credentials the kubelet would send
  'registry-credentials-mismatch',
  'registry-rate-limited', // with --probe, a warning: not verified
  'registry-tls-error', // with --probe, a warning: not verified
  'registry-unreachable', // with --probe, a warning: not verified
  'service-account-pull-secret-not-found',
];

/** Everything a check runs, sorted by id. */
export const CHECK_RULES: readonly Rule[] = [...RULES.filter((r) => CATALOGUE_IDS.includes(r.meta.id)), ...MANIFEST_RULES].sort((a, b) =>
  a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0,
);
