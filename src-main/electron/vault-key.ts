// The vault key held by the operating system: Electron's safeStorage (Keychain, DPAPI, the Secret Service / KWallet)
// wraps the vault's data key. Where it has only its fixed-password fallback, the key file is used instead.
import type { LogLevel } from '../app/index.ts';
import { keyFileHolder, type VaultKeyHolder } from '../deid/index.ts';
import { AppError } from '../ipc/index.ts';

/** The part of Electron's safeStorage used here (main.ts passes it: only main.ts imports electron). */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export function osVaultKeyHolder(safeStorage: SafeStorage, log: (level: LogLevel, message: string) => void): VaultKeyHolder {
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'os';
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    const fallback = keyFileHolder();
    log('warn', `The OS keeps no secret for this app (safeStorage: ${backend}); the vault key is ${fallback.description}.`);
    return fallback;
  }
  return {
    description: `the operating system's key store (${backend})`,
    wrap: (dataKey) => safeStorage.encryptString(Buffer.from(dataKey).toString('base64')),
    unwrap: (wrapped) => {
      try {
        return Buffer.from(safeStorage.decryptString(Buffer.from(wrapped)), 'base64');
      } catch (error) {
        throw new AppError('vault-locked', `The operating system's key store cannot unwrap the vault key (${(error as Error).message}).`);
      }
    },
  };
}
