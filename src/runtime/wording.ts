/**
 * The shape of one entry of the table of runtime wordings (src/runtime/wordings.ts), and the
 * helpers its entries are written with.
 */
import type { Cause, Runtime, SubKinds } from './causes.js';

/** A real message, copied from a public report, that this wording decides. */
export interface WordingExample {
  /**
   * As the source printed it: usually a kubelet `Failed` event or a container's waiting
   * message; otherwise the runtime's own error text (crictl, a runtime or kubelet log, the
   * Docker CLI), which is what the kubelet puts after `Failed to pull image "x": `.
   */
  text: string;
  /** URL of the public report it was copied from. */
  source: string;
  /** The runtime of the report (not always inferable from the text). */
  runtime: Runtime;
  /** Where the text comes from when it is not an event, and any edit made (re-joined lines, a placeholder replaced). */
  note?: string;
}

/** An entry for one cause: its sub-kind, how it is recognised, and where it was seen. */
export interface WordingOf<C extends Exclude<Cause, 'unknown'>> {
  cause: C;
  subKind: SubKinds[C];
  /** The runtime's words, matched against one message with its transport wrappers removed (case-insensitive where it says so). */
  pattern?: RegExp;
  /** The HTTP status printed in the same message, when it identifies the wording. */
  status?: StatusTest;
  /** With both `pattern` and `status`: whether both must hold (otherwise either one suffices). */
  needsBoth?: true;
  /** The node is part of the story (its disk, OS/architecture, registries.conf): a live scan reads Nodes. */
  pointsAtNode: boolean;
  /** The registry answers the same for a private and a missing repository. */
  ambiguousAuth?: true;
  /** Why the entry reads as it does, and why it sits where it does in the table. */
  why: string;
  /** At least one real message this entry decides. */
  examples: readonly WordingExample[];
}

export type Wording = { [C in Exclude<Cause, 'unknown'>]: WordingOf<C> }[Exclude<Cause, 'unknown'>];

/** A status test with its description, e.g. `401 or 403`. */
export interface StatusTest {
  (status: number): boolean;
  readonly description: string;
}

/** The message's HTTP status is one of `codes`. */
export function statusIs(...codes: number[]): StatusTest {
  return Object.assign((s: number) => codes.includes(s), { description: codes.join(' or ') });
}

/** Any 5xx. */
export const serverErrorStatus: StatusTest = Object.assign((s: number) => s >= 500 && s <= 599, { description: '5xx' });

/** Type-checks one entry: its sub-kind must belong to its cause. */
export function wording<C extends Exclude<Cause, 'unknown'>>(w: WordingOf<C>): Wording {
  return w as unknown as Wording;
}

/** `cause/sub-kind`: unique per entry. */
export const wordingId = (w: Pick<Wording, 'cause' | 'subKind'>): string => `${w.cause}/${w.subKind}`;

/** Whether an entry recognises a message (its text without transport wrappers, and the status printed in it). */
export function wordingMatches(w: Wording, text: string, status: number | undefined): boolean {
  const byText = w.pattern !== undefined && w.pattern.test(text);
  const byStatus = w.status !== undefined && status !== undefined && w.status(status);
  if (w.pattern && w.status) return w.needsBoth ? byText && byStatus : byText || byStatus;
  return w.pattern ? byText : byStatus;
}
