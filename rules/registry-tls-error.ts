import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { CONTAINERD_CONFIG_PATH, sh, writeContainerdHostsToml } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, onNode, registryOf, subKindOf, withProbeNotes } from './lib/runtime-helpers.js';
import type { SubKinds } from '../src/engine/classify.js';
import { unansweredHits } from './lib/probe-check.js';
import { inCheck } from './lib/manifest.js';

type TlsKind = SubKinds['tls'];

const EXPLAIN: Record<TlsKind, string> = {
  'http-to-https': 'the registry speaks plain HTTP but the runtime connects with HTTPS; the node must be told that this registry is HTTP-only (insecure)',
  expired: "the registry's TLS certificate has expired (or the node's clock is wrong)",
  'wrong-name': "the registry's certificate does not name the host the image uses (SAN mismatch): use the host the certificate was issued for, or reissue it",
  'unknown-authority': "the registry's certificate is signed by a CA the node does not trust (a private CA, or a TLS-intercepting proxy): add the CA to the container runtime's trust on every node",
  other: 'the TLS handshake with the registry failed',
};

/**
 * The runtime could not establish TLS to the registry: unknown CA, expired certificate, name
 * mismatch, or an HTTP-only registry addressed over HTTPS. The fix is per node, in the runtime's
 * registry configuration (containerd hosts.toml, CRI-O registries.conf / certs.d, Docker daemon.json).
 */
const rule: Rule = {
  meta: {
    id: 'registry-tls-error',
    title: 'TLS to the registry failed',
    severity: 'error',
    category: 'node',
    summary: 'The node could not establish TLS with the registry (x509 unknown authority, expired, name mismatch, or HTTP response to HTTPS client).',
    confidence: 'confirmed',
  },
  check(ctx) {
    if (inCheck(ctx)) return unansweredHits(ctx, ['tls-error'], 'A registry with a private CA: pass it with --registry-ca FILE (or NODE_EXTRA_CA_CERTS); one on plain HTTP: --insecure-registry HOST.');
    return failingWith(ctx, 'tls').map(({ c, p }): RuleHit => {
      const domain = registryOf(c);
      const failingHost = p.classified?.registry ?? domain;
      const kind = subKindOf(p, 'tls') ?? 'other';
      const runtime = p.classified?.runtime;
      const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
      const redirected = failingHost !== domain && failingHost !== host;
      const message =
        `Pulling "${c.image}" (container ${c.name})${onNode(ctx, c)} failed during the TLS handshake with ${failingHost}: ${EXPLAIN[kind]}.` +
        (redirected ? ` The failing host ${failingHost} is not the registry ${domain} itself (a blob download redirect or a proxy), which points at a TLS-intercepting proxy between the node and the internet.` : '') +
        ` This is configured per node, so other nodes may pull the same image fine. Runtime error: ${errorQuote(p)}`;

      const dir = domain;
      const remediation: string[] = [
        `# inspect the certificate the node is given (run on the node, or from a host on the same network): openssl s_client -connect ${host.includes(':') ? host : `${host}:443`} -servername ${host.split(':')[0]} -showcerts </dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`,
      ];
      const containerd = runtime === undefined || runtime === 'containerd';
      const crio = runtime === undefined || runtime === 'cri-o';
      const docker = runtime === 'docker';
      if (kind === 'http-to-https') {
        if (containerd)
          remediation.push(
            `# containerd, on every node (${CONTAINERD_CONFIG_PATH}): ${writeContainerdHostsToml(dir, `server = "http://${host}"\\n\\n[host."http://${host}"]\\n  capabilities = ["pull", "resolve"]\\n`)}`,
          );
        if (crio) remediation.push(`# CRI-O, on every node: add to /etc/containers/registries.conf: [[registry]] location = "${host}" insecure = true   # then: systemctl restart crio`);
        if (docker) remediation.push(`# Docker, on every node: add "${host}" to "insecure-registries" in /etc/docker/daemon.json, then systemctl restart docker`);
      } else if (kind === 'expired' || kind === 'wrong-name') {
        remediation.push(
          kind === 'expired'
            ? `# renew the certificate of ${failingHost}; if it is valid, check the node clock: timedatectl status`
            : `# reissue the certificate of ${failingHost} with the hostname used in the image as a subjectAltName, or change the image to a host the certificate names`,
        );
        if (containerd) remediation.push(`# stopgap only (containerd): skip_verify = true under [host."https://${host}"] in /etc/containerd/certs.d/${dir}/hosts.toml`);
      } else {
        if (containerd)
          remediation.push(
            `# containerd, on every node (${CONTAINERD_CONFIG_PATH}): ${writeContainerdHostsToml(
              dir,
              `server = "https://${host}"\\n\\n[host."https://${host}"]\\n  ca = "/etc/containerd/certs.d/${dir}/ca.crt"\\n`,
              (path) => `cp ca.crt ${sh(`${path}/ca.crt`)}`,
            )}`,
          );
        if (crio) remediation.push(`# CRI-O, on every node: mkdir -p /etc/containers/certs.d/${host} && cp ca.crt /etc/containers/certs.d/${host}/ca.crt`);
        if (docker) remediation.push(`# Docker, on every node: mkdir -p /etc/docker/certs.d/${host} && cp ca.crt /etc/docker/certs.d/${host}/ca.crt`);
        remediation.push('# or add the CA to the node OS trust store (update-ca-certificates / update-ca-trust) and restart the runtime');
      }
      remediation.push('# the kubelet retries on its own once the node trusts the registry; no pod change is needed');

      return withProbeNotes({ container: c.name, image: c.image, message, evidence: runtimeEvidence(ctx, c), remediation }, c);
    });
  },
};

export default rule;
