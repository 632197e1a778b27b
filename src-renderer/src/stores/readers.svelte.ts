// Reader profiles of this OS account and the reader labelling now; every label call names this reader.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { api, describeError } from '../lib/api.ts';

export type Reader = InvokeOutput<'dataset.readers'>['readers'][number];

export class ReadersStore {
  account = $state('');
  readers = $state<Reader[]>([]);
  activeId = $state<number | null>(null);
  error = $state<string | null>(null);
  // Getters, not $derived fields: these stores outlive the component that first made them.
  get active(): Reader | null {
    return this.readers.find((r) => r.id === this.activeId) ?? null;
  }

  async refresh(): Promise<void> {
    const result = await api().invoke['dataset.readers']({});
    if (!result.ok) return void (this.error = describeError(result));
    this.account = result.value.account;
    this.readers = result.value.readers;
    if (this.activeId === null || !this.readers.some((r) => r.id === this.activeId)) this.activeId = this.readers[0]?.id ?? null;
  }

  async add(name: string, senior: boolean): Promise<boolean> {
    const result = await api().invoke['dataset.addReader']({ name, senior });
    if (!result.ok) {
      this.error = describeError(result);
      return false;
    }
    this.error = null;
    await this.refresh();
    this.activeId = result.value.id;
    return true;
  }

  select(id: number): void {
    this.activeId = id;
  }
}
