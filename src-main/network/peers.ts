// Who may open an association with the receiver: an AE title on the allowed list (optionally pinned to an address),
// or the configured PACS answering our C-MOVE. Pure: settings and the caller in, a decision out.
import type { NetworkSettings } from '../../src-preload/channels/network.ts';

/** "::ffff:127.0.0.1" and "127.0.0.1" are one caller. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export type PeerDecision = { allowed: true; peer: string } | { allowed: false; reason: 'calling-ae' | 'called-ae' | 'address' };

export function admitPeer(
  settings: Pick<NetworkSettings, 'aeTitle' | 'allowedPeers' | 'pacs'>,
  call: { callingAeTitle: string; calledAeTitle: string; remoteAddress: string | undefined },
): PeerDecision {
  const calling = call.callingAeTitle.trim();
  if (call.calledAeTitle.trim() !== settings.aeTitle) return { allowed: false, reason: 'called-ae' };
  const address = normalizeAddress(call.remoteAddress);
  const candidates = [...settings.allowedPeers.map((p) => ({ aeTitle: p.aeTitle, host: p.host })), ...(settings.pacs ? [settings.pacs] : [])];
  const sameAe = candidates.filter((p) => p.aeTitle === calling);
  if (sameAe.length === 0) return { allowed: false, reason: 'calling-ae' };
  // A host given as a name cannot be compared without DNS; only IP literals pin a peer to an address.
  const pinned = sameAe.filter((p) => p.host && /^[\d.]+$|:/.test(p.host));
  if (sameAe.some((p) => !p.host || !pinned.includes(p)) || pinned.some((p) => normalizeAddress(p.host ?? '') === address)) {
    return { allowed: true, peer: calling };
  }
  return { allowed: false, reason: 'address' };
}
