import type { Rule } from '../src/engine/rule.js';
import type { MisplacedPullSecrets } from '../src/engine/types.js';
import type { PullSecretMisplacement } from '../src/model/manifest.js';
import type { RuleHit } from '../src/model/finding.js';
import { correctedSnippet } from '../src/collect/misplaced-pull-secrets.js';
import { k, ns, podTemplatePatch, sh } from './lib/commands.js';
import { failing, failingNowNote, listNames } from './lib/evidence.js';
import { anonymousUnverified, inCheck, manifestEdit, ownPullSecretNames, podSpecField } from './lib/manifest.js';
import type { PullContext } from '../src/engine/types.js';

/**
 * `pulldoctor check`: the manifest itself is wrong, so the fix is to it — remove the field where
 * it is, and write the list at the pod spec (beside the names it lists there already).
 */
function checkRemediation(ctx: PullContext, mp: MisplacedPullSecrets, names: string[]): string[] {
  const first = mp.items[0]!;
  const here = { object: mp.object, path: first.segments };
  const wanted = [...new Set([...ownPullSecretNames(ctx), ...names])];
  const snippet = `imagePullSecrets: ${correctedSnippet(wanted).replace(/^imagePullSecrets: /, '')}`;
  const out: string[] = [];
  if (first.kind === 'wrong-shape') out.push(manifestEdit(ctx, here, 'write it as a list of {name} objects', snippet));
  else if (first.kind === 'misspelled-key') out.push(manifestEdit(ctx, here, `rename "${first.key}" to imagePullSecrets`, snippet));
  else {
    for (const m of mp.items) out.push(manifestEdit(ctx, { object: mp.object, path: m.segments }, 'remove it here'));
    out.push(manifestEdit(ctx, podSpecField(ctx, 'imagePullSecrets'), 'and write it in the pod spec, beside containers', snippet));
  }
  out.push(`# kubectl apply's default --validate=strict rejects a misplaced field instead of silently dropping it: keep it on (and kubeconform -strict in CI)`);
  return out;
}

/** Where it sits, in words. */
function where(m: PullSecretMisplacement): string {
  switch (m.kind) {
    case 'under-container':
      return `under container ${m.container ?? '?'} (${m.path})`;
    case 'in-metadata':
      return `in metadata (${m.path})`;
    case 'misspelled-key':
      return `beside the containers but spelled "${m.key}" (${m.path})`;
    case 'wrong-shape':
      return `at ${m.path}, but as ${m.shape === 'strings' ? 'a list of strings' : m.shape === 'string' ? 'a single string' : m.shape === 'object' ? 'a single object, not a list' : 'entries without a name'} instead of a list of {name: …} objects`;
    default:
      return `at ${m.path}`;
  }
}

/** Where the pod spec sits in the object, for "move it to …". */
const specOf = (m: PullSecretMisplacement) => m.target.replace(/\.imagePullSecrets$/, '') || 'the pod spec';

/**
 * `imagePullSecrets` written where the kubelet does not read it: under a container, in
 * metadata, on the workload's own spec, with a misspelled key, or as a list of strings. The API
 * server drops unknown fields, so in a cluster the mistake survives only in the object's
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, which is where the scan reads it
 * (src/collect/misplaced-pull-secrets.ts, shared with manifest checks). The pods get no pull secret from it.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-misplaced',
    title: 'imagePullSecrets is where the kubelet does not read it',
    severity: 'error',
    category: 'secret',
    summary:
      'The manifest puts imagePullSecrets under a container, in metadata, under a misspelled key or as plain strings; the kubelet reads only the pod spec\'s list of {name} objects.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hurt = failing(ctx);
    const listed = new Set(ctx.pullSecrets.map((s) => s.name));
    return ctx.misplacedPullSecrets.map((mp: MisplacedPullSecrets): RuleHit => {
      const { kind, namespace, name } = mp.object;
      const names = [...new Set(mp.items.flatMap((m) => m.names))];
      const lacking = names.filter((n) => !listed.has(n));
      const first = mp.items[0]!;
      const places = mp.items.map(where);
      const whose = kind === 'Pod' ? 'the pod does' : 'its pods do';
      const check = inCheck(ctx);
      const message =
        `The ${check ? 'manifest' : 'last-applied configuration'} of ${kind} ${namespace}/${name} has imagePullSecrets ${listNames(places)}. ` +
        `The kubelet reads pull secrets only from ${first.target}, a list of {name: …} objects; the API server drops the field elsewhere, ` +
        (lacking.length
          ? `so ${whose} not get ${listNames(lacking.map((n) => `"${n}"`))} from it${failingNowNote(hurt, ctx)}.`
          : names.length
            ? `but the pod lists ${listNames(names.map((n) => `"${n}"`))} anyway (added another way), so only the manifest needs fixing.`
            : `so ${whose} not get a pull secret from it${failingNowNote(hurt, ctx)}.`);
      const snippet = correctedSnippet(names);
      const how =
        first.kind === 'wrong-shape'
          ? `write it at ${first.path} as a list of {name} objects`
          : first.kind === 'misspelled-key'
            ? `rename "${first.key}" to imagePullSecrets (at ${specOf(first)}, beside containers)`
            : `move it to ${specOf(first)} (the pod spec, beside containers)`;
      const remediation = [`# in the manifest, ${how}: ${snippet}`];
      const patch = lacking.length ? podTemplatePatch(ctx, `{"imagePullSecrets":[${lacking.map((n) => `{"name":${JSON.stringify(n).replace(/'/g, '')}}`).join(',')}]}`) : undefined;
      if (patch) remediation.push(`# meanwhile, add it to the live ${kind.toLowerCase()} (a strategic merge keeps the names already listed):`, patch);
      else if (lacking.length && kind === 'Pod') {
        remediation.push(`# imagePullSecrets cannot be changed on a running pod: delete it, then apply the corrected manifest`, k(ctx, `delete pod ${sh(name)} ${ns(ctx)}`));
      }
      remediation.push(`# apply manifests with kubectl's default --validate=strict: it rejects a misplaced field instead of silently dropping it`);
      return {
        message,
        severity: lacking.length === 0 && names.length ? 'info' : hurt.length ? 'error' : 'warning',
        evidence: [mp.from.evidence],
        remediation: check ? checkRemediation(ctx, mp, names) : remediation,
        ...(check ? { field: { object: mp.object, path: first.segments } } : {}),
        ...(check && lacking.length && anonymousUnverified(ctx, hurt).length ? { unverified: anonymousUnverified(ctx, hurt) } : {}),
        ...(names[0] ? { secret: names[0] } : {}),
        ...(lacking.length ? { causedBy: lacking.map((secret) => ({ rule: 'pull-secret-not-referenced', secret })) } : {}),
      };
    });
  },
};

export default rule;
