import type { Rule } from '../src/engine/rule.js';
import type { ContainerCtx } from '../src/engine/types.js';
import type { RuleHit } from '../src/model/finding.js';
import { runtimeEvidence } from './lib/evidence.js';
import { onNodeHost, placeholderText, setImageCommand } from './lib/commands.js';
import { errorQuote, failingWith, fullReference, nodeInfoOf, nodeOf, onNode, type PullProblem, withProbeNotes } from './lib/runtime-helpers.js';

type Why = 'ambiguous' | 'no-search-registries' | 'no-registries';

function whyOf(text: string): Why {
  if (/short name mode is enforcing/i.test(text)) return 'ambiguous';
  if (/no registries configured/i.test(text)) return 'no-registries';
  return 'no-search-registries';
}

const WHY: Record<Why, string> = {
  ambiguous:
    'short-name-mode is "enforcing" and the node\'s /etc/containers/registries.conf lists several unqualified-search registries, so the name is ambiguous and CRI-O refuses to pick one',
  'no-search-registries': 'the name matches no short-name alias and the node\'s /etc/containers/registries.conf defines no unqualified-search registries',
  'no-registries': 'no registries are configured for unqualified images (/etc/crio/crio.conf or /etc/containers/registries.conf)',
};

/** The unqualified name as CRI-O quotes it (`short-name "kong:3.9"`, `image name kong:3.9 returns …`), else the spec's image. */
function shortNameOf(text: string, c: ContainerCtx): string {
  return /short-name "([^"]+)"/.exec(text)?.[1] ?? /image name (\S+) returns ambiguous list/.exec(text)?.[1] ?? c.image;
}

/** The runtime error to quote: the classified one, else the InspectFailed event or the waiting message. */
function quote(c: ContainerCtx, p: PullProblem): string {
  if (p.classified) return errorQuote(p);
  return c.events.find((e) => e.parsed.kind === 'inspect-failed')?.message ?? c.waiting?.message ?? p.failure.reason;
}

/**
 * CRI-O (containers/image) does not default an unqualified image name to docker.io the way
 * Docker and containerd do: it resolves it through short-name aliases and the
 * unqualified-search registries of /etc/containers/registries.conf, and fails when there are none
 * or, in short-name-mode "enforcing" (the default from CRI-O 1.34), when several could match.
 * The kubelet's image status call fails first (InspectFailed / ImageInspectError), or the pull.
 */
const rule: Rule = {
  meta: {
    id: 'image-short-name-unresolved',
    title: 'Unqualified image name not resolved by CRI-O',
    severity: 'error',
    category: 'image',
    summary: 'CRI-O could not resolve a short image name (no unqualified-search registries, or an ambiguous one in enforcing mode); use a fully-qualified reference.',
    confidence: 'confirmed',
  },
  check(ctx) {
    return failingWith(ctx, 'short-name').map(({ c, p }): RuleHit => {
      const err = quote(c, p);
      const text = `${p.failure.error ?? ''} ${err}`;
      const why = whyOf(text);
      const short = shortNameOf(text, c);
      const qualified = fullReference(c);
      const officialImage = c.parse.ok && c.parse.ref.path.startsWith('library/') && !c.image.includes('/');
      const runtime = nodeInfoOf(ctx, c)?.containerRuntimeVersion;
      const crio = runtime?.startsWith('cri-o://') ? `CRI-O ${runtime.slice('cri-o://'.length)}` : 'CRI-O';
      const message =
        `Image "${c.image}" (container ${c.name}) is a short name: ${crio}${onNode(ctx, c)} could not resolve "${short}" to a registry because ${WHY[why]}. ` +
        `Unlike Docker and containerd, CRI-O does not assume docker.io. Fix: use the fully-qualified reference ${qualified}` +
        (officialImage ? ` (a name with no slash is a Docker Hub official image, under docker.io/library/)` : ` (an org/name without a registry host is docker.io/${placeholderText('org')}/${placeholderText('name')})`) +
        `; if the image is not on Docker Hub, put its real registry there instead (e.g. quay.io/…). Runtime error: ${err}`;
      const node = nodeOf(ctx, c);
      const remediation = [
        setImageCommand(ctx, c, qualified),
        why === 'ambiguous'
          ? `# node-side alternative (less safe: a short name can be squatted on a registry earlier in the list): in /etc/containers/registries.conf on the nodes keep a single entry, unqualified-search-registries = ["docker.io"], or add an alias under [aliases]: "${short.replace(/[:@].*$/, '')}" = "${qualified.replace(/[:@][^/]*$/, '')}"; then systemctl reload crio`
          : `# node-side alternative (less safe: short names are ambiguous and can be squatted): add unqualified-search-registries = ["docker.io"] to /etc/containers/registries.conf on the nodes, then systemctl reload crio`,
      ];
      if (node) remediation.push(`# see the node's search registries and aliases: ${onNodeHost(ctx, node, 'cat /etc/containers/registries.conf')}`);
      return withProbeNotes(
        {
          container: c.name,
          image: c.image,
          message,
          evidence: runtimeEvidence(ctx, c),
          remediation,
        },
        c,
      );
    });
  },
};

export default rule;
