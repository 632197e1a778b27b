// Overlay planes (60xx) live in the vault only: PS3.15 Table E.1-1 removes Overlay Data (X), because a plane can
// carry burned-in text (names, dates, record numbers). The catalog keeps each plane's size and origin and the
// SHA-256 of its PNG, which names a sealed file among the vault's originals; the Viewer reads it with the vault open.
import { encodePng } from '../png/index.ts';
import type { SealedOriginals, Vault } from '../deid/index.ts';
import { sha256Hex } from '../store/index.ts';

export interface OverlayBits {
  rows: number;
  columns: number;
  bits: Uint8Array;
}

/** Seals one plane (as a greyscale PNG, 0/255) into the vault and returns the digest the catalog names it by. */
export function keepOverlayInVault(vault: Vault, overlay: OverlayBits): string {
  const png = encodePng(overlay.columns, overlay.rows, 1, overlay.bits.map((b) => b * 255));
  const sha = sha256Hex(png);
  vault.originals.put(png, sha);
  return sha;
}

/** The PNG of a plane kept by keepOverlayInVault. */
export function overlayPngFromVault(originals: SealedOriginals, sha: string): Uint8Array {
  return originals.read(sha);
}
