/**
 * Read-only access to a node's filesystem mounted at --root (`/host` in a `kubectl debug node`
 * pod). Every path is a path on the node; symbolic links are resolved the way the node itself
 * would resolve them — an absolute target starts again at --root, `..` stops at --root — so no
 * read ever leaves --root. Nothing here writes.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

const MAX_LINKS = 40;
/** Config files are small; anything larger is refused rather than read. */
export const MAX_FILE = 4 * 1024 * 1024;

export type FsResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const fail = <T>(code: string, message: string): FsResult<T> => ({ ok: false, code, message });

function errCode(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : 'EIO';
}

const MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  EFBIG: `larger than ${MAX_FILE} bytes`,
};

export const codeMessage = (code: string): string => MESSAGES[code] ?? code;

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

export class NodeFs {
  /** The real directory of --root on this machine. */
  readonly base: string;

  constructor(root: string) {
    this.base = path.resolve(root);
  }

  /** The path on this machine for a node path, every symlink resolved inside --root. */
  resolve(nodePath: string): FsResult<string> {
    const pending = nodePath.split('/').filter((p) => p !== '' && p !== '.');
    const done: string[] = [];
    let links = 0;
    while (pending.length) {
      const part = pending.shift()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      const real = path.join(this.base, ...done, part);
      let isLink = false;
      try {
        isLink = lstatSync(real).isSymbolicLink();
      } catch (e) {
        const code = errCode(e);
        return fail(code, codeMessage(code));
      }
      if (isLink) {
        if (++links > MAX_LINKS) return fail('ELOOP', codeMessage('ELOOP'));
        let target: string;
        try {
          target = readlinkSync(real);
        } catch (e) {
          const code = errCode(e);
          return fail(code, codeMessage(code));
        }
        if (target.startsWith('/')) done.length = 0;
        pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      done.push(part);
    }
    return { ok: true, value: path.join(this.base, ...done) };
  }

  /** Node path → path on this machine, for executing a plugin; undefined when it cannot be resolved. */
  hostPath(nodePath: string): string | undefined {
    const r = this.resolve(nodePath);
    return r.ok ? r.value : undefined;
  }

  stat(nodePath: string): FsResult<{ isDirectory: boolean; isFile: boolean; mode: number; size: number }> {
    const r = this.resolve(nodePath);
    if (!r.ok) return r;
    try {
      const s = statSync(r.value);
      return { ok: true, value: { isDirectory: s.isDirectory(), isFile: s.isFile(), mode: s.mode, size: s.size } };
    } catch (e) {
      const code = errCode(e);
      return fail(code, codeMessage(code));
    }
  }

  exists(nodePath: string): boolean {
    return this.stat(nodePath).ok;
  }

  readFile(nodePath: string, max = MAX_FILE): FsResult<Buffer> {
    const r = this.resolve(nodePath);
    if (!r.ok) return r;
    let fd: number | undefined;
    try {
      // The path has no symlink left; O_NOFOLLOW guards against one appearing meanwhile.
      fd = openSync(r.value, constants.O_RDONLY | constants.O_NOFOLLOW);
      const st = fstatSync(fd);
      if (st.isDirectory()) return fail('EISDIR', codeMessage('EISDIR'));
      if (st.size > max) return fail('EFBIG', codeMessage('EFBIG'));
      const buf = Buffer.alloc(Math.max(0, st.size));
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, off);
        if (n === 0) break;
        off += n;
      }
      return { ok: true, value: buf.subarray(0, off) };
    } catch (e) {
      const code = errCode(e);
      return fail(code, codeMessage(code));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  readText(nodePath: string, max = MAX_FILE): FsResult<string> {
    const r = this.readFile(nodePath, max);
    return r.ok ? { ok: true, value: r.value.toString('utf8') } : r;
  }

  readDir(nodePath: string): FsResult<DirEntry[]> {
    const r = this.resolve(nodePath);
    if (!r.ok) return r;
    try {
      const names = readdirSync(r.value).sort();
      return {
        ok: true,
        value: names.map((name) => {
          const st = this.stat(path.posix.join(nodePath, name));
          return { name, isDirectory: st.ok && st.value.isDirectory };
        }),
      };
    } catch (e) {
      const code = errCode(e);
      return fail(code, codeMessage(code));
    }
  }

  /**
   * The text of a link, not followed (for /proc/<pid>/cwd). A path the reader sees under --root
   * (the debug pod sees the node's `/` as `/host`) is given back as the node's path.
   */
  readLink(nodePath: string): FsResult<string> {
    const parent = this.resolve(path.posix.dirname(nodePath));
    if (!parent.ok) return parent;
    try {
      const text = readlinkSync(path.join(parent.value, path.posix.basename(nodePath)));
      if (text === this.base) return { ok: true, value: '/' };
      if (this.base !== '/' && text.startsWith(this.base + '/')) return { ok: true, value: text.slice(this.base.length) };
      return { ok: true, value: text };
    } catch (e) {
      const code = errCode(e);
      return fail(code, codeMessage(code));
    }
  }
}
