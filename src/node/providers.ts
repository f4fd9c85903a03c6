/**
 * The kubelet's credential provider registration replayed on the node's files
 * (`RegisterCredentialProviderPlugins`, kubernetes `pkg/credentialprovider/plugin/plugin.go` and
 * `config.go`): the bin dir must exist, the config (a file, or a directory of *.json/*.yaml/*.yml
 * read in order) must decode and validate, and every provider's `<bin-dir>/<name>` must pass
 * `exec.LookPath`. The first failure is the error the kubelet logs as `Failed to register CRI
 * auth plugins` before it exits 1 (node-credentials.md §1.1, §1.3).
 */
import path from 'node:path';
import type { CredentialProvider } from '../credentials/index.js';
import { decodeProviderConfigFile, mergeProviderFiles, providerConfigFilesOf } from '../credentials/provider-config.js';
import { validateProviders, validationErrorText } from '../credentials/provider-validate.js';
import { goQuote } from '../go/quote.js';
import { codeMessage, type NodeFs } from './fs.js';
import type { KubeletSetup, ProviderBinary, ProviderSetup } from './types.js';

/** exec.LookPath on `<bin-dir>/<name>` and the kubelet's wording of its failure. */
function lookPath(fs: NodeFs, file: string, provider: string): ProviderBinary {
  const st = fs.stat(file);
  if (!st.ok) {
    if (st.code === 'ENOENT' || st.code === 'ENOTDIR') {
      // LookPath returns "" with its error, so the kubelet names no path here.
      return { provider, path: file, status: 'missing', kubeletError: 'plugin binary executable  did not exist' };
    }
    return { provider, path: file, status: 'error', kubeletError: `error inspecting binary executable : exec: ${goQuote(file)}: stat ${file}: ${st.message}` };
  }
  if (st.value.isDirectory) return { provider, path: file, status: 'directory', kubeletError: `error inspecting binary executable : exec: ${goQuote(file)}: is a directory` };
  if ((st.value.mode & 0o111) === 0) {
    return { provider, path: file, status: 'not-executable', kubeletError: `error inspecting binary executable : exec: ${goQuote(file)}: permission denied` };
  }
  return { provider, path: file, status: 'ok' };
}

function readConfigFiles(fs: NodeFs, configPath: string): { files: string[]; error?: string } {
  if (configPath === '') return { files: [], error: 'credential provider config path is empty' };
  const st = fs.stat(configPath);
  if (!st.ok) return { files: [], error: `unable to access path ${goQuote(configPath)}: stat ${configPath}: ${st.message}` };
  if (!st.value.isDirectory) return { files: [configPath] };
  const list = fs.readDir(configPath);
  if (!list.ok) return { files: [], error: `unable to read directory ${goQuote(configPath)}: open ${configPath}: ${list.message}` };
  const files = providerConfigFilesOf(list.value).map((n) => path.posix.join(configPath, n));
  if (files.length === 0) return { files, error: `no configuration files found in directory ${goQuote(configPath)}` };
  return { files };
}

export function readProviders(fs: NodeFs, kubelet: KubeletSetup): ProviderSetup | undefined {
  const configPath = kubelet.imageCredentialProviderConfig ?? '';
  const binDir = kubelet.imageCredentialProviderBinDir ?? '';
  if (configPath === '' && binDir === '') return undefined;
  const setup: ProviderSetup = { configPath, binDir, files: [], configErrors: [], providers: [], binaries: [] };
  const stop = (stage: NonNullable<ProviderSetup['startupError']>['stage'], message: string) => {
    setup.startupError ??= { stage, message };
  };

  const binSt = fs.stat(binDir);
  if (!binSt.ok) {
    stop('bin-dir', binSt.code === 'ENOENT' ? `plugin binary directory ${binDir} did not exist` : `error inspecting binary directory ${binDir}: stat ${binDir}: ${codeMessage(binSt.code)}`);
  }

  const read = readConfigFiles(fs, configPath);
  setup.files = read.files;
  if (read.error) {
    setup.configErrors.push(read.error);
    stop('config', read.error);
  }
  const decoded: { providers: CredentialProvider[] }[] = [];
  for (const f of read.files) {
    const text = fs.readText(f);
    if (!text.ok) {
      const msg = `unable to read file ${goQuote(f)}: open ${f}: ${text.message}`;
      setup.configErrors.push(msg);
      stop('config', msg);
      continue;
    }
    const d = decodeProviderConfigFile(text.value, f);
    if (!d.ok) {
      setup.configErrors.push(d.error);
      stop('decode', d.error);
      continue;
    }
    decoded.push({ providers: d.providers });
  }
  const merged = mergeProviderFiles(decoded);
  setup.providers = merged.providers;
  if (merged.error) {
    setup.configErrors.push(merged.error);
    stop('duplicate', merged.error);
  }
  const configUsable = setup.configErrors.length === 0;
  if (configUsable) {
    const gate = kubelet.featureGates.KubeletServiceAccountTokenForCredentialProviders;
    const errs = validateProviders(setup.providers, gate === undefined ? {} : { serviceAccountTokenGate: gate });
    if (errs.length) {
      setup.configErrors.push(...errs);
      stop('validate', validationErrorText(errs));
    }
  }
  if (binSt.ok) {
    for (const p of setup.providers) {
      if (p.name === '' || p.name.includes('/') || p.name === '.' || p.name === '..') continue;
      const b = lookPath(fs, path.posix.join(binDir, p.name), p.name);
      setup.binaries.push(b);
      if (b.kubeletError) stop('binary', b.kubeletError);
    }
  }
  return setup;
}
