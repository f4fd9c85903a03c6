/**
 * Runtime image-pull error text → cause.
 *
 * The kubelet does not interpret pull errors: it passes the container runtime's error text
 * through unchanged (kubelet-semantics.md §9.2), aggregates one error per credential it tried as
 * `[m1, m2]` (§9.1), and in newer versions appends the previous error to the back-off status text
 * (§9.3). Everything here is therefore string matching against real runtime wordings
 * (containerd, CRI-O / containers/image, Docker / dockershim), which live in one table with real
 * examples and their public sources: src/runtime/wordings.ts. The work is split by seam:
 *  - pull-envelopes.ts: event/status envelopes, the aggregate, transport wrappers;
 *  - pull-facts.ts: runtime, HTTP status, registry host;
 *  - pull-causes.ts: cause and sub-kind from the wording table, and which part decides;
 *  - image-events.ts: parsing events and waiting messages.
 *
 * Pure and total: no I/O, and `classifyPullError` / `parseImageEvent` never throw.
 */
import type { AttemptCredentials, Cause, Runtime, SubKind } from '../runtime/causes.js';
import { classifyPart, decisivePart, type PartResult } from './pull-causes.js';
import { openEnvelope, splitParts } from './pull-envelopes.js';

export type { AttemptCredentials, Cause, Runtime, SubKind, SubKinds } from '../runtime/causes.js';
export { parseImageEvent, type ImageEvent } from './image-events.js';

export interface PullFailure {
  cause: Cause;
  /** what kind of that cause, as the wording table names it (src/runtime/wordings.ts) */
  subKind?: SubKind;
  runtime?: Runtime;
  httpStatus?: number;
  /** registry host named in the message (from a URL like https://host/v2/… or `docker://host/…` or `host/repo:tag`), if any */
  registry?: string;
  /** the innermost meaningful message (wrappers like `rpc error: code = … desc =` stripped) */
  detail: string;
  /** each message of an aggregate `[m1, m2]`, in order (one element when not aggregated) */
  parts: string[];
  /** for not-found: whether the text says the tag/manifest is missing vs the repository */
  notFound?: 'manifest' | 'repository' | 'ambiguous';
  /** also true when the text says 'may require authorization'/'docker login' (private vs missing is ambiguous) */
  ambiguousAuth?: boolean;
  /**
   * For an aggregate (the kubelet tried several credentials, §9.1): what each attempt said, in
   * the order of `parts`, so a rule can name the attempt that decided and how the others went.
   */
  attempts?: PullAttempt[];
  /** For an aggregate: the index (into `parts` and `attempts`) of the attempt that decided. */
  decidedBy?: number;
}

/** One attempt of an aggregate. */
export interface PullAttempt {
  cause: Cause;
  subKind?: SubKind;
  /** whether the attempt carried a credential: `sent` and `none` when the runtime's words say so */
  credentials: AttemptCredentials;
  httpStatus?: number;
}

/** Classify a runtime pull error (or a whole `Failed to pull image …` / back-off status text). */
export function classifyPullError(text: string): PullFailure {
  const { body, eventImage, previousReason } = openEnvelope(text);
  const parts = splitParts(body);
  const results = parts.map((p) => classifyPart(previousReason ? `${previousReason}: ${p}` : p, eventImage));
  const decidedBy = decisivePart(results);
  const decisive = results[decidedBy] as PartResult;

  const out: PullFailure = { cause: decisive.cause, detail: decisive.detail, parts };
  if (decisive.subKind !== undefined) out.subKind = decisive.subKind;
  const runtime = decisive.runtime ?? results.find((r) => r.runtime)?.runtime;
  if (runtime) out.runtime = runtime;
  if (decisive.httpStatus !== undefined) out.httpStatus = decisive.httpStatus;
  const registry = decisive.registry ?? results.find((r) => r.registry)?.registry;
  if (registry) out.registry = registry;
  if (decisive.notFound) out.notFound = decisive.notFound;
  if (decisive.ambiguousAuth !== undefined) out.ambiguousAuth = decisive.ambiguousAuth;
  if (results.length > 1) {
    out.attempts = results.map((r) => {
      const a: PullAttempt = { cause: r.cause, credentials: r.credentials };
      if (r.subKind !== undefined) a.subKind = r.subKind;
      if (r.httpStatus !== undefined) a.httpStatus = r.httpStatus;
      return a;
    });
    out.decidedBy = decidedBy;
  }
  return out;
}
