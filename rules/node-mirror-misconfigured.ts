import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { sh } from '../src/util/shell.js';
import { placeholderText } from './lib/commands.js';
import { crictlPull, fileEvidence, parsedImages, shellOnNode } from './lib/node-helpers.js';

const RESTART_CONTAINERD = 'systemctl restart containerd && crictl info >/dev/null && echo CRI ok';

/**
 * The runtime's registry configuration does not do what it says: containerd refuses its CRI
 * config (`mirrors` or `configs.tls` next to `config_path`), ignores a hosts.toml it cannot
 * decode (every mirror in it disappears), ignores host directories when `config_path` is unset,
 * never pulls from a mirror without the `pull` capability; CRI-O cannot parse registries.conf or
 * skips mirrors for tags; with --probe, a mirror is unreachable from the node.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-mirror-misconfigured',
    title: 'Registry mirror configuration not in effect',
    severity: 'error',
    category: 'node',
    summary: 'containerd hosts.toml / config.toml or CRI-O registries.conf mirror settings are rejected, ignored or unreachable, so pulls do not go where the configuration says.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: NodeRuleHit[] = [];
    const c = ctx.snapshot.containerd;
    if (c) {
      for (const conflict of c.conflicts) {
        hits.push({
          subject: conflict,
          message: `containerd on node ${ctx.node} rejects its CRI configuration in ${c.configFile}: ${conflict}. The CRI plugin does not load, so the kubelet cannot start or pull any container ("unknown service runtime.v1.RuntimeService") until one of the two is removed.`,
          evidence: [fileEvidence(c.configFile, `${c.registryTable}: config_path = "${c.configPath}" and ${conflict.startsWith('`mirrors`') ? 'registry.mirrors' : 'registry.configs.*.tls'}`)],
          remediation: [shellOnNode(ctx), `journalctl -u containerd | grep -i 'failed to load plugin'`, `# move every registry.mirrors / registry.configs.*.tls entry of ${c.configFile} into ${c.configPathDirs[0] ?? '/etc/containerd/certs.d'}/${placeholderText('host')}/hosts.toml, then delete them from ${c.configFile}`, RESTART_CONTAINERD],
        });
      }
      for (const d of c.hostsDirs) {
        if (d.parseError) {
          hits.push({
            subject: d.file,
            message: `containerd on node ${ctx.node} ignores ${d.file}: ${d.parseError}. It logs "failed to decode ${d.file}" and falls back to the certificate files of ${d.dir}, so every mirror, CA and skip_verify setting in this hosts.toml has no effect for ${d.namespace}.`,
            evidence: [fileEvidence(d.file!, d.parseError)],
            remediation: [shellOnNode(ctx), `cat ${sh(d.file!)}`, `journalctl -u containerd | grep -F ${sh(`failed to decode ${d.file}`)}`, '# fix the file (capabilities: "pull", "resolve", "push"; ca/client: a path or a list of paths; dial_timeout: a duration like "5s"); containerd reads hosts.toml at every pull, no restart needed'],
          });
        }
        for (const h of d.hosts) {
          if (h.role === 'mirror' && h.capabilities.length > 0 && !h.capabilities.includes('pull')) {
            hits.push({
              subject: `${d.file} ${h.url}`,
              severity: 'warning',
              message: `The mirror ${h.url} in ${d.file} on node ${ctx.node} has capabilities [${h.capabilities.join(', ')}] without "pull": containerd never pulls from it.`,
              evidence: [fileEvidence(d.file!, `[host."${h.url}"] capabilities = [${h.capabilities.map((x) => `"${x}"`).join(', ')}]`)],
              remediation: [shellOnNode(ctx), `# in ${d.file}: capabilities = ["pull", "resolve"] under [host."${h.url}"] (or ["pull"] for a mirror that must not resolve tags)`],
            });
          }
        }
      }
      if (c.unusedCertsDir) {
        hits.push({
          subject: c.unusedCertsDir,
          severity: 'warning',
          message: `${c.unusedCertsDir} on node ${ctx.node} has registry host directories, but ${c.configFile} sets no config_path${c.registryTable ? ` under ${c.registryTable}` : ''}: containerd's CRI never reads them, so their mirrors and certificates have no effect on pods.`,
          evidence: [fileEvidence(c.configFile, 'no config_path'), fileEvidence(c.unusedCertsDir, 'host directories present')],
          remediation: [shellOnNode(ctx), `ls ${sh(c.unusedCertsDir)}`, `# add to ${c.configFile}: [plugins."io.containerd.cri.v1.images".registry] config_path = "${c.unusedCertsDir}" (containerd 2.x) or [plugins."io.containerd.grpc.v1.cri".registry] config_path = "${c.unusedCertsDir}" (1.x)`, RESTART_CONTAINERD],
        });
      }
    }
    const crio = ctx.snapshot.crio;
    for (const p of crio?.parseErrors ?? []) {
      hits.push({
        subject: p.path,
        message: `CRI-O on node ${ctx.node} cannot use ${p.path}: ${p.message}. containers/image fails to load the registries configuration, so pulls fail (or CRI-O does not start) until it is fixed.`,
        evidence: [fileEvidence(p.path, p.message)],
        remediation: [shellOnNode(ctx), `cat ${sh(p.path)}`, 'journalctl -u crio --since "1 hour ago" | grep -i registries', 'systemctl restart crio'],
      });
    }
    for (const img of parsedImages(ctx)) {
      const r = img.crioRegistry;
      if (r && r.mirrorByDigestOnly && r.mirrors.length && img.parse.ok && !img.parse.ref.digest) {
        hits.push({
          subject: `${r.file} ${r.prefix}`,
          image: img.image,
          severity: 'warning',
          message: `CRI-O on node ${ctx.node} pulls ${img.image} from ${r.location} only: the [[registry]] prefix "${r.prefix}" in ${r.file} sets mirror-by-digest-only, and the image is referenced by tag, so its ${r.mirrors.length} mirror(s) are skipped (and the pull fails when ${r.location} is unreachable).`,
          evidence: [fileEvidence(r.file, `prefix "${r.prefix}": mirror-by-digest-only = true; mirrors ${r.mirrors.map((m) => m.location).join(', ')}`)],
          remediation: [shellOnNode(ctx), `# reference the image by digest (${img.lookup}@sha256:…), or set mirror-by-digest-only = false for prefix "${r.prefix}" in ${r.file}`],
        });
      }
      const failed = img.mirrorProbes.filter((p) => p.outcome === 'unreachable' || p.outcome === 'tls-error');
      if (failed.length) {
        const upstreamOk = img.probe?.outcome === 'ok';
        hits.push({
          subject: failed.map((p) => p.registry).join(','),
          image: img.image,
          severity: upstreamOk ? 'warning' : 'error',
          confidence: 'likely',
          message:
            `Mirror${failed.length === 1 ? '' : 's'} ${failed.map((p) => p.registry).join(', ')} for ${img.image} cannot be reached from node ${ctx.node}: ${failed.map((p) => p.attempts[p.attempts.length - 1]?.detail ?? p.outcome).join('; ')}. ` +
            (upstreamOk ? 'The runtime falls back to the next host (after containerd\'s dial_timeout, 30 s by default), so pulls are slow but work.' : 'The next host does not answer with the image either, so the pull fails.'),
          evidence: failed.map((p) => ({ source: 'probe', ref: p.registry, detail: `${p.outcome}: ${p.attempts[p.attempts.length - 1]?.detail ?? ''}` })),
          remediation: [shellOnNode(ctx), ...failed.map((p) => `curl -sS -o /dev/null -w '%{http_code}\\n' https://${p.registry}/v2/`), crictlPull(img.image)],
        });
      }
    }
    return hits;
  },
};

export default rule;
