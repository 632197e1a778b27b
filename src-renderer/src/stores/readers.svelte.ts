// Reader profiles of this OS account and the reader labelling now; every label call names this reader.
// The app starts under the reader chosen last (remembered by main per account); with none remembered and several
// profiles, nobody is active and the screens that write ask who is reading rather than guess.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';

export type Reader = InvokeOutput<'dataset.readers'>['readers'][number];

export class ReadersStore {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  account = $state('');
  readers = $state<Reader[]>([]);
  activeId = $state<number | null>(null);
  error = $state<string | null>(null);
  // Getters, not $derived fields: these stores outlive the component that first made them.
  get active(): Reader | null {
    return this.readers.find((r) => r.id === this.activeId) ?? null;
  }

  async refresh(): Promise<void> {
    const result = await this.api.invoke['dataset.readers']({});
    if (!result.ok) return void (this.error = describeError(result));
    this.account = result.value.account;
    this.readers = result.value.readers;
    if (this.activeId === null || !this.readers.some((r) => r.id === this.activeId)) {
      this.activeId = result.value.lastReaderId ?? (this.readers.length === 1 ? this.readers[0]!.id : null);
    }
  }

  async add(name: string, senior: boolean): Promise<boolean> {
    const result = await this.api.invoke['dataset.addReader']({ name, senior });
    if (!result.ok) {
      this.error = describeError(result);
      return false;
    }
    this.error = null;
    await this.refresh();
    this.activeId = result.value.id;
    return true;
  }

  /** Fills an empty name field of a screen that writes under a name (audit, boxes, reports) with the reader working
   * now, so nothing is recorded under a blank or a stale name; a name already typed stays. */
  async fillName(current: string, set: (name: string) => void): Promise<void> {
    await this.refresh();
    if (!current.trim() && this.active) set(this.active.name);
  }

  /** Whether the screens that write must ask who is reading: several profiles and none chosen. */
  get ambiguous(): boolean {
    return this.activeId === null && this.readers.length > 1;
  }

  async select(id: number): Promise<void> {
    this.activeId = id;
    const result = await this.api.invoke['dataset.rememberReader']({ readerId: id });
    this.error = result.ok ? null : describeError(result);
  }
}
