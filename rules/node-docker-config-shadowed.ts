import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { sh } from '../src/util/shell.js';
import { fileEvidence, parsedImages, shellOnNode } from './lib/node-helpers.js';

/**
 * The node docker config search ends at a file that does not hold the credentials meant for the
 * node: an earlier valid file wins (files are never merged), a config.json without `auths`
 * (credHelpers only) ends the search with no credentials, or a broken file is skipped silently.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-docker-config-shadowed',
    title: 'Node docker config shadowed: the kubelet reads another file',
    severity: 'warning',
    category: 'node',
    summary: 'The kubelet reads only the first valid node docker config file (--root-dir/config.json before ~/.docker/config.json); a file without auths ends the search, a broken one is skipped.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const dc = ctx.snapshot.dockerConfig;
    const k = ctx.snapshot.kubelet;
    const hits: NodeRuleHit[] = [];
    const order = dc.candidates.map((c, i) => `${i + 1}. ${c.path} (${c.via})`).join(', ');
    const assumed = [
      ...(k.homeKnown ? [] : [`HOME is assumed to be ${k.home}: the kubelet process's environment was not readable`]),
      ...(k.cwdKnown ? [] : [`the kubelet's working directory is assumed to be ${k.cwd}`]),
    ];
    const used = dc.used !== undefined ? dc.candidates[dc.used] : undefined;
    const later = dc.candidates.filter((c) => c.status === 'not-reached' && c.entries.length > 0);
    const images = parsedImages(ctx);
    if (used && later.length) {
      const missed = images.filter((i) => i.shadowedConfigs.length > 0 && (i.nodeConfig?.result.credentials.length ?? 0) === 0);
      const noAuths = used.format === 'config.json' && used.hasAuths === false;
      const why = noAuths
        ? `${used.path} is a valid config.json without "auths"${used.topLevelKeys?.length ? ` (it has ${used.topLevelKeys.join(', ')}, which the kubelet ignores)` : ''}: it counts as found, gives no credentials, and ends the search`
        : `${used.path} is the first valid file, and the kubelet never merges files`;
      hits.push({
        subject: used.path,
        ...(missed.length ? { severity: 'error' as const } : {}),
        message:
          `The kubelet on node ${ctx.node} reads its node credentials from ${used.path} only: ${why}. ` +
          `It never reads ${later.map((c) => c.path).join(', ')}, which hold${later.length === 1 ? 's' : ''} ${later.flatMap((c) => c.entries.map((e) => `"${e.registryKey}"`)).join(', ')}.` +
          (missed.length ? ` So ${missed.map((i) => i.image).join(', ')} get${missed.length === 1 ? 's' : ''} no node credential, though a file on the node has one for ${missed.length === 1 ? 'it' : 'them'}.` : '') +
          ` Search order: ${order}.`,
        evidence: [fileEvidence(used.path, noAuths ? 'valid JSON, no auths' : `keys: ${used.entries.map((e) => e.registryKey).join(', ') || 'none'}`), ...later.map((c) => fileEvidence(c.path, `not read; keys: ${c.entries.map((e) => e.registryKey).join(', ')}`))],
        remediation: [
          shellOnNode(ctx),
          `ls -l ${dc.candidates.map((c) => sh(c.path)).join(' ')} 2>/dev/null`,
          noAuths
            ? `# put the registry credentials under "auths" in ${used.path} (credsStore/credHelpers are ignored by the kubelet), or remove that file`
            : `# merge the entries of ${later[0]!.path} into ${used.path} (or move the file there): the kubelet uses one file only`,
          '# the kubelet re-reads the node docker config at most every 5 minutes; no restart is needed',
        ],
        ...(assumed.length ? { unverified: assumed } : {}),
      });
    }
    const firstValid = dc.used ?? dc.candidates.length;
    dc.candidates.forEach((c, i) => {
      if (i > firstValid || (c.status !== 'invalid' && c.status !== 'unreadable')) return;
      const winner = used ? `the kubelet goes on to ${used.path}` : 'no valid file follows, so the node has no docker config credentials';
      hits.push({
        subject: c.path,
        message: `The kubelet on node ${ctx.node} skips ${c.path}: ${c.status === 'invalid' ? `it does not parse (${c.error})` : `it cannot be read (${c.error})`}. It logs this only at verbosity 4 ("while trying to read ${c.path}: error occurred while trying to unmarshal json"), and ${winner}.`,
        evidence: [fileEvidence(c.path, `${c.status}: ${c.error ?? ''}`)],
        remediation: [shellOnNode(ctx), `cat ${sh(c.path)}`, '# fix the JSON (an "auth" value must be base64 of user:password) or remove the file'],
        ...(assumed.length ? { unverified: assumed } : {}),
      });
    });
    return hits;
  },
};

export default rule;
