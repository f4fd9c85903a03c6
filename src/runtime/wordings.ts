/**
 * THE table of container runtime wordings (containerd, CRI-O / containers-image, Docker): for
 * each cause and sub-kind, the words that identify it, whether the node is part of the story,
 * and real messages with their public sources. A wording is added here once; it then drives
 *  - the classifier (src/engine/classify.ts: cause and sub-kind of a pull failure),
 *  - the collector's decision to read Nodes (`pointsAtNode`, used by src/collect),
 *  - the rules' sub-kinds (they read the classifier's sub-kind),
 * and every example is a test case (test/classify.test.ts).
 *
 * Order is precedence within one message: the first entry that matches decides. Entries of one
 * cause sit together; see each group's comment for why it sits where it does.
 */
import type { Cause, SubKind } from './causes.js';
import { NOT_FOUND_WORDINGS, REFUSAL_WORDINGS, TOKEN_WORDINGS } from './wordings-access.js';
import { NODE_WORDINGS, PLATFORM_WORDINGS, SHORT_NAME_WORDINGS, SIGNATURE_WORDINGS } from './wordings-image.js';
import { NETWORK_WORDINGS, RATE_LIMIT_WORDINGS, SERVER_ERROR_WORDINGS, TLS_WORDINGS } from './wordings-network.js';
import { wordingMatches, type Wording } from './wording.js';

export { wordingId, type Wording, type WordingExample } from './wording.js';

export const WORDINGS: readonly Wording[] = [
  ...SIGNATURE_WORDINGS,
  ...SHORT_NAME_WORDINGS,
  ...PLATFORM_WORDINGS,
  ...TLS_WORDINGS,
  ...RATE_LIMIT_WORDINGS,
  ...NODE_WORDINGS,
  ...NETWORK_WORDINGS,
  ...TOKEN_WORDINGS,
  ...REFUSAL_WORDINGS,
  ...NOT_FOUND_WORDINGS,
  ...SERVER_ERROR_WORDINGS,
];

/** The entry that decides one message (its text without transport wrappers, and its HTTP status). */
export function matchWording(text: string, status?: number): Wording | undefined {
  return WORDINGS.find((w) => wordingMatches(w, text, status));
}

/** The entry for a cause and sub-kind. */
export function wordingFor(cause: Cause, subKind: SubKind): Wording | undefined {
  return WORDINGS.find((w) => w.cause === cause && w.subKind === subKind);
}

/**
 * Node signals that are not pull wordings but still make the node's view worth reading: a
 * container of the wrong architecture fails to start with `exec format error`, and eviction and
 * node events name `DiskPressure`.
 */
const OTHER_NODE_SIGNALS: readonly RegExp[] = [/exec format error/i, /DiskPressure/];

/** One pattern for every wording that points at the node, and the other node signals. */
export const NODE_POINTING: RegExp = new RegExp(
  [...WORDINGS.filter((w) => w.pointsAtNode && w.pattern).map((w) => (w.pattern as RegExp).source), ...OTHER_NODE_SIGNALS.map((r) => r.source)]
    .map((s) => `(?:${s})`)
    .join('|'),
  'i',
);

/** Whether a message (an event or waiting message, wrappers and all) is about the node: its disk, OS/architecture or registries.conf. */
export function pointsAtNode(message: string): boolean {
  return NODE_POINTING.test(message);
}
