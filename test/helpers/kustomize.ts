/** kubectl's embedded kustomize, for tests that render real kustomizations (`kubectl kustomize`). */
import { execFileSync } from 'node:child_process';

/**
 * kubectl's kustomize version (`v5.5.0`) when it is v5 or later, else why it cannot be used: the
 * fixtures' overlays use `labels:` with `includeSelectors`, and their renders are compared byte
 * for byte with what kustomize v5 prints (kubectl 1.27+).
 */
export function kustomizeVersion(): { version?: string; why?: string } {
  try {
    const out = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    const v = (JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion;
    if (!v) return { why: 'this kubectl reports no kustomize version (older than 1.24)' };
    const major = Number(/^v?(\d+)\./.exec(v)?.[1] ?? 0);
    return major >= 5 ? { version: v } : { why: `its kustomize is ${v}; the overlay needs v5 (kubectl 1.27+)` };
  } catch (e) {
    return { why: `kubectl not usable: ${(e as Error).message.split('\n')[0]}` };
  }
}
