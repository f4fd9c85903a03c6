import type { Rule } from '../src/engine/rule.js';
import type { Evidence } from '../src/model/finding.js';
import { failing, failingNowNote, listNames, listedSecretEvidence, provenanceNote, secretStateEvidence } from './lib/evidence.js';
import { copySecret, dockerRegistrySecret, restartWorkload } from './lib/commands.js';
import { chooseCopy, copyKeys, suggestedServer, type CopyChoice, type SecretCopy } from './lib/secret-helpers.js';
import { anonymousUnverified, at, inCheck, manifestEdit, pullSecretField, secretInManifests, secretManifestCommand, yamlScalar } from './lib/manifest.js';
import { placeholderText } from './lib/commands.js';
import type { PullContext } from '../src/engine/types.js';

/**
 * `pulldoctor check`: bring the copy into the namespace before the manifests are applied — a
 * second Secret document in the set when the copy is one of the manifests, else from the
 * cluster — or create it; nothing to restart, nothing is deployed yet.
 */
function checkRemediation(ctx: PullContext, name: string, from: string, noneServes: boolean, server: string): string[] {
  if (noneServes) {
    return [
      dockerRegistrySecret(ctx, name, server, { exists: false }),
      `# or add it to the manifests (this prints one; keep its password out of the repository): ${secretManifestCommand(ctx, name, server, placeholderText('username'))}`,
    ];
  }
  if (secretInManifests(ctx, name, from)) {
    const src = { object: { kind: 'Secret', namespace: from, name }, path: ['metadata', 'namespace'] };
    return [`# ${at(ctx, src)} — the manifests hold Secret ${from}/${name}: add a copy of that document with metadata.namespace: ${ctx.namespace}`];
  }
  return [`# copy it into ${ctx.namespace} before applying the manifests:`, copySecret(ctx, name, from)];
}

/** What a copy holds and gives the pod's images: `key "a" (matches x)`, `ignored by the kubelet: …`. */
function verdict(copy: SecretCopy, choice: CopyChoice): string {
  if (copy.unusable) return `ignored by the kubelet: ${copy.unusable}`;
  const held = copyKeys(copy);
  if (!choice.images.length) return held;
  const empty = copy.emptyMatches.length ? `, an empty entry (no username or password) for ${listNames(copy.emptyMatches)}` : '';
  if (!copy.serves.length) return `${held}${empty || ', no match'}`;
  const some = copy.serves.length < choice.images.length ? ` only` : '';
  return `${held}, matches${some} ${listNames(copy.serves)}${empty}`;
}

/** Why this copy, or why none: empty when there is one copy and it serves the images. */
function choiceText(choice: CopyChoice, where: string[]): string {
  const { chosen, copies } = choice;
  if (!choice.images.length) {
    return where.length > 1 ? ` The fix below copies the one in ${where[0]} (the first by name); it also exists in ${listNames(where.slice(1))}.` : '';
  }
  const each = (list: SecretCopy[]) => list.map((c) => `${c.namespace}: ${verdict(c, choice)}`).join('; ');
  if (chosen) {
    if (copies.length === 1) return '';
    const keys = chosen.matchingKeys.map((key) => `"${key}"`).join(', ');
    const tie = copies.some((c) => c !== chosen && c.serves.length === chosen.serves.length) ? ' (the first by name of the copies that match)' : '';
    return (
      ` The fix below copies the one in ${chosen.namespace}${tie}: the kubelet matches its key${chosen.matchingKeys.length === 1 ? '' : 's'} ${keys} against ${listNames(chosen.serves)}` +
      ` (the other copies: ${each(copies.filter((c) => c !== chosen))}).`
    );
  }
  return (
    ` But ${copies.length === 1 ? 'that copy holds no credential' : 'none of the copies holds a credential'} the kubelet would use for ${listNames(choice.images)} (${each(copies)}): ` +
    `copying it would bring the name, not the access, so the fix below creates the secret here with credentials for that registry.`
  );
}

function copyEvidence(name: string, copy: SecretCopy, choice: CopyChoice): Evidence {
  return { source: 'secret', ref: `Secret ${copy.namespace}/${name}`, detail: `exists; ${verdict(copy, choice)}` };
}

/**
 * The named pull secret is absent from the pod's namespace but exists in another one.
 * The kubelet only reads secrets from the pod's own namespace (semantics §2.1).
 * Replaces pull-secret-not-found for the same secret. Where copies exist in several namespaces,
 * the one whose credentials the kubelet would match against the pod's images is copied.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-wrong-namespace',
    title: 'Pull secret is in another namespace',
    severity: 'error',
    category: 'secret',
    summary: 'The named pull secret exists, but in another namespace; the kubelet only reads the pod\'s own namespace.',
    confidence: 'confirmed',
  },
  check(ctx) {
    return ctx.pullSecrets
      .filter((s) => s.status === 'missing' && s.otherNamespaces.length > 0)
      .map((s) => {
        const hurt = failing(ctx);
        const where = s.otherNamespaces;
        const choice = chooseCopy(ctx, s);
        const noneServes = choice.images.length > 0 && !choice.chosen;
        const from = choice.chosen?.namespace ?? (where[0] as string);
        const check = inCheck(ctx);
        const unverified = anonymousUnverified(ctx, hurt);
        const remediation = check
          ? [...checkRemediation(ctx, s.name, from, noneServes, suggestedServer(ctx, hurt)), manifestEdit(ctx, pullSecretField(ctx, s.name), `or name a secret of namespace ${ctx.namespace}`, `name: ${yamlScalar(placeholderText('secret-name'))}`)]
          : noneServes
          ? [dockerRegistrySecret(ctx, s.name, suggestedServer(ctx, hurt), { exists: false }), restartWorkload(ctx)]
          : [copySecret(ctx, s.name, from), restartWorkload(ctx)];
        return {
          secret: s.name,
          message:
            `Pull secret "${s.name}" does not exist in namespace ${ctx.namespace} but does in ${listNames(where)}; ` +
            `the kubelet only reads pull secrets from the pod's own namespace` +
            failingNowNote(hurt, ctx) +
            '.' +
            choiceText(choice, where) +
            provenanceNote(s),
          severity: hurt.length ? 'error' : 'warning',
          evidence: [
            listedSecretEvidence(ctx, s.name),
            ...secretStateEvidence(ctx, s),
            ...(choice.copies.length
              ? choice.copies.slice(0, 3).map((c) => copyEvidence(s.name, c, choice))
              : where.slice(0, 3).map((n) => ({ source: 'secret', ref: `Secret ${n}/${s.name}`, detail: 'exists' }))),
          ],
          remediation,
          ...(unverified.length ? { unverified } : {}),
        };
      });
  },
};

export default rule;
