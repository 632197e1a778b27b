// The transfers log: one row per incoming association, media import, query, retrieve or send, updated as it runs
// and announced on the event bus so the transfers list redraws the row without polling.
import { randomUUID } from 'node:crypto';
import type { Transfer } from '../../src-preload/channels/network.ts';
import type { EventBus } from '../ipc/index.ts';
import type { Store } from '../store/index.ts';

interface TransferRow {
  id: string;
  direction: Transfer['direction'];
  kind: Transfer['kind'];
  peer_ae_title: string | null;
  peer_host: string | null;
  status: Transfer['status'];
  started_at: string;
  finished_at: string | null;
  done: number;
  failed: number;
  total: number | null;
  bytes: number;
  error_code: string | null;
  message: string | null;
  job_id: string | null;
}

function fromRow(row: TransferRow): Transfer {
  return {
    id: row.id,
    direction: row.direction,
    kind: row.kind,
    peerAeTitle: row.peer_ae_title,
    peerHost: row.peer_host,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    done: row.done,
    failed: row.failed,
    total: row.total,
    bytes: row.bytes,
    errorCode: row.error_code,
    message: row.message,
    jobId: row.job_id,
  };
}

export type TransferStart = Pick<Transfer, 'direction' | 'kind'> & Partial<Pick<Transfer, 'peerAeTitle' | 'peerHost' | 'total' | 'jobId' | 'status' | 'message' | 'errorCode'>>;
export type TransferChange = Partial<Pick<Transfer, 'done' | 'failed' | 'total' | 'bytes' | 'message' | 'jobId'>>;

export class TransferLog {
  private readonly store: Store;
  private readonly bus: EventBus | undefined;

  constructor(store: Store, bus?: EventBus) {
    this.store = store;
    this.bus = bus;
  }

  begin(start: TransferStart): Transfer {
    const id = randomUUID();
    const status = start.status ?? 'running';
    const now = new Date().toISOString();
    this.store.db
      .prepare(
        `INSERT INTO network_transfers (id, direction, kind, peer_ae_title, peer_host, status, started_at, finished_at, total, job_id, error_code, message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, start.direction, start.kind, start.peerAeTitle ?? null, start.peerHost ?? null, status, now, status === 'running' ? null : now,
        start.total ?? null, start.jobId ?? null, start.errorCode ?? null, start.message ?? null);
    return this.announce(id);
  }

  update(id: string, change: TransferChange): Transfer {
    const columns: Record<keyof TransferChange, string> = { done: 'done', failed: 'failed', total: 'total', bytes: 'bytes', message: 'message', jobId: 'job_id' };
    const keys = Object.keys(change) as (keyof TransferChange)[];
    if (keys.length > 0) {
      this.store.db
        .prepare(`UPDATE network_transfers SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`)
        .run(...keys.map((k) => change[k] ?? null), id);
    }
    return this.announce(id);
  }

  /** Ends a transfer once: a later finish (a close after an abort, say) leaves the first verdict standing. */
  finish(id: string, status: Exclude<Transfer['status'], 'running'>, error?: { code: string; message: string }, change: TransferChange = {}): Transfer {
    this.update(id, change);
    this.store.db
      .prepare(
        `UPDATE network_transfers SET status = ?, finished_at = ?, error_code = COALESCE(?, error_code), message = COALESCE(?, message)
         WHERE id = ? AND status = 'running'`,
      )
      .run(status, new Date().toISOString(), error?.code ?? null, error?.message ?? null, id);
    return this.announce(id);
  }

  get(id: string): Transfer | undefined {
    const row = this.store.db.prepare('SELECT * FROM network_transfers WHERE id = ?').get(id) as TransferRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(options: { limit: number; direction?: Transfer['direction'] }): Transfer[] {
    const rows = options.direction
      ? this.store.db.prepare('SELECT * FROM network_transfers WHERE direction = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(options.direction, options.limit)
      : this.store.db.prepare('SELECT * FROM network_transfers ORDER BY started_at DESC, rowid DESC LIMIT ?').all(options.limit);
    return (rows as unknown as TransferRow[]).map(fromRow);
  }

  /** Transfers still 'running' after a restart were cut off by the app ending. */
  markInterrupted(): void {
    this.store.db
      .prepare("UPDATE network_transfers SET status = 'failed', finished_at = ?, error_code = 'network-interrupted', message = 'The app closed while this transfer ran.' WHERE status = 'running'")
      .run(new Date().toISOString());
  }

  private announce(id: string): Transfer {
    const transfer = this.get(id);
    if (!transfer) throw new Error(`transfer ${id} vanished`);
    this.bus?.emit('network.transfer', transfer);
    return transfer;
  }
}
