import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import type { PluginRun } from '../src/node/types.js';
import { sh } from '../src/util/shell.js';
import { crictlPull, fileEvidence, KUBELET_JOURNAL, shellOnNode } from './lib/node-helpers.js';

const LOG = 'Failed getting credential from external registry credential provider: ';

function failure(r: PluginRun): { kubelet: string; why: string } | undefined {
  if (r.kubeletError) {
    const why = r.timedOut ? 'it did not finish within the kubelet\'s one-minute limit' : r.spawnError ? 'it could not be started' : `it exited with ${r.exitCode === null ? 'a signal' : `status ${r.exitCode}`}`;
    return { kubelet: `${LOG}${r.kubeletError}`, why };
  }
  const d = r.decoded;
  if (!d || d.ok) return undefined;
  if (d.stage === 'cache-key-type') return { kubelet: d.kubeletError, why: 'its response has no valid cacheKeyType (Image, Registry or Global), so the kubelet throws the whole response away' };
  if (d.stage === 'api-version') return { kubelet: `${LOG}${d.kubeletError}`, why: 'its response speaks a different protocol version than the provider\'s apiVersion in the config' };
  if (d.stage === 'gvk') return { kubelet: `${LOG}${d.kubeletError}`, why: 'its stdout is not a CredentialProviderResponse' };
  return { kubelet: `${LOG}${d.kubeletError}`, why: `the kubelet cannot decode its response strictly (the kubelet does not log why; pulldoctor found: ${d.cause ?? 'unknown'})` };
}

/**
 * With --probe: the credential provider plugin, run exactly as the kubelet runs it, fails (exit
 * status, timeout, a response the kubelet rejects, an invalid cacheKeyType), returns nothing the
 * image can use, or returns credentials the registry refuses.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-provider-plugin-failing',
    title: 'Credential provider plugin fails or returns unusable credentials',
    severity: 'error',
    category: 'node',
    summary: 'Run as the kubelet runs it (--probe), the credential provider plugin fails, returns a response the kubelet discards, returns no usable key, or returns credentials the registry refuses.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: NodeRuleHit[] = [];
    const binDir = ctx.snapshot.providers?.binDir ?? '';
    for (const img of ctx.images) {
      for (const r of img.pluginRuns) {
        const apiVersion = ctx.snapshot.providers?.providers.find((p) => p.name === r.provider)?.apiVersion ?? '';
        const run = `echo ${sh(`{"kind":"CredentialProviderRequest","apiVersion":"${apiVersion}","image":"${r.image}"}`)} | ${r.command.map(sh).join(' ')}`;
        const base = [shellOnNode(ctx), KUBELET_JOURNAL];
        const evidence = [fileEvidence(`${binDir}/${r.provider}`, `run as the kubelet runs it with the ${r.environment === 'kubelet' ? "kubelet's environment" : "pulldoctor pod's environment (the kubelet process was not visible)"}: exit ${r.exitCode ?? 'none'} after ${r.durationMs} ms${r.stderr ? `; stderr: ${r.stderr}` : ''}`)];
        const f = failure(r);
        const after = ' The kubelet records no event for this: it logs the line above, continues with the other providers, the pod\'s pull secrets and the node docker config, and pulls anonymously when none applies (containerd then reports "failed to fetch anonymous token").';
        if (f) {
          hits.push({
            subject: r.provider,
            image: img.image,
            message: `The credential provider "${r.provider}" on node ${ctx.node} fails for ${r.image}: ${f.why}. The kubelet logs: ${f.kubelet}.${after}`,
            evidence,
            remediation: [...base, run, '# fix the plugin\'s own dependency (its cloud identity, metadata endpoint, config file named in args) or its apiVersion in the provider config, then pull again', crictlPull(img.image)],
          });
          continue;
        }
        if (!r.decoded?.ok) continue;
        const res = r.decoded.response;
        const mine = img.pluginLookup?.credentials.filter((c) => c.secret === r.provider) ?? [];
        if (res.auth.length === 0 || mine.length === 0) {
          const keys = res.auth.map((a) => a.key);
          hits.push({
            subject: r.provider,
            image: img.image,
            severity: 'warning',
            message:
              `The credential provider "${r.provider}" on node ${ctx.node} runs for ${r.image} but gives it no credential: ` +
              (keys.length
                ? `it returned keys ${keys.map((k) => `"${k}"`).join(', ')}, and the kubelet matches returned keys against the image again, with the same rules as matchImages — none of them matches ${r.image}.`
                : 'its response has an empty auth map, which the kubelet accepts without a log line (as auth-provider-gcp does when the metadata server does not answer).') +
              after,
            evidence,
            remediation: [...base, run, crictlPull(img.image)],
          });
          continue;
        }
        const refused = img.probe?.attempts.find((a) => mine.some((c) => c.registryKey === a.registryKey && c.secret === a.credential) && (a.outcome === 'credentials-rejected' || a.outcome === 'access-denied'));
        if (refused && img.probe?.outcome !== 'ok') {
          hits.push({
            subject: r.provider,
            image: img.image,
            message: `The registry refuses the credentials the provider "${r.provider}" returns on node ${ctx.node} for ${r.image} (user "${refused.username ?? ''}"): ${refused.detail}. The plugin works; the identity behind it has no pull access to this repository.`,
            evidence: [...evidence, { source: 'probe', ref: img.probe!.registry, detail: `${refused.outcome}: ${refused.detail}` }],
            remediation: [...base, '# grant the node identity pull access to the repository (ECR: ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the node role; Artifact Registry: roles/artifactregistry.reader for the node service account; ACR: AcrPull for the kubelet identity)', crictlPull(img.image)],
          });
        }
      }
    }
    return hits;
  },
};

export default rule;
