// The incoming/outgoing transfers list: loaded once from the log, then kept live by 'network.transfer' events
// (every change of a row arrives as the whole row), filtered by direction, with Cancel for running jobs.
import type { Transfer } from '../../../src-preload/channels/network.ts';
import type { AngioApi } from '../lib/api.ts';
import { TRANSFERS_SHOWN, upsertTransfer } from '../lib/transfers.ts';

export class TransfersStore {
  private readonly api: AngioApi;
  list = $state.raw<Transfer[]>([]);
  direction = $state<'all' | Transfer['direction']>('all');
  error = $state<string | null>(null);
  loaded = $state(false);
  /** Called when images arrived from a peer (a receive ended with some stored), so the library shows them. */
  onArrived: (() => void) | null = null;

  constructor(api: AngioApi) {
    this.api = api;
    this.api.on('network.transfer', (transfer) => {
      this.list = upsertTransfer(this.list, transfer);
      if (transfer.kind === 'receive' && transfer.status !== 'running' && transfer.done > 0) this.onArrived?.();
    });
  }

  get shown(): Transfer[] {
    return this.direction === 'all' ? this.list : this.list.filter((t) => t.direction === this.direction);
  }

  async load(): Promise<void> {
    const result = await this.api.invoke['network.transfers.list']({ limit: TRANSFERS_SHOWN });
    if (!result.ok) return void (this.error = `The transfers list could not be read: ${result.error.message} Try again in a moment.`);
    // Rows that changed while the request was out are newer than the answer: keep them.
    const live = this.list;
    this.list = live.reduce((list, row) => upsertTransfer(list, row), result.value.transfers);
    this.error = null;
    this.loaded = true;
  }

  async cancel(transfer: Transfer): Promise<void> {
    if (!transfer.jobId) return;
    const result = await this.api.invoke['jobs.cancel']({ jobId: transfer.jobId });
    if (!result.ok) this.error = `That transfer could not be cancelled: ${result.error.message}`;
  }
}
