// Reads and writes the network settings (our AE, the receiver's address and port, allowed peers, the PACS) in the
// store. Validation lives in the contract's schemas; this adds the rules a schema cannot state.
import { isIP } from 'node:net';
import {
  NetworkSettingsSchema,
  type NetworkSettings,
  type NetworkSettingsPatch,
} from '../../src-preload/channels/network.ts';
import { AppError } from '../ipc/index.ts';
import { type Store, writeAudit } from '../store/index.ts';

interface SettingsRow {
  ae_title: string;
  bind_address: string;
  port: number;
  receiver_enabled: number;
  pacs_ae_title: string | null;
  pacs_host: string | null;
  pacs_port: number | null;
  retrieve_method: 'move' | 'get';
  association_timeout_s: number;
  pdu_timeout_s: number;
}

export function readNetworkSettings(store: Store): NetworkSettings {
  const row = store.db.prepare('SELECT * FROM network_settings WHERE id = 1').get() as unknown as SettingsRow;
  const peers = store.db.prepare('SELECT ae_title, host, description FROM network_allowed_peers ORDER BY id').all() as {
    ae_title: string;
    host: string | null;
    description: string;
  }[];
  return {
    aeTitle: row.ae_title,
    bindAddress: row.bind_address,
    port: row.port,
    receiverEnabled: row.receiver_enabled === 1,
    allowedPeers: peers.map((p) => ({ aeTitle: p.ae_title, host: p.host, description: p.description })),
    pacs:
      row.pacs_ae_title && row.pacs_host && row.pacs_port
        ? { aeTitle: row.pacs_ae_title, host: row.pacs_host, port: row.pacs_port }
        : null,
    retrieveMethod: row.retrieve_method,
    associationTimeoutSeconds: row.association_timeout_s,
    pduTimeoutSeconds: row.pdu_timeout_s,
  };
}

export function updateNetworkSettings(store: Store, patch: NetworkSettingsPatch, reader: string | null = null): NetworkSettings {
  const next = NetworkSettingsSchema.parse({ ...readNetworkSettings(store), ...patch });
  if (!isIP(next.bindAddress)) {
    throw new AppError(
      'network-bind-address',
      `The receiver can only listen on an IP address of this machine, not "${next.bindAddress}". Use 127.0.0.1 (this machine only) or the address of the network card the modality reaches.`,
    );
  }
  if (next.pacs && next.pacs.aeTitle === next.aeTitle) {
    throw new AppError('network-ae-clash', `The PACS and this workstation both use the AE title ${next.aeTitle}; give them different AE titles.`);
  }
  store.transaction(() => {
    store.db
      .prepare(
        `UPDATE network_settings SET ae_title = ?, bind_address = ?, port = ?, receiver_enabled = ?, pacs_ae_title = ?, pacs_host = ?,
         pacs_port = ?, retrieve_method = ?, association_timeout_s = ?, pdu_timeout_s = ?, updated_at = ? WHERE id = 1`,
      )
      .run(
        next.aeTitle,
        next.bindAddress,
        next.port,
        next.receiverEnabled ? 1 : 0,
        next.pacs?.aeTitle ?? null,
        next.pacs?.host ?? null,
        next.pacs?.port ?? null,
        next.retrieveMethod,
        next.associationTimeoutSeconds,
        next.pduTimeoutSeconds,
        new Date().toISOString(),
      );
    if (patch.allowedPeers) {
      store.db.prepare('DELETE FROM network_allowed_peers').run();
      const insert = store.db.prepare('INSERT INTO network_allowed_peers (ae_title, host, description) VALUES (?, ?, ?)');
      for (const peer of next.allowedPeers) insert.run(peer.aeTitle, peer.host, peer.description);
    }
    writeAudit(store, { action: 'network.settings', objectType: 'setting', objectId: 'network', reader, detail: { changed: Object.keys(patch) } });
  });
  return next;
}
