/** Progress of a collection, reported per resource as pages arrive. */
export interface ProgressUpdate {
  /** Cluster/context name in fleet mode. */
  cluster?: string;
  /** `pods`, `events`, `serviceaccounts`, `secrets`, `nodes`, or `files`. */
  resource: string;
  pages: number;
  objects: number;
  done: boolean;
}

export type ProgressCallback = (update: ProgressUpdate) => void;
