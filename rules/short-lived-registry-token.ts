import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import type { PullContext } from '../src/engine/types.js';
import { containerList, containerStatusEvidence, failing, listedSecretEvidence, secretEvidence } from './lib/evidence.js';
import { restartWorkload } from './lib/commands.js';
import { ageHours, containersUsing, foundSecrets, formatHours, refreshTokenSecret, tokenLifetime } from './lib/secret-helpers.js';

const LONG_LIVED: Record<string, string> = {
  'Amazon ECR': 'the node IAM role with the kubelet ECR credential provider (no pull secret at all)',
  'Google Container Registry': 'a service-account key (username _json_key) or Workload Identity / the node service account',
  'Google Artifact Registry': 'a service-account key (username _json_key) or Workload Identity / the node service account',
  'Azure Container Registry': 'a service principal or token scoped to the registry, or the AKS kubelet identity (az aks update --attach-acr)',
};

/**
 * Where the image is cached. A bare pod runs on one node; a workload's pods may run on several,
 * and this finding stands for all of them, so the node is named per pod rather than as "the" node.
 */
function cachedWhere(ctx: PullContext): string {
  const node = ctx.pod.spec.nodeName;
  if (ctx.workload.kind === 'Pod') return node ? `node ${node}` : 'its node';
  return `each pod's node${node ? ` (pod ${ctx.podName} is on ${node})` : ''}`;
}

/**
 * A static pull secret holding a short-lived cloud registry token (ECR 12 h; GCR/Artifact
 * Registry `oauth2accesstoken` 1 h; ACR AAD token ~3 h) that is older than the token's
 * lifetime, on a pod that runs. It works only while the image stays cached on this node: the
 * next pull on a new node fails. When a pull already fails, registry-auth-rejected reports it.
 */
const rule: Rule = {
  meta: {
    id: 'short-lived-registry-token',
    title: 'Pull secret holds an expired short-lived registry token',
    severity: 'warning',
    category: 'credentials',
    summary:
      'A pull secret holds an ECR, GCR/Artifact Registry or ACR token older than its lifetime; the running pod works only until its image must be pulled again.',
    confidence: 'likely',
  },
  check(ctx) {
    if (failing(ctx).length) return [];
    const hits: RuleHit[] = [];
    for (const s of foundSecrets(ctx)) {
      const p = s.parsed;
      if (p.format === null || p.error !== undefined) continue;
      // Last write when the source kept managedFields (live scans), else creation time.
      const stamp = p.updatedAt ?? p.createdAt;
      const what = p.updatedAt ? 'last written' : 'created';
      const age = ageHours(ctx, stamp);
      if (age === undefined) continue;
      const users = containersUsing(ctx, s.name).filter((c) => c.running);
      if (users.length === 0) continue;
      const usedKeys = new Set(users.flatMap((c) => (c.lookup?.credentials ?? []).filter((cr) => cr.secret === s.name).map((cr) => cr.registryKey)));
      for (const e of p.entries) {
        if (!usedKeys.has(e.registryKey)) continue;
        const life = tokenLifetime(e.registryKey, e.username);
        if (!life || age <= life.hours) continue;
        const cs = users.filter((c) => c.lookup?.credentials.some((cr) => cr.secret === s.name && cr.registryKey === e.registryKey));
        hits.push({
          secret: s.name,
          message:
            `Pull secret "${s.name}" holds an ${life.provider} token for "${e.registryKey}" (user ${e.username}); such tokens expire after about ${life.hours} h, ` +
            `and this secret was ${what} ${formatHours(age)} ago (${stamp}). ${containerList(cs)} run${cs.length === 1 ? 's' : ''} only because the image is cached on ${cachedWhere(ctx)}; ` +
            `the next pull (a new node, a new tag, pullPolicy Always, image garbage collection) will be rejected. ` +
            (p.updatedAt ? '' : `If something refreshes this secret in place, its creationTimestamp does not show it; check that refresher.`),
          evidence: [
            listedSecretEvidence(ctx, s.name),
            secretEvidence(ctx, s, `key "${e.registryKey}", username ${e.username}, ${what} ${stamp} (${formatHours(age)} before the scan)`),
            ...cs.slice(0, 2).map((c) => containerStatusEvidence(ctx, c, `running${c.imageID ? `, imageID ${c.imageID}` : ''}`)),
          ],
          remediation: [
            `# refresh now (the token is fetched on your machine and piped straight into the secret):`,
            refreshTokenSecret(ctx, s.name, e.registryKey, e.username, life.provider),
            `# then make it permanent: use ${LONG_LIVED[life.provider] ?? 'a long-lived credential'}, or refresh the secret on a schedule (a CronJob that runs the command above)`,
            `# check the next pull works: ${restartWorkload(ctx)}`,
          ],
        });
      }
    }
    return hits;
  },
};

export default rule;
