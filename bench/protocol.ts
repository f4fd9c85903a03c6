/** Messages between bench/run.ts and its helper processes. */
import type { ChurnStep } from './churn.js';
import type { ClusterStats } from './generate.js';

export interface ServerConfig {
  pods: number;
  seed: number;
  tls: boolean;
  gzip: boolean;
}

export type ChildRequest =
  | { type: 'reset'; id: number }
  | { type: 'stats'; id: number; log?: boolean }
  | { type: 'dump'; id: number; file: string; format: 'json' | 'yaml' }
  /** Apply one step of a churn story (bench/churn.ts). */
  | { type: 'churn'; id: number; story: number; step: ChurnStep }
  /** Background noise: `perSecond` changes a second (0 stops it). */
  | { type: 'noise'; id: number; perSecond: number }
  | { type: 'exit' };

export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
  status: number;
}

export type ChildReply =
  | { type: 'ready'; url: string; token: string; caData?: string; stats: ClusterStats; genMs: number; rssMB: number }
  | { type: 'ok'; id: number }
  | { type: 'stats'; id: number; requests: number; bytes: number; log?: LoggedRequest[]; openWatches: number; noiseChanges: number }
  | { type: 'dumped'; id: number; bytes: number; ms: number }
  | { type: 'error'; id: number; message: string };

/** What the floor process is asked to fetch (lists are followed through `continue`). */
export interface FloorPlan {
  url: string;
  token: string;
  caData?: string;
  gzip: boolean;
  pageSize: number;
  lists: { path: string; query: Record<string, string> }[];
  gets: string[];
}

export interface FloorResult {
  ms: number;
  requests: number;
  bytes: number;
  items: number;
}
