// Ingest's way into the vault: unlocks it with the host's vault key holder, seals what an older version left in
// plaintext, applies the catalog migrations that wait for the vault, and keeps importing possible when the key is
// lost (the locked vault is set aside and a new one started, audited).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keyFileHolder, LEGACY_PSEUDONYM_KEY, type SealedOriginals, setLockedVaultAside, unlockVaultKeys, Vault, VAULT_DIR, VAULT_LOCKED_SENTENCE, type VaultKeyHolder, type VaultKeys } from '../deid/index.ts';
import { AppError } from '../ipc/index.ts';
import { ITEM_NAMES_MIGRATION, pendingVaultMigrations, SOURCE_NAMES_MIGRATION, type Store, writeAudit } from '../store/index.ts';
import { moveItemNamesToVault, skipItemNamesIfNothingToMove } from './item-names-migration.ts';
import { moveSourceNamesToVault, skipIfNothingToMove } from './source-names-migration.ts';

export interface VaultStatus {
  /** Originals are kept (the user's switch). */
  enabled: boolean;
  /** Whether this host's vault key opens the vault. */
  unlocked: boolean;
  /** What the renderer shows when the key is missing; null otherwise. */
  note: string | null;
}

const isLocked = (error: unknown): boolean => error instanceof AppError && error.code === 'vault-locked';

/** What `read` returns, or null while the vault is locked: for work that waits for the vault key. */
function unlessLocked<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (isLocked(error)) return null;
    throw error;
  }
}

export class VaultAccess {
  private readonly store: Store;
  private readonly dataDir: string;
  private readonly holder: VaultKeyHolder;
  /** The user's switch: whether originals, pairs and paths are kept. */
  private readonly keepsOriginals: () => boolean;
  private keys: VaultKeys | undefined;
  private vault: Vault | undefined;

  constructor(deps: { store: Store; dataDir: string; holder?: VaultKeyHolder; keepsOriginals: () => boolean }) {
    this.store = deps.store;
    this.dataDir = deps.dataDir;
    this.holder = deps.holder ?? keyFileHolder();
    this.keepsOriginals = deps.keepsOriginals;
    this.sealOlderVault();
    this.applyMigrations();
  }

  /** The vault's keys, or a typed `vault-locked` error when this host's vault key does not open it. */
  unlocked(): VaultKeys {
    this.keys ??= unlockVaultKeys(this.dataDir, this.holder);
    return this.keys;
  }

  /** Keys for an import: a vault whose key is lost is set aside (kept) and a new one started, so importing goes on. */
  keysForImport(): VaultKeys {
    try {
      return this.unlocked();
    } catch (error) {
      if (!isLocked(error)) throw error;
      const aside = setLockedVaultAside(this.dataDir);
      writeAudit(this.store, { action: 'vault.replaced', objectType: 'vault', objectId: VAULT_DIR, detail: { setAside: aside.slice(this.dataDir.length + 1), why: VAULT_LOCKED_SENTENCE } });
      this.forget();
      const keys = this.unlocked();
      this.applyMigrations(); // names that waited for a key go into the new vault
      return keys;
    }
  }

  /** The open vault when originals are kept; a typed `vault-locked` error when its key is missing. */
  current(): Vault | null {
    if (!this.keepsOriginals()) return null;
    this.vault ??= new Vault(join(this.dataDir, VAULT_DIR), this.unlocked().dataKey);
    return this.vault;
  }

  /** Closes the open vault (originals turned off, or the vault replaced). */
  forget(): void {
    this.vault?.close();
    this.vault = undefined;
  }

  status(): VaultStatus {
    const unlocked = unlessLocked(() => this.unlocked()) !== null;
    return { enabled: this.keepsOriginals(), unlocked, note: unlocked ? null : VAULT_LOCKED_SENTENCE };
  }

  /** The originals for PACS exports; a typed error when the vault is off or locked. */
  originals(): SealedOriginals {
    const vault = this.current();
    if (!vault) {
      throw new AppError('vault-off', 'PACS mode needs the original identifiers and UIDs, and the vault that keeps them is turned off, so none were kept. Use research mode, or turn the vault on in Settings and import the study again.');
    }
    return vault.originals;
  }

  /** The path behind a source or file id (deid/source-names.ts); null when the vault is off, locked or never had it. */
  sourcePathOf(id: string): string | null {
    return unlessLocked(() => this.current()?.sourcePath(id) ?? null);
  }

  /** A pseudonym key or vault an older version left in plaintext is sealed at the first open with the vault key,
   * whether or not originals are kept now; without the key it waits. */
  private sealOlderVault(): void {
    const vaultDir = join(this.dataDir, VAULT_DIR);
    const plaintextVault = !existsSync(join(vaultDir, 'format')) && (existsSync(join(vaultDir, 'originals')) || existsSync(join(vaultDir, 'reidentification.sqlite')));
    if (!plaintextVault && !existsSync(join(this.dataDir, LEGACY_PSEUDONYM_KEY))) return;
    const keys = unlessLocked(() => this.unlocked());
    if (keys && plaintextVault) new Vault(vaultDir, keys.dataKey).close(); // opening seals what it finds in plaintext
  }

  /** Catalog migrations that move names into the vault (store/migrations/deid.ts); they wait while it is locked. */
  private applyMigrations(): void {
    const pending = new Set(pendingVaultMigrations(this.store).map((migration) => migration.id));
    if (pending.has(SOURCE_NAMES_MIGRATION) && !skipIfNothingToMove(this.store)) {
      const keys = unlessLocked(() => this.unlocked());
      if (!keys) return; // the next migration builds on this one's ids: both wait for the key
      moveSourceNamesToVault(this.store, keys.pseudonym, this.current());
    }
    if (pending.has(ITEM_NAMES_MIGRATION) && !skipItemNamesIfNothingToMove(this.store)) {
      const keys = unlessLocked(() => this.unlocked());
      if (keys) moveItemNamesToVault(this.store, this.dataDir, keys.pseudonym, this.current());
    }
  }

  close(): void {
    this.forget();
  }
}
