// Who holds the key that unlocks the vault: the operating system (Electron's safeStorage, electron/vault-key.ts) or a
// key file the user names (ANGIO_VAULT_KEY_FILE) for the CLI and the harness. It wraps the vault's random data key;
// it never lives in the data folder, so a copy of the data folder alone cannot re-identify anything.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { readOrCreateOnce } from './create-once.ts';
import { seal, unseal } from './vault-seal.ts';

export interface VaultKeyHolder {
  /** Where the key is held, in words, for messages ("the key file /home/…/vault.key"). */
  readonly description: string;
  wrap(dataKey: Uint8Array): Uint8Array;
  /** The data key; a typed `vault-locked` error when this holder's key is not the one that wrapped it. */
  unwrap(wrapped: Uint8Array): Uint8Array;
}

export const VAULT_KEY_FILE_ENV = 'ANGIO_VAULT_KEY_FILE';
const KEY_BYTES = 32;

/** The key file the CLI and the harness use: ANGIO_VAULT_KEY_FILE, or one in the user's configuration folder. */
export function defaultVaultKeyFile(): string {
  const named = process.env[VAULT_KEY_FILE_ENV];
  if (named) return resolve(named);
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'angio-ssl-quantum', 'vault.key');
}

/** Reads the key file, creating it (32 random bytes, owner-only) on first use. */
function loadOrCreateKeyFile(path: string): Buffer {
  const key = readOrCreateOnce(path, () => randomBytes(KEY_BYTES));
  if (key.length !== KEY_BYTES) throw new AppError('vault-key-invalid', `The vault key file ${path} holds ${key.length} bytes, not ${KEY_BYTES}; it is not a vault key. Name the right file in ${VAULT_KEY_FILE_ENV}.`);
  return key;
}

export function keyFileHolder(path: string = defaultVaultKeyFile()): VaultKeyHolder {
  let key: Buffer | undefined;
  const fileKey = (): Buffer => (key ??= loadOrCreateKeyFile(path));
  return {
    description: `the key file ${path}`,
    wrap: (dataKey) => seal(fileKey(), dataKey),
    unwrap: (wrapped) => unseal(fileKey(), wrapped, 'The data key'),
  };
}

/** For a worker thread of a process that has already unlocked the vault (safeStorage works on Electron's main
 * thread only): hands over the data key itself and can wrap nothing new. */
export function unlockedKeyHolder(dataKey: Uint8Array): VaultKeyHolder {
  return {
    description: 'the key this process unlocked',
    wrap: () => {
      throw new AppError('vault-locked', 'The vault has no data key yet; it is created by the process that holds the vault key.');
    },
    unwrap: () => dataKey,
  };
}
