// The vault key held by the OS: a vault locked through one key store opens through it and through no other, and a
// machine whose safeStorage has only its fixed-password fallback uses the key file instead.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { unlockVaultKeys } from '../deid/vault-keys.ts';
import { VAULT_KEY_FILE_ENV } from '../deid/vault-key-holder.ts';
import { osVaultKeyHolder, type SafeStorage } from './vault-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'angio-os-vault-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A key store standing in for the OS's: strings encrypted under a secret only it knows. */
function keyStore(backend: string): SafeStorage {
  const secret = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', secret, iv);
      return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
    },
    decryptString: (encrypted) => {
      const decipher = createDecipheriv('aes-256-cbc', secret, encrypted.subarray(0, 16));
      return Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]).toString('utf8');
    },
  };
}

const quiet = () => {};

test('a vault locked through the OS key store opens through it, and through no other', () => {
  const dataDir = join(dir, 'os');
  const os = keyStore('gnome_libsecret');
  const first = unlockVaultKeys(dataDir, osVaultKeyHolder(os, quiet));
  const again = unlockVaultKeys(dataDir, osVaultKeyHolder(os, quiet));
  assert.deepEqual(Buffer.from(again.dataKey), Buffer.from(first.dataKey));
  assert.deepEqual(Buffer.from(again.pseudonym.secret), Buffer.from(first.pseudonym.secret));
  assert.throws(() => unlockVaultKeys(dataDir, osVaultKeyHolder(keyStore('gnome_libsecret'), quiet)), (error: Error & { code?: string }) => error.code === 'vault-locked');
});

test('with only the fixed-password fallback, the key file named in ANGIO_VAULT_KEY_FILE holds the vault key', () => {
  const keyFile = join(dir, 'keys', 'vault.key');
  const before = process.env[VAULT_KEY_FILE_ENV];
  process.env[VAULT_KEY_FILE_ENV] = keyFile;
  try {
    const warnings: string[] = [];
    const holder = osVaultKeyHolder(keyStore('basic_text'), (level, message) => level === 'warn' && warnings.push(message));
    unlockVaultKeys(join(dir, 'basic'), holder);
    assert.ok(existsSync(keyFile), 'the key file was created');
    assert.match(warnings.join('\n'), /key file/);
  } finally {
    if (before === undefined) delete process.env[VAULT_KEY_FILE_ENV];
    else process.env[VAULT_KEY_FILE_ENV] = before;
  }
});
