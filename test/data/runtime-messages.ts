/**
 * Real image-pull error texts, copied from public reports: every example of the table of runtime
 * wordings (src/runtime/wordings.ts, where each one lives beside the wording it exemplifies, with
 * its source and any note on where it was copied from), flattened for the tests.
 *
 * Most are the message of a kubelet `Failed` event (`Failed to pull image "x": <runtime error>`)
 * or the back-off status text, as pasted from `kubectl describe pod` / `kubectl get events`;
 * examples noted as runtime text are the same runtime error seen through crictl, a runtime or
 * kubelet log, or the Docker CLI. Edits (private hosts, markdown, wrapped lines) are noted on the
 * example; where a reporter redacted a name (XXXX, ***, CENSORED) the redaction is kept.
 */
import type { Cause, Runtime, SubKind } from '../../src/runtime/causes.js';
import { WORDINGS } from '../../src/runtime/wordings.js';

export interface RuntimeMessage {
  runtime: Runtime;
  text: string;
  expect: Cause;
  /** the sub-kind of the wording that decides it */
  subKind: SubKind;
  /** URL or repo#issue where the text was found */
  source: string;
  note?: string;
}

export const runtimeMessages: RuntimeMessage[] = WORDINGS.flatMap((w) =>
  w.examples.map((e) => {
    const m: RuntimeMessage = { runtime: e.runtime, text: e.text, expect: w.cause, subKind: w.subKind, source: e.source };
    if (e.note !== undefined) m.note = e.note;
    return m;
  }),
);
