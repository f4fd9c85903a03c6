/**
 * The live source: a cluster listed once, then watched (list + watch, as an informer does),
 * for the UI's `-w` and for `pulldoctor serve`. The implementation is live-cluster.ts (over
 * reflector.ts and api-transport.ts); this module holds the contract and loads it on first use.
 */
import type { LiveOptions, LiveSnapshotSource } from './live-types.js';

export type { LiveOptions, LiveSnapshotSource, LiveStatus } from './live-types.js';

/** A live source for one cluster. Nothing is read before `start()`. */
export function watchCluster(opts: LiveOptions): LiveSnapshotSource {
  let impl: LiveSnapshotSource | undefined;
  let stopped = false;
  const listeners = new Set<() => void>();
  return {
    async start() {
      if (impl) throw new Error('internal: the live source was started twice');
      const { LiveCluster } = await import('./live-cluster.js');
      // stop() while the implementation was loading: nothing is read.
      if (stopped) throw new Error('the live source was stopped before it started');
      impl = new LiveCluster(opts);
      impl.onChange(() => {
        for (const l of [...listeners]) l();
      });
      await impl.start();
    },
    snapshot() {
      if (!impl) throw new Error('internal: snapshot() before start()');
      return impl.snapshot();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status() {
      return impl ? impl.status() : { synced: false, connected: false };
    },
    async stop() {
      stopped = true;
      listeners.clear();
      await impl?.stop();
    },
  };
}
