/**
 * Secrets and ServiceAccounts the source could not read (malformed, or the read failed): their
 * absence from the snapshot proves nothing, so a reference to one is unknown, not missing.
 */
import type { SkippedObject, Snapshot } from '../model/snapshot.js';

export type UnreadKind = 'Secret' | 'ServiceAccount';

export class UnreadObjects {
  private readonly entries: SkippedObject[];

  constructor(snapshot: Snapshot) {
    this.entries = (snapshot.skippedObjects ?? []).filter((e) => e.kind === 'Secret' || e.kind === 'ServiceAccount');
  }

  /**
   * The skipped entry that covers this object, if any. Secrets match only within their
   * namespace: a failed cluster-wide look-up by name says nothing about the pod's own namespace.
   */
  find(kind: UnreadKind, ns: string, name: string): SkippedObject | undefined {
    if (this.entries.length === 0) return undefined;
    return this.entries.find(
      (e) =>
        e.kind === kind &&
        (e.namespace === ns || (kind === 'ServiceAccount' && e.namespace === undefined)) &&
        (e.name === undefined || e.name === name),
    );
  }
}
