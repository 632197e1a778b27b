// Consistent replacements keyed by a per-installation secret: the same original always maps to the same UID,
// pseudonym and date shift, so studies of one patient stay grouped across imports without keeping the original.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PseudonymKey {
  readonly secret: Uint8Array;
}

const mac = (key: PseudonymKey, purpose: string, value: string): string =>
  createHmac('sha256', key.secret).update(`${purpose}\u0000${value}`).digest('hex');

/** A 2.25 UID (PS3.5 B.2) derived from the original: deterministic, unlinkable without the secret. */
export function remapUid(key: PseudonymKey, uid: string): string {
  return `2.25.${BigInt(`0x${mac(key, 'uid', uid).slice(0, 32)}`).toString(10)}`;
}

/** Patient pseudonym from the original patient identity (id + issuer, or name + birth date when there is no id). */
export function patientPseudonym(key: PseudonymKey, identity: string): string {
  return `P-${mac(key, 'patient', identity).slice(0, 12).toUpperCase()}`;
}

/** Days to shift this patient's dates back: 1…3650, never 0, so no original date survives. */
export function dateShiftDays(key: PseudonymKey, pseudonym: string): number {
  return 1 + (Number.parseInt(mac(key, 'date', pseudonym).slice(0, 8), 16) % 3650);
}

/** Shifts a DA (YYYYMMDD or the old YYYY.MM.DD) or the date part of a DT; null when it is not a date. */
export function shiftDate(value: string, days: number): string | null {
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})/.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // A month or day out of range would roll over into another date rather than fail.
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Loads the installation's secret, creating it (owner-only) on first use. */
export function loadOrCreateKey(path: string): PseudonymKey {
  if (existsSync(path)) return { secret: readFileSync(path) };
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { secret };
}
