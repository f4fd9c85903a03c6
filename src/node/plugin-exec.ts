/**
 * Run a credential provider plugin exactly as the kubelet's execPlugin does (kubernetes
 * `pkg/credentialprovider/plugin/plugin.go`): `<bin-dir>/<name> <args…>` with the
 * `CredentialProviderRequest` on stdin, the kubelet's own environment (read from
 * /proc/<pid>/environ when the kubelet is visible, else pulldoctor's) with the provider's `env`
 * appended so that it wins, and a hard one-minute timeout; then stdout is decoded strictly
 * (src/credentials/provider-protocol.ts), its passwords sealed, and the buffer cleared.
 *
 * Only with `--probe`: this runs a program of the node.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { decodeProviderResponse, encodeProviderRequest, type CredentialProvider } from '../credentials/index.js';
import type { NodeFs } from './fs.js';
import { environOf } from './kubelet.js';
import type { KubeletSetup, PluginRun } from './types.js';

export const PLUGIN_TIMEOUT_MS = 60_000;
const MAX_STDOUT = 4 * 1024 * 1024;
const MAX_STDERR = 600;

export interface ExecOptions {
  timeoutMs?: number;
}

function cut(s: string): string {
  const t = s.trim();
  return t.length > MAX_STDERR ? `${t.slice(0, MAX_STDERR)}…` : t;
}

/** `image` is the name the kubelet passes (repoToPull: normalised, no tag or digest). */
export function execPlugin(fs: NodeFs, kubelet: KubeletSetup, binDir: string, provider: CredentialProvider, image: string, opts: ExecOptions = {}): Promise<PluginRun> {
  const nodePath = path.posix.join(binDir, provider.name);
  const command = [nodePath, ...provider.args];
  const base = kubelet.pid !== undefined ? environOf(fs, kubelet.pid) : undefined;
  const run: PluginRun = { provider: provider.name, image, command, exitCode: null, timedOut: false, stderr: '', durationMs: 0, environment: base ? 'kubelet' : 'pulldoctor' };
  const bin = fs.hostPath(nodePath);
  if (bin === undefined) {
    run.spawnError = `fork/exec ${nodePath}: no such file or directory`;
    run.kubeletError = `error execing credential provider plugin ${provider.name} for image ${image}: ${run.spawnError}: `;
    return Promise.resolve(run);
  }
  const env: Record<string, string> = { ...(base ?? (process.env as Record<string, string>)) };
  for (const e of provider.env) env[e.name] = e.value;
  const timeoutMs = opts.timeoutMs ?? PLUGIN_TIMEOUT_MS;
  const started = Date.now();
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let settled = false;
    const child = spawn(bin, provider.args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      run.timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.durationMs = Date.now() - started;
      run.stderr = cut(err);
      const stdout = Buffer.concat(out);
      for (const b of out) b.fill(0);
      const prefix = `error execing credential provider plugin ${provider.name} for image ${image}`;
      if (run.spawnError) run.kubeletError = `${prefix}: ${run.spawnError}: ${run.stderr}`;
      else if (run.timedOut) run.kubeletError = `${prefix}: context deadline exceeded: ${run.stderr}`;
      else if (run.exitCode !== 0) run.kubeletError = `${prefix}: ${run.exitCode === null ? 'signal: killed' : `exit status ${run.exitCode}`}: ${run.stderr}`;
      else run.decoded = decodeProviderResponse(stdout, provider.apiVersion);
      stdout.fill(0);
      resolve(run);
    };
    child.stdout.on('data', (b: Buffer) => {
      if (outLen + b.length > MAX_STDOUT) return;
      outLen += b.length;
      out.push(b);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      if (err.length < 4 * MAX_STDERR) err += s;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EACCES' ? 'permission denied' : e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'ENOEXEC' ? 'exec format error' : e.message;
      run.spawnError = `fork/exec ${nodePath}: ${why}`;
      finish();
    });
    child.on('close', (code) => {
      run.exitCode = code;
      finish();
    });
    child.stdin.on('error', () => {});
    child.stdin.end(encodeProviderRequest(provider.apiVersion, image));
  });
}
