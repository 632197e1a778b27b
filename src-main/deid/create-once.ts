// Files the vault creates on first use (keys) and never rewrites: two processes starting at the same moment must
// agree on one, and neither may read half of one.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What `path` holds, creating it owner-only from `make()` when missing. The bytes are written whole under a
 * temporary name, then linked: linking fails on an existing file, so whoever comes second reads the first one's.
 */
export function readOrCreateOnce(path: string, make: () => Uint8Array): Buffer {
  if (existsSync(path)) return readFileSync(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, make(), { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600); // the umask may have narrowed the mode above; owner read and write, exactly
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return readFileSync(path);
}
