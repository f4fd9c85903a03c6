import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { platformDefaultsFor } from '../src/credentials/index.js';
import { sh } from '../src/util/shell.js';
import { fileEvidence, KUBELET_JOURNAL, RESTART_KUBELET, shellOnNode } from './lib/node-helpers.js';

/**
 * The plugin bin dir (`--image-credential-provider-bin-dir`) or a provider's executable in it is
 * missing or not executable: `exec.LookPath` fails at registration and the kubelet exits 1.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-provider-plugin-missing',
    title: 'Credential provider plugin missing or not executable: the kubelet will not start',
    severity: 'error',
    category: 'node',
    summary: 'The plugin bin dir or a provider\'s executable is missing, a directory or not executable; the kubelet exits at start-up with "Failed to register CRI auth plugins".',
    confidence: 'confirmed',
  },
  check(ctx) {
    const p = ctx.snapshot.providers;
    if (!p) return [];
    const hits: NodeRuleHit[] = [];
    const later = p.configErrors.length ? ' (the kubelet checks this after the config, which is invalid too: see node-provider-config-invalid)' : '';
    const defaults = platformDefaultsFor(p.configPath, p.providers.map((x) => x.name));
    const where = defaults.length ? ` The ${defaults[0]!.variant} node image installs it there; a custom AMI, image build or bootstrap step that skipped it is the usual cause.` : '';
    if (p.startupError?.stage === 'bin-dir') {
      hits.push({
        subject: p.binDir,
        message: `The kubelet on node ${ctx.node} cannot register its credential provider plugins: ${p.startupError.message}. At start-up it logs "Failed to register CRI auth plugins" and exits 1, so the node goes NotReady.${where}`,
        evidence: [fileEvidence(p.binDir || '--image-credential-provider-bin-dir', p.startupError.message)],
        remediation: [shellOnNode(ctx), KUBELET_JOURNAL, `ls -ld ${sh(p.binDir || '/')}`, `# install the plugin binaries into ${p.binDir || 'the bin dir'}, or point --image-credential-provider-bin-dir at the directory that holds them`, RESTART_KUBELET],
      });
      return hits;
    }
    for (const b of p.binaries) {
      if (b.status === 'ok') continue;
      const what = b.status === 'missing' ? 'does not exist' : b.status === 'not-executable' ? 'is not executable' : b.status === 'directory' ? 'is a directory' : 'cannot be inspected';
      hits.push({
        subject: b.path,
        message:
          `The credential provider "${b.provider}" on node ${ctx.node} has no usable executable: ${b.path} ${what}. ` +
          `The kubelet runs exec.LookPath on it at start-up, logs "Failed to register CRI auth plugins" err="${b.kubeletError}" and exits 1${later}.` +
          (b.status === 'missing' ? ' (The kubelet\'s message names no path: LookPath returns an empty one with its error.)' : '') +
          where,
        evidence: [fileEvidence(b.path, `${what}; kubelet: ${b.kubeletError}`)],
        remediation: [
          shellOnNode(ctx),
          KUBELET_JOURNAL,
          `ls -l ${sh(p.binDir)}`,
          b.status === 'not-executable' ? `chmod 0755 ${sh(b.path)}` : `# install the ${b.provider} binary as ${b.path} (the file name must equal providers[].name)`,
          RESTART_KUBELET,
        ],
      });
    }
    return hits;
  },
};

export default rule;
