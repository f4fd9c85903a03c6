import type { Hit, PodFacts, Rule } from '../src/engine/rule.js';
import { containerList, containerStatusEvidence, failing, listNames, listedSecretEvidence, secretEvidence } from './lib/evidence.js';
import { restartWorkload } from './lib/commands.js';
import { ageHours, containersUsing, foundSecrets, formatHours, refreshTokenSecret, registryHost, tokenLifetime } from './lib/secret-helpers.js';
import { stopPastingTokens } from './lib/cloud-helpers.js';

const LONG_LIVED: Record<string, string> = {
  'Amazon ECR': 'the node IAM role with the kubelet ECR credential provider (no pull secret at all)',
  'Google Container Registry': 'a service-account key (username _json_key) or Workload Identity / the node service account',
  'Google Artifact Registry': 'a service-account key (username _json_key) or Workload Identity / the node service account',
  'Azure Container Registry': 'a service principal or token scoped to the registry, or the AKS kubelet identity (az aks update --attach-acr)',
};

/**
 * Where the image is cached: the node of every pod the finding stands for (a workload's pods
 * may run on several nodes; each one's cache keeps a pod running), with the pods on each.
 */
function cachedWhere(pods: readonly PodFacts[]): string {
  const byNode = new Map<string, string[]>();
  const unscheduled: string[] = [];
  for (const { pod, facts } of pods) {
    const node = facts.node;
    if (!node) unscheduled.push(pod);
    else byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  if (byNode.size === 0) return pods.length > 1 ? "each pod's node" : 'its node';
  const nodes = [...byNode.keys()].sort();
  const podsOn = (list: string[]) => `pod${list.length === 1 ? '' : 's'} ${listNames(list)}`;
  const where = listNames(nodes.map((n) => `${n} (${podsOn(byNode.get(n) ?? [])})`), 'and', Infinity);
  return `node${nodes.length === 1 ? '' : 's'} ${where}${unscheduled.length ? ` and the node of ${podsOn(unscheduled)}` : ''}`;
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
    const hits: Hit[] = [];
    for (const s of foundSecrets(ctx)) {
      const p = s.parsed;
      if (p.format === null || p.error !== undefined) continue;
      // Most secrets hold no short-lived token at all: nothing more to look at.
      const lives = p.entries.map((e) => tokenLifetime(e.registryKey, e.username));
      if (!lives.some((l) => l !== undefined)) continue;
      // Last write when the source kept managedFields (live scans), else creation time.
      const stamp = p.updatedAt ?? p.createdAt;
      const what = p.updatedAt ? 'last written' : 'created';
      const age = ageHours(ctx, stamp);
      if (age === undefined) continue;
      const users = containersUsing(ctx, s.name).filter((c) => c.running);
      if (users.length === 0) continue;
      const usedKeys = new Set(users.flatMap((c) => (c.lookup?.credentials ?? []).filter((cr) => cr.secret === s.name).map((cr) => cr.registryKey)));
      for (const [i, e] of p.entries.entries()) {
        if (!usedKeys.has(e.registryKey)) continue;
        const life = lives[i];
        if (!life || age <= life.hours) continue;
        const cs = users.filter((c) => c.lookup?.credentials.some((cr) => cr.secret === s.name && cr.registryKey === e.registryKey));
        // One finding stands for every pod of the workload: the message names every pod's node.
        const render = (pods: readonly PodFacts[]) =>
          `Pull secret "${s.name}" holds an ${life.provider} token for "${e.registryKey}" (user ${e.username}); such tokens expire after about ${life.hours} h, ` +
          `and this secret was ${what} ${formatHours(age)} ago (${stamp}). ${containerList(cs)} run${cs.length === 1 ? 's' : ''} only because the image is cached on ${cachedWhere(pods)}; ` +
          `the next pull (a new node, a new tag, pullPolicy Always, image garbage collection) will be rejected. ` +
          (p.updatedAt ? '' : `If something refreshes this secret in place, its creationTimestamp does not show it; check that refresher.`);
        const facts = { node: ctx.pod.spec.nodeName ?? '' };
        hits.push({
          secret: s.name,
          message: render([{ pod: ctx.podName, facts }]),
          perPod: { facts, render },
          evidence: [
            listedSecretEvidence(ctx, s.name),
            secretEvidence(ctx, s, `key "${e.registryKey}", username ${e.username}, ${what} ${stamp} (${formatHours(age)} before the scan)`),
            ...cs.slice(0, 2).map((c) => containerStatusEvidence(ctx, c, `running${c.imageID ? `, imageID ${c.imageID}` : ''}`)),
          ],
          remediation: [
            `# refresh now (the token is fetched on your machine and piped straight into the secret):`,
            refreshTokenSecret(ctx, s.name, e.registryKey, e.username, life.provider),
            ...(cs[0]?.nodeProvider?.status === 'covered' || cs[0]?.nodeProvider?.status === 'not-covered'
              ? stopPastingTokens(ctx, cs[0], s.name, registryHost(e.registryKey))
              : [`# then make it permanent: use ${LONG_LIVED[life.provider] ?? 'a long-lived credential'}, or refresh the secret on a schedule (a CronJob that runs the command above)`]),
            `# check the next pull works: ${restartWorkload(ctx)}`,
          ],
        });
      }
    }
    return hits;
  },
};

export default rule;
