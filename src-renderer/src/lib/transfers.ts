// The transfers list as people read it: rows replaced by id as 'network.transfer' events arrive (newest first), and
// each row's kind, peer and counts in words.
import type { Transfer } from '../../../src-preload/channels/network.ts';
import { formatBytes, plural } from './words.ts';

export const TRANSFERS_SHOWN = 200;

/** The list with `transfer` put in place of the row with its id (or added), newest first, at most `limit` rows. */
export function upsertTransfer(list: readonly Transfer[], transfer: Transfer, limit = TRANSFERS_SHOWN): Transfer[] {
  const rest = list.filter((t) => t.id !== transfer.id);
  return [transfer, ...rest].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
}

const kindLabels: Record<Transfer['kind'], string> = {
  receive: 'Received',
  media: 'Media import',
  query: 'Query',
  retrieve: 'Retrieve',
  send: 'Send',
};

export function kindLabel(transfer: Pick<Transfer, 'kind'>): string {
  return kindLabels[transfer.kind];
}

/** "MODALITY at 127.0.0.1", the file-set id of a disc, or a dash. */
export function peerLabel(transfer: Pick<Transfer, 'peerAeTitle' | 'peerHost'>): string {
  const { peerAeTitle: ae, peerHost: host } = transfer;
  if (ae && host) return `${ae} at ${host}`;
  return ae ?? host ?? '—';
}

/** "5 of 7 images · 1 failed · 2.1 MB", "3 studies found" for a query, a dash for a refused association. */
export function countsLabel(transfer: Pick<Transfer, 'kind' | 'status' | 'done' | 'failed' | 'total' | 'bytes'>): string {
  if (transfer.kind === 'query') return `${plural(transfer.done, 'study', 'studies')} found`;
  if (transfer.status === 'rejected' && transfer.done === 0) return '—';
  const parts = [transfer.total !== null ? `${transfer.done} of ${plural(transfer.total, 'image')}` : plural(transfer.done, 'image')];
  if (transfer.failed > 0) parts.push(`${transfer.failed} failed`);
  if (transfer.bytes > 0) parts.push(formatBytes(transfer.bytes));
  return parts.join(' · ');
}

const statusLabels: Record<Transfer['status'], string> = {
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  rejected: 'Refused',
};

export function statusLabel(transfer: Pick<Transfer, 'status'>): string {
  return statusLabels[transfer.status];
}

/** A refused association from a peer not on the list: the row offers to add that peer. */
export function canAllowPeer(transfer: Transfer, allowed: readonly { aeTitle: string }[]): boolean {
  return transfer.status === 'rejected' && transfer.errorCode === 'network-peer-rejected' && !!transfer.peerAeTitle && !allowed.some((p) => p.aeTitle === transfer.peerAeTitle);
}
