import type { Rule } from '../src/engine/rule.js';
import type { Evidence } from '../src/model/finding.js';
import type { ContainerCtx } from '../src/engine/types.js';
import { Keyring } from '../src/credentials/index.js';
import { failingNowNote, firstFailureEvidence, secretEvidence, serviceAccountEvidence, specEvidence } from './lib/evidence.js';
import { addPullSecretsToWorkload, k, ns, restartWorkload, sh } from './lib/commands.js';

/**
 * The pod's ServiceAccount lists pull secrets that the pod does not have. The kubelet never
 * reads the ServiceAccount: its pull secrets are copied into a pod by the ServiceAccount
 * admission plugin at creation, and only when the pod lists none (semantics §2.5). So a pod
 * created before the ServiceAccount was changed, or one that lists its own pull secrets,
 * pulls without them.
 *
 * Fires only for a found ServiceAccount secret that would give credentials for an image of the
 * pod that currently gets none; secrets we cannot read are not guessed about, and missing ones
 * are service-account-pull-secret-not-found's.
 */
const rule: Rule = {
  meta: {
    id: 'service-account-pull-secrets-not-applied',
    title: 'ServiceAccount pull secrets did not reach the pod',
    severity: 'error',
    category: 'service-account',
    summary:
      'The ServiceAccount lists pull secrets the pod lacks: they are copied in only at pod creation and only when the pod lists none of its own.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const sa = ctx.serviceAccount;
    if (sa.status !== 'found') return [];
    const podNames = new Set(ctx.pullSecrets.map((s) => s.name));
    const lacking = sa.pullSecrets.filter((s) => !podNames.has(s.name) && s.status === 'found' && s.parsed);
    if (lacking.length === 0) return [];

    // Which containers, now without credentials, would one of those secrets serve?
    const needy = ctx.containers.filter((c) => c.parse.ok && c.lookup && c.lookup.credentials.length === 0);
    const helps = new Map<string, ContainerCtx[]>();
    for (const s of lacking) {
      if (!s.parsed || s.parsed.format === null || s.parsed.error !== undefined) continue;
      const ring = Keyring.fromSecrets([s.parsed]);
      const served = needy.filter((c) => c.parse.ok && ring.lookup(c.parse.ref.name).credentials.length > 0);
      if (served.length) helps.set(s.name, served);
    }
    if (helps.size === 0) return [];

    const names = [...helps.keys()];
    const served = [...new Set([...helps.values()].flat())];
    const hurt = served.filter((c) => c.failure);
    const ownList = ctx.pullSecrets.length > 0;
    const why = ownList
      ? `the pod lists its own imagePullSecrets (${ctx.pullSecrets.map((s) => s.name).join(', ')}), and the ServiceAccount admission plugin copies the ServiceAccount's pull secrets only into pods that list none`
      : `ServiceAccount pull secrets are copied into a pod only when it is created, so this pod (created ${ctx.pod.metadata.creationTimestamp ?? 'earlier'}) predates the change — the kubelet never reads the ServiceAccount itself`;
    const evidence: Evidence[] = [
      serviceAccountEvidence(ctx),
      specEvidence(
        ctx,
        'spec.imagePullSecrets',
        ownList ? `lists ${ctx.pullSecrets.map((s) => `"${s.name}"`).join(', ')} only` : 'is empty',
      ),
      ...names.map((n) => {
        const st = sa.pullSecrets.find((s) => s.name === n)!;
        return secretEvidence(ctx, st, `has a key matching ${helps.get(n)!.map((c) => (c.parse.ok ? c.parse.ref.name : c.image)).join(', ')}`);
      }),
      ...firstFailureEvidence(ctx, hurt),
    ];
    const remediation = ownList
      ? [addPullSecretsToWorkload(ctx, names, 'manifest')]
      : ctx.workload.kind === 'Pod'
        ? [k(ctx, `delete pod ${sh(ctx.podName)} ${ns(ctx)}   # recreate it from its manifest: admission then adds ${names.join(', ')}`)]
        : [`# new pods get the ServiceAccount's pull secrets; recreate them:`, restartWorkload(ctx)];
    return [
      {
        secret: names[0],
        message:
          `ServiceAccount "${sa.name}" lists pull secret${names.length === 1 ? '' : 's'} ${names.map((n) => `"${n}"`).join(', ')}, which would give credentials for ` +
          `${served.map((c) => `"${c.image}"`).join(', ')}, but the pod does not have ${names.length === 1 ? 'it' : 'them'}: ${why}. ` +
          `Those images are pulled without credentials` +
          failingNowNote(hurt) +
          '.',
        severity: hurt.length ? 'error' : 'warning',
        evidence,
        remediation,
      },
    ];
  },
};

export default rule;
