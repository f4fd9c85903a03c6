import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { sh } from '../src/util/shell.js';
import { fileEvidence, shellOnNode } from './lib/node-helpers.js';

/**
 * TLS settings of the runtime's registry configuration: a `ca` or `client` file that does not
 * exist (containerd fails every pull through that hosts.toml: `unable to read CA cert "<f>"`),
 * `skip_verify = true` / `insecure_skip_verify` / CRI-O `insecure = true` (verification off).
 */
const rule: NodeRule = {
  meta: {
    id: 'node-registry-tls-settings',
    title: 'Registry TLS settings: missing CA file or verification disabled',
    severity: 'error',
    category: 'node',
    summary: 'A hosts.toml ca/client file is missing (containerd fails every pull through it), or TLS verification is switched off (skip_verify, insecure_skip_verify, CRI-O insecure).',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: NodeRuleHit[] = [];
    const c = ctx.snapshot.containerd;
    for (const d of c?.hostsDirs ?? []) {
      if (d.parseError) continue;
      for (const h of d.hosts) {
        const name = h.url || `${d.namespace} (server)`;
        for (const [files, what, text] of [
          [h.caMissing, 'CA', 'unable to read CA cert'],
          [h.clientMissing, 'client certificate', 'unable to read CERT file'],
        ] as const) {
          for (const f of files) {
            hits.push({
              subject: `${d.file} ${name} ${f}`,
              message: `The ${what} file ${f} that ${d.file} names for ${name} does not exist on node ${ctx.node}. containerd builds the TLS configuration of every host of this file before a pull, so every pull of a ${d.namespace} image fails with "${text} \\"${f}\\": open ${f}: no such file or directory" — not only pulls through ${name}.`,
              evidence: [fileEvidence(d.file!, `[host."${name}"] ${what === 'CA' ? 'ca' : 'client'} = "${f}"`), fileEvidence(f, 'no such file or directory')],
              remediation: [shellOnNode(ctx), `ls -l ${sh(d.dir)}`, `# install the ${what} as ${f} (paths in hosts.toml may be relative to ${d.dir}), or remove the entry; containerd reads hosts.toml at every pull`],
            });
          }
        }
        if (h.skipVerify) {
          hits.push({
            subject: `${d.file} ${name} skip_verify`,
            severity: 'warning',
            message: `TLS verification is off for ${name} on node ${ctx.node} (skip_verify = true in ${d.file}): containerd accepts any certificate from it, so anyone on the network path can serve images to this node.`,
            evidence: [fileEvidence(d.file!, `[host."${name}"] skip_verify = true`)],
            remediation: [shellOnNode(ctx), `# trust the registry's CA instead: copy it to ${d.dir}/ca.crt and replace skip_verify = true with ca = "${d.dir}/ca.crt" under [host."${name}"] in ${d.file}`],
          });
        }
      }
    }
    for (const l of c?.legacyConfigs ?? []) {
      if (l.caFile && l.caMissing) {
        hits.push({
          subject: `${c!.configFile} ${l.host} ca_file`,
          message: `registry.configs."${l.host}".tls.ca_file in ${c!.configFile} on node ${ctx.node} names ${l.caFile}, which does not exist: pulls from ${l.host} fail while containerd builds their TLS configuration.`,
          evidence: [fileEvidence(c!.configFile, `configs."${l.host}".tls.ca_file = "${l.caFile}"`)],
          remediation: [shellOnNode(ctx), `# install the CA as ${l.caFile}, then: systemctl restart containerd (config.toml changes need a restart)`],
        });
      }
      if (l.insecureSkipVerify) {
        hits.push({
          subject: `${c!.configFile} ${l.host} insecure_skip_verify`,
          severity: 'warning',
          message: `TLS verification is off for ${l.host} on node ${ctx.node} (registry.configs."${l.host}".tls.insecure_skip_verify = true in ${c!.configFile}).`,
          evidence: [fileEvidence(c!.configFile, `configs."${l.host}".tls.insecure_skip_verify = true`)],
          remediation: [shellOnNode(ctx), `# trust the registry's CA (ca_file) instead of skipping verification, or move the host to config_path hosts.toml with ca = "…"`],
        });
      }
    }
    for (const r of ctx.snapshot.crio?.registries ?? []) {
      const insecure = [...(r.insecure ? [r.location] : []), ...r.mirrors.filter((m) => m.insecure).map((m) => m.location)];
      for (const loc of insecure) {
        hits.push({
          subject: `${r.file} ${loc}`,
          severity: 'warning',
          message: `CRI-O on node ${ctx.node} talks to ${loc} with TLS verification off, or over plain HTTP (insecure = true for prefix "${r.prefix}" in ${r.file}).`,
          evidence: [fileEvidence(r.file, `prefix "${r.prefix}": ${loc} insecure = true`)],
          remediation: [shellOnNode(ctx), `# put the registry's CA in /etc/containers/certs.d/${loc.split('/')[0]}/ca.crt and set insecure = false in ${r.file}`],
        });
      }
    }
    return hits;
  },
};

export default rule;
