// Content-addressed files: each blob is stored once under its SHA-256 (ab/cdef…). A new blob is created straight
// under its name with one exclusive create (a temporary file plus a rename made writing the 9,600 P-ADSD patches take
// 1.6 s instead of 0.3–0.4 s, or 2.9 s instead of 2.5 s when creating files is slow). A crash mid-write can leave a
// short file under the name, but nothing refers to a blob before put() has returned, and a later put of the same
// content finds the file wrong and replaces it atomically (temporary file, then rename): a referenced blob is whole.
import { hash, randomBytes } from 'node:crypto';
import { close, closeSync, existsSync, fstatSync, mkdirSync, open, openSync, readFileSync, renameSync, rmSync, statSync, write, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { storageError } from './storage-errors.ts';

export const sha256Hex = (bytes: Uint8Array): string => hash('sha256', bytes);

export class BlobStore {
  readonly root: string;
  private readonly madeDirs = new Set<string>();

  constructor(root: string) {
    this.root = root;
    mkdirSync(root, { recursive: true });
  }

  pathOf(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a SHA-256 digest: ${sha}`);
    return join(this.root, sha.slice(0, 2), sha.slice(2));
  }

  has(sha: string): boolean {
    return existsSync(this.pathOf(sha));
  }

  /** Stores `bytes` (or finds them already stored, whole) and returns their digest. `sha` skips re-hashing. */
  put(bytes: Uint8Array, sha: string = sha256Hex(bytes)): string {
    const target = this.pathOf(sha);
    this.makeDir(dirname(target));
    let fd: number;
    try {
      fd = openSync(target, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw this.failure(error);
      if (!holds(target, bytes)) this.replace(target, bytes);
      return sha;
    }
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      // Remove what this call created, and only that: another process may have replaced the name meanwhile.
      if (sameFile(fd, target)) rmSync(target, { force: true });
      throw this.failure(error);
    } finally {
      closeSync(fd);
    }
    return sha;
  }

  /**
   * put() with the file created and written on Node's thread pool: the caller's thread goes on meanwhile (an import
   * checks its next patches while the last ones are written; creating small files is most of a patch import's I/O).
   * Same rules as put(): it resolves once the whole file is under its name, and a reference may be written then.
   */
  async putAsync(bytes: Uint8Array, sha: string): Promise<string> {
    const target = this.pathOf(sha);
    this.makeDir(dirname(target));
    let fd: number;
    try {
      fd = await new Promise<number>((resolve, reject) => open(target, 'wx', (error, opened) => (error ? reject(error) : resolve(opened))));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw this.failure(error);
      if (!holds(target, bytes)) this.replace(target, bytes);
      return sha;
    }
    try {
      for (let at = 0; at < bytes.length; ) {
        at += await new Promise<number>((resolve, reject) => write(fd, bytes, at, bytes.length - at, null, (error, written) => (error ? reject(error) : resolve(written))));
      }
    } catch (error) {
      if (sameFile(fd, target)) rmSync(target, { force: true });
      closeSync(fd);
      throw this.failure(error);
    }
    await new Promise<void>((resolve, reject) => close(fd, (error) => (error ? reject(this.failure(error)) : resolve())));
    return sha;
  }

  read(sha: string): Uint8Array {
    return readFileSync(this.pathOf(sha));
  }

  /** Puts whole bytes over a short or wrong file (left by a crash mid-write) in one rename. */
  private replace(target: string, bytes: Uint8Array): void {
    const temp = join(dirname(target), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(temp, bytes);
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw this.failure(error);
    }
  }

  private makeDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw this.failure(error);
    }
    this.madeDirs.add(dir);
  }

  private failure(error: unknown): unknown {
    return storageError(error, dirname(this.root), 'an imported file') ?? error;
  }
}

/** Whether the file at `path` holds exactly `bytes`. */
function holds(path: string, bytes: Uint8Array): boolean {
  try {
    return statSync(path).size === bytes.length && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(readFileSync(path));
  } catch {
    return false;
  }
}

function sameFile(fd: number, path: string): boolean {
  try {
    const open = fstatSync(fd);
    const named = statSync(path);
    return open.ino === named.ino && open.dev === named.dev;
  } catch {
    return false;
  }
}
