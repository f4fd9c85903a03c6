/**
 * Access problems (403 and friends) as the scan records them, each with the
 * `kubectl auth can-i …` line that reproduces the API server's decision.
 */
import type { AccessProblem } from '../model/snapshot.js';
import { sh } from '../util/shell.js';
import { statusMessage } from './api-protocol.js';

export interface AccessCheck {
  verb: 'get' | 'list';
  /** Plural resource, e.g. `secrets`. */
  resource: string;
  /** The namespace asked about; undefined for cluster-wide or cluster-scoped requests. */
  namespace?: string;
  /** Object name for a GET by name. */
  name?: string;
  /** False for cluster-scoped resources (nodes): no `-A` then. Default true. */
  namespaced?: boolean;
}

/**
 * `kubectl auth can-i VERB RESOURCE [-n NS | -A] [--context CTX]`, quoted for a shell.
 * `context` only when the user chose it (otherwise kubectl's current context is the same one).
 */
export function canICommand(check: AccessCheck, context?: string): string {
  const scope = check.namespace ? ` -n ${sh(check.namespace)}` : (check.namespaced ?? true) ? ' -A' : '';
  const ctx = context !== undefined ? ` --context ${sh(context)}` : '';
  return `kubectl auth can-i ${check.verb} ${check.resource}${scope}${ctx}`;
}

/** The access problem for a refused request: what was asked, the server's message, the can-i line. */
export function accessProblem(res: { status: number; body: unknown }, check: AccessCheck, context?: string): AccessProblem {
  const problem: AccessProblem = {
    resource: check.resource,
    verb: check.verb,
    status: res.status,
    message: statusMessage(res.body, res.status),
    canI: canICommand(check, context),
  };
  if (check.namespace) problem.namespace = check.namespace;
  if (check.name) problem.name = check.name;
  return problem;
}
