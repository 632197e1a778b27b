// Sealing for everything the vault keeps (originals, re-identification pairs, source paths, the pseudonym key):
// AES-256-GCM with a fresh 96-bit nonce per value, so a sealed file says nothing without the data key.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../ipc/index.ts';

/** Marks a sealed value, so a plaintext file left by an older version is recognised and sealed on first open. */
export const SEAL_MAGIC = Buffer.from('ANGIOVS1', 'latin1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export const isSealed = (bytes: Uint8Array): boolean => bytes.length >= SEAL_MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, SEAL_MAGIC.length).equals(SEAL_MAGIC);

export function seal(key: Uint8Array, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([SEAL_MAGIC, nonce, cipher.getAuthTag(), body]);
}

/** The plaintext, or a typed error when the key is not the one that sealed it (or the value was altered). */
export function unseal(key: Uint8Array, sealed: Uint8Array, what: string): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (!isSealed(bytes) || bytes.length < SEAL_MAGIC.length + NONCE_BYTES + TAG_BYTES) {
    throw new AppError('vault-damaged', `${what} in the vault is not a sealed value; the vault may be damaged.`);
  }
  const nonce = bytes.subarray(SEAL_MAGIC.length, SEAL_MAGIC.length + NONCE_BYTES);
  const tag = bytes.subarray(SEAL_MAGIC.length + NONCE_BYTES, SEAL_MAGIC.length + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(SEAL_MAGIC.length + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new AppError('vault-locked', `${what} in the vault cannot be opened with this vault key: it was sealed with another key, or altered.`);
  }
}

/** A keyed digest used to find sealed values by equality without storing them. */
export const sealedIndex = (key: Uint8Array, purpose: string, value: string): string => createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('hex');
