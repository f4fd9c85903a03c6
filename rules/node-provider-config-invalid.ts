import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { sh } from '../src/util/shell.js';
import { fileEvidence, KUBELET_JOURNAL, RESTART_KUBELET, shellOnNode } from './lib/node-helpers.js';

/** What to change for the kubelet's most common complaints about a provider config. */
function fixesFor(errors: string[]): string[] {
  const fixes: string[] = [];
  const any = (re: RegExp) => errors.some((e) => re.test(e));
  if (any(/defaultCacheDuration: Required value/)) fixes.push('# add to every provider: defaultCacheDuration: "12h" (a quoted Go duration; "0" disables caching)');
  if (any(/cannot unmarshal number into Go value of type string/)) fixes.push('# quote durations: defaultCacheDuration: "0s" — an unquoted number is not a duration string');
  if (any(/providers\.apiVersion: (Required|Unsupported)/)) fixes.push('# set every provider\'s apiVersion to the exec protocol its plugin speaks, normally: apiVersion: credentialprovider.kubelet.k8s.io/v1');
  if (any(/matchImages: Required value/)) fixes.push('# give every provider at least one matchImages entry, e.g. "*.dkr.ecr.*.amazonaws.com"');
  if (any(/match image is invalid/)) fixes.push('# matchImages entries are host[:port][/path] globs: no spaces, no wildcard ports ("host:*"), no scheme');
  if (any(/unknown field/)) fixes.push('# remove or correct the unknown fields named above (field names are case-sensitive: matchImages, defaultCacheDuration, apiVersion, args, env, tokenAttributes)');
  if (any(/no kind .* is registered|wrong Kind|Kind' is missing/)) fixes.push('# the file must start with: apiVersion: kubelet.config.k8s.io/v1 and kind: CredentialProviderConfig');
  if (any(/duplicate provider name/)) fixes.push('# every provider name must be unique across all files of the config directory');
  if (any(/tokenAttributes/)) fixes.push('# tokenAttributes needs apiVersion credentialprovider.kubelet.k8s.io/v1, serviceAccountTokenAudience, requireServiceAccount and cacheType (ServiceAccount or Token), and the kubelet feature gate KubeletServiceAccountTokenForCredentialProviders');
  if (any(/unable to access path|no configuration files found/)) fixes.push('# create the file (or directory of *.yaml/*.yml/*.json files) the flag names, or point --image-credential-provider-config at the right one');
  return fixes;
}

/**
 * The kubelet's credential provider config (`--image-credential-provider-config`) does not decode
 * or validate: the kubelet logs `Failed to register CRI auth plugins` and exits 1 at start-up.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-provider-config-invalid',
    title: 'Credential provider config invalid: the kubelet will not start',
    severity: 'error',
    category: 'node',
    summary: 'The kubelet\'s credential provider config does not decode or validate; the kubelet exits at start-up with "Failed to register CRI auth plugins" (node NotReady).',
    confidence: 'confirmed',
  },
  check(ctx) {
    const p = ctx.snapshot.providers;
    if (!p || p.configErrors.length === 0) return [];
    const stage = p.startupError?.stage;
    const first = stage === 'bin-dir' ? p.startupError?.message : undefined;
    const kubeletErr = p.startupError && stage !== 'bin-dir' && stage !== 'binary' ? p.startupError.message : p.configErrors[0]!;
    const message =
      `The kubelet on node ${ctx.node} cannot register its credential provider plugins from ${p.configPath || '(an empty --image-credential-provider-config)'}: ` +
      `at start-up it logs "Failed to register CRI auth plugins" err="${kubeletErr}" and exits 1, so the node goes NotReady (or the kubelet crash-loops after a restart). ` +
      'A kubelet that is running now started before this file changed: it fails at its next restart.' +
      (first ? ` It stops even earlier on: ${first}.` : '');
    const hit: NodeRuleHit = {
      subject: p.configPath,
      message,
      evidence: [
        ...p.configErrors.map((e) => fileEvidence(p.files.find((f) => e.includes(f)) ?? p.configPath, e)),
        fileEvidence(ctx.snapshot.kubelet.files[0] ?? 'kubelet', `--image-credential-provider-config=${p.configPath} --image-credential-provider-bin-dir=${p.binDir} (${ctx.snapshot.kubelet.detail})`),
      ],
      remediation: [
        shellOnNode(ctx),
        KUBELET_JOURNAL,
        ...p.files.map((f) => `cat ${sh(f)}`),
        ...fixesFor(p.configErrors),
        RESTART_KUBELET,
      ],
    };
    return [hit];
  },
};

export default rule;
