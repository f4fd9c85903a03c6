/**
 * The kubelet's command line as systemd would build it, for nodes where the running process is
 * not visible: the `kubelet.service` unit (first of /etc, /run, /usr/local/lib, /usr/lib, /lib),
 * its drop-ins (`kubelet.service.d/*.conf`, by file name, /etc winning over /run over /usr/lib),
 * `Environment=` then `EnvironmentFile=` (files override), and `ExecStart=` with `${VAR}` (one
 * word) and `$VAR` (split on white space) expanded (systemd.service(5), systemd.exec(5)).
 */
import path from 'node:path';
import type { NodeFs } from './fs.js';

const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const UNIT = 'kubelet.service';

export interface SystemdKubelet {
  unit: string;
  dropIns: string[];
  envFiles: string[];
  argv: string[];
  env: Record<string, string>;
}

/** Unit-file lines: comments dropped, `\` continuations joined, `[Section]` tracked. */
function serviceAssignments(text: string): [string, string][] {
  const out: [string, string][] = [];
  let section = '';
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return out;
}

/** Words with systemd's quoting: "…" and '…' group, backslash escapes. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** `Environment=` value: several `KEY=VALUE` words. */
function environmentWords(value: string): [string, string][] {
  return splitWords(value)
    .map((w) => {
      const eq = w.indexOf('=');
      return eq > 0 ? ([w.slice(0, eq), w.slice(eq + 1)] as [string, string]) : undefined;
    })
    .filter((x): x is [string, string] => x !== undefined);
}

/** An environment file: `KEY=VALUE` lines, `#` comments, optional quotes, `\` continuations. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.replace(/\\\r?\n/g, '').split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
      const q = v[0];
      v = v.slice(1, -1);
      if (q === '"') v = v.replace(/\\(["\\$`])/g, '$1');
    }
    env[m[1]!] = v;
  }
  return env;
}

/** ExecStart expansion: a word that is exactly `$VAR` splits into words; `${VAR}`/`$VAR` inside a word do not. */
export function expandCommand(line: string, env: Record<string, string>): string[] {
  const cmd = line.replace(/^[-@+!:]+/, '');
  const out: string[] = [];
  for (const w of splitWords(cmd)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(w);
    if (whole) {
      out.push(...(env[whole[1]!] ?? '').split(/\s+/).filter(Boolean));
      continue;
    }
    out.push(w.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a?: string, b?: string) => env[(a ?? b)!] ?? ''));
  }
  return out;
}

/** The kubelet unit and its drop-ins as systemd would load them; undefined when there is no unit. */
export function readKubeletUnit(fs: NodeFs): SystemdKubelet | undefined {
  const unit = UNIT_DIRS.map((d) => `${d}/${UNIT}`).find((p) => {
    const s = fs.stat(p);
    return s.ok && s.value.isFile;
  });
  const dropIns = new Map<string, string>();
  for (const d of [...UNIT_DIRS].reverse()) {
    const dir = `${d}/${UNIT}.d`;
    const list = fs.readDir(dir);
    if (!list.ok) continue;
    for (const e of list.value) if (!e.isDirectory && e.name.endsWith('.conf')) dropIns.set(e.name, `${dir}/${e.name}`);
  }
  if (!unit && dropIns.size === 0) return undefined;
  const files = [...(unit ? [unit] : []), ...[...dropIns.keys()].sort().map((n) => dropIns.get(n)!)];
  let execStart: string[] = [];
  const environment: [string, string][] = [];
  const envFileSpecs: string[] = [];
  for (const f of files) {
    const text = fs.readText(f);
    if (!text.ok) continue;
    for (const [k, v] of serviceAssignments(text.value)) {
      if (k === 'ExecStart') {
        if (v === '') execStart = [];
        else execStart.push(v);
      } else if (k === 'Environment') {
        if (v === '') environment.length = 0;
        else environment.push(...environmentWords(v));
      } else if (k === 'EnvironmentFile') {
        if (v === '') envFileSpecs.length = 0;
        else envFileSpecs.push(v);
      }
    }
  }
  const env: Record<string, string> = Object.fromEntries(environment);
  const envFiles: string[] = [];
  for (const spec of envFileSpecs) {
    const optional = spec.startsWith('-');
    const file = optional ? spec.slice(1) : spec;
    const text = fs.readText(file);
    if (!text.ok) continue;
    envFiles.push(path.posix.normalize(file));
    Object.assign(env, parseEnvFile(text.value));
  }
  const last = execStart[execStart.length - 1];
  return {
    unit: unit ?? files[0]!,
    dropIns: files.filter((f) => f !== unit),
    envFiles,
    argv: last !== undefined ? expandCommand(last, env) : [],
    env,
  };
}
