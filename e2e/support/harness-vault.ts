// What the e2e tests read behind the de-identified catalog, through the vault's own API with the harness's key
// (the key file the harness and the CLI share): the originals behind replaced UIDs, the paths behind the
// pseudonymous file ids, and the id the catalog and its logs give a file.
import { join, resolve } from 'node:path';
import { sourceFileId, sourceId } from '../../src-main/deid/source-names.ts';
import { Vault } from '../../src-main/deid/vault.ts';
import { keyFileHolder } from '../../src-main/deid/vault-key-holder.ts';
import { unlockVaultKeys, VAULT_DIR, type VaultKeys } from '../../src-main/deid/vault-keys.ts';

export interface HarnessVault {
  /** The original of a replaced value of `kind` ('uid', …); null when the vault has no pair for it. */
  originalOf(kind: string, replacement: string): string | null;
  /** The path (relative to its folder) behind a file id; null when the vault never had it. */
  pathOf(fileId: string): string | null;
  /** The id that names `relativePath` of the folder `root` in the catalog, the import log and the audit log. */
  fileIdOf(root: string, relativePath: string): string;
}

/** Opens the harness's vault (a second connection beside the services' own) for `read`, and closes it after. */
export function withHarnessVault<T>(dataDir: string, read: (vault: HarnessVault) => T): T {
  const keys: VaultKeys = unlockVaultKeys(dataDir, keyFileHolder());
  const vault = new Vault(join(dataDir, VAULT_DIR), keys.dataKey);
  try {
    return read({
      originalOf: (kind, replacement) => vault.lookup(replacement).find((pair) => pair.kind === kind)?.original ?? null,
      pathOf: (fileId) => vault.sourcePath(fileId),
      fileIdOf: (root, relativePath) => sourceFileId(keys.pseudonym, sourceId(keys.pseudonym, resolve(root)), relativePath),
    });
  } finally {
    vault.close();
  }
}
