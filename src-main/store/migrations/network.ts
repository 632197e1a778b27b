// DICOM networking: our AE settings and the PACS (one row), the peers allowed to send to us, and the transfers log
// (incoming associations, media imports, queries, retrieves and sends) that the transfers list shows.
import type { Migration } from './index.ts';

export const networkMigrations: Migration[] = [
  {
    id: 'network-001-settings-peers-transfers',
    sql: `
      CREATE TABLE network_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        ae_title TEXT NOT NULL,
        bind_address TEXT NOT NULL,
        port INTEGER NOT NULL,
        receiver_enabled INTEGER NOT NULL,
        pacs_ae_title TEXT,
        pacs_host TEXT,
        pacs_port INTEGER,
        retrieve_method TEXT NOT NULL CHECK (retrieve_method IN ('move', 'get')),
        association_timeout_s INTEGER NOT NULL,
        pdu_timeout_s INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- Off by default, loopback by default, nobody allowed until the user adds peers.
      INSERT INTO network_settings VALUES (1, 'ANGIO_SSLQ', '127.0.0.1', 11112, 0, NULL, NULL, NULL, 'move', 30, 60, '1970-01-01T00:00:00.000Z');
      CREATE TABLE network_allowed_peers (
        id INTEGER PRIMARY KEY,
        ae_title TEXT NOT NULL,
        host TEXT,
        description TEXT NOT NULL DEFAULT ''
      );
      CREATE TABLE network_transfers (
        id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
        kind TEXT NOT NULL CHECK (kind IN ('receive', 'media', 'query', 'retrieve', 'send')),
        peer_ae_title TEXT,
        peer_host TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'rejected')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        total INTEGER,
        bytes INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        message TEXT,
        job_id TEXT
      );
      CREATE INDEX network_transfers_started ON network_transfers(started_at);
    `,
  },
];
