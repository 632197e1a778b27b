// Content-addressed files: each blob is stored once under its SHA-256 (ab/cdef…), written to a temporary file in
// the same folder and renamed into place, so a crash leaves either the whole file or nothing under its name.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { storageError } from './storage-errors.ts';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

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

  /** Stores `bytes` (or finds them already stored) and returns their digest. `sha` skips re-hashing. */
  put(bytes: Uint8Array, sha: string = sha256Hex(bytes)): string {
    const target = this.pathOf(sha);
    const dir = join(this.root, sha.slice(0, 2));
    if (!this.madeDirs.has(dir)) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw storageError(error, dirname(this.root), 'an imported file') ?? error;
      }
      this.madeDirs.add(dir);
    }
    if (existsSync(target)) return sha;
    const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(temp, bytes);
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw storageError(error, dirname(this.root), 'an imported file') ?? error;
    }
    return sha;
  }

  read(sha: string): Uint8Array {
    return readFileSync(this.pathOf(sha));
  }
}
