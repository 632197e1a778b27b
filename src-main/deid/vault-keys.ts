// The vault's two keys: a random data key that seals everything in the vault, kept only wrapped by the vault key
// holder, and the pseudonym key (UIDs, pseudonyms, date shifts, source ids), kept only sealed by the data key.
// A pseudonym key left in plaintext by an older version (data/deid/pseudonym.key) is sealed and removed on first open.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { readOrCreateOnce } from './create-once.ts';
import type { PseudonymKey } from './pseudonyms.ts';
import type { VaultKeyHolder } from './vault-key-holder.ts';
import { seal, unseal } from './vault-seal.ts';

export interface VaultKeys {
  dataKey: Uint8Array;
  pseudonym: PseudonymKey;
}

export const VAULT_DIR = 'vault';
export const WRAPPED_DATA_KEY = 'data-key.wrapped';
export const SEALED_PSEUDONYM_KEY = 'pseudonym.key.sealed';
/** Where versions before the sealed vault kept the pseudonym key, in plaintext. */
export const LEGACY_PSEUDONYM_KEY = join('deid', 'pseudonym.key');

/** What the app says wherever it reports the vault when its key is missing. */
export const VAULT_LOCKED_SENTENCE =
  'The vault key is not available, so originals, source paths and re-identification are out of reach; the de-identified library is intact and works as before. New imports start a new vault, so their pseudonyms are not linked to earlier ones.';

function dataKey(dir: string, holder: VaultKeyHolder): Uint8Array {
  const wrappedPath = join(dir, WRAPPED_DATA_KEY);
  if (!existsSync(wrappedPath) && existsSync(join(dir, SEALED_PSEUDONYM_KEY))) {
    throw new AppError('vault-locked', `The vault's wrapped data key is missing from ${dir}. ${VAULT_LOCKED_SENTENCE}`);
  }
  const wrapped = readOrCreateOnce(wrappedPath, () => holder.wrap(randomBytes(32)));
  try {
    return holder.unwrap(wrapped);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'vault-locked' || error.code === 'vault-damaged')) {
      throw new AppError('vault-locked', `The vault in ${dir} was not locked with ${holder.description}. ${VAULT_LOCKED_SENTENCE}`);
    }
    throw error;
  }
}

/** Unlocks the vault of a data folder (creating its keys on first use); a typed `vault-locked` error without its key. */
export function unlockVaultKeys(dataDir: string, holder: VaultKeyHolder): VaultKeys {
  const dir = join(dataDir, VAULT_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = dataKey(dir, holder);
  const sealedPath = join(dir, SEALED_PSEUDONYM_KEY);
  const legacyPath = join(dataDir, LEGACY_PSEUDONYM_KEY);
  const sealed = readOrCreateOnce(sealedPath, () => seal(key, existsSync(legacyPath) ? readFileSync(legacyPath) : randomBytes(32)));
  const secret = unseal(key, sealed, 'The pseudonym key');
  if (existsSync(legacyPath)) {
    rmSync(legacyPath, { force: true });
    if (readdirSync(dirname(legacyPath)).length === 0) rmdirSync(dirname(legacyPath));
  }
  return { dataKey: key, pseudonym: { secret } };
}

/** Moves a vault that cannot be unlocked aside (kept, in case its key turns up) so that a new one can start. */
export function setLockedVaultAside(dataDir: string, at: Date = new Date()): string {
  const aside = join(dataDir, `${VAULT_DIR}-locked-${at.toISOString().replace(/[:.]/g, '-')}`);
  renameSync(join(dataDir, VAULT_DIR), aside);
  return aside;
}
