// The library tree as the Library screen shows it: patients → studies → series (loaded together; a library is
// small enough), instances per series on first expand, search and filters, and identities revealed only through the
// audited deid.reidentify call, with the reader's name.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';
import { filterLibrary, type LibraryFilter, type PatientNode, type VisibleTree } from '../lib/library-filter.ts';

export type PatientRow = InvokeOutput<'library.patients'>['patients'][number];
export type StudyRow = InvokeOutput<'library.studies'>['studies'][number];
export type SeriesRow = InvokeOutput<'library.series'>['series'][number];
export type InstanceRow = InvokeOutput<'library.instances'>['instances'][number];
export type Original = InvokeOutput<'deid.reidentify'>['originals'][number];
export type PatchItem = InvokeOutput<'library.datasetItems'>['items'][number];

/** How many patches (images with no DICOM run behind them) the library holds, by reference label, and the first few. */
export interface PatchShelf {
  total: number;
  positive: number;
  negative: number;
  first: PatchItem[];
}

/** How many patch thumbnails the Library shows before "open in Curation" takes over. */
const PATCHES_SHOWN = 24;

export class LibraryStore {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  patients = $state<PatientRow[]>([]);
  studies = $state<Record<number, StudyRow[]>>({});
  series = $state<Record<number, SeriesRow[]>>({});
  instances = $state<Record<number, InstanceRow[]>>({});
  expanded = $state<Record<string, boolean>>({});
  filter = $state<LibraryFilter>({ text: '', modality: '', cineOnly: false });
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Originals per pseudonym, present only after an audited reveal in this session. */
  identities = $state<Record<string, Original[]>>({});
  revealError = $state<Record<string, string>>({});
  reader = $state('');
  patches = $state<PatchShelf>({ total: 0, positive: 0, negative: 0, first: [] });

  readonly tree: PatientNode[] = $derived(
    this.patients.map((p) => ({
      id: p.id,
      pseudonym: p.pseudonym,
      revealed: (this.identities[p.pseudonym] ?? []).map((o) => o.original),
      studies: (this.studies[p.id] ?? []).map((s) => ({ ...s, series: this.series[s.id] ?? [] })),
    })),
  );
  readonly visible: VisibleTree = $derived(filterLibrary(this.tree, this.filter));
  readonly modalities: string[] = $derived(
    [...new Set(Object.values(this.series).flatMap((list) => list.map((s) => s.modality ?? '')))].filter(Boolean).sort(),
  );

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const patients = await this.api.invoke['library.patients']({});
      if (!patients.ok) return this.fail(patients.error.message);
      const studies: Record<number, StudyRow[]> = {};
      const series: Record<number, SeriesRow[]> = {};
      for (const patient of patients.value.patients) {
        const answer = await this.api.invoke['library.studies']({ patientId: patient.id });
        if (!answer.ok) return this.fail(answer.error.message);
        studies[patient.id] = answer.value.studies;
        for (const study of answer.value.studies) {
          const rows = await this.api.invoke['library.series']({ studyId: study.id });
          if (!rows.ok) return this.fail(rows.error.message);
          series[study.id] = rows.value.series;
        }
      }
      this.patients = patients.value.patients;
      this.studies = studies;
      this.series = series;
      // Instance lists of open series are reloaded: an import may have added to them.
      const open = Object.keys(this.instances).map(Number);
      this.instances = {};
      await Promise.all(open.map((id) => this.loadInstances(id)));
      await this.loadPatches();
      this.error = null;
      this.loaded = true;
    } finally {
      this.loading = false;
    }
  }

  /** Patch sets have no patient, study or series: the Library lists them on a shelf of their own. */
  private async loadPatches(): Promise<void> {
    const [all, positive, negative] = await Promise.all([
      this.api.invoke['library.datasetItems']({ patchesOnly: true, limit: PATCHES_SHOWN, offset: 0 }),
      this.api.invoke['library.datasetItems']({ patchesOnly: true, label: 'positive', limit: 1, offset: 0 }),
      this.api.invoke['library.datasetItems']({ patchesOnly: true, label: 'negative', limit: 1, offset: 0 }),
    ]);
    if (!all.ok) return this.fail(all.error.message);
    this.patches = { total: all.value.total, positive: positive.ok ? positive.value.total : 0, negative: negative.ok ? negative.value.total : 0, first: all.value.items };
  }

  private fail(message: string): void {
    this.error = `The library could not be read: ${message} Try Refresh; if it keeps failing, run the self-check in the System panel.`;
  }

  isOpen(key: string): boolean {
    return this.expanded[key] ?? false;
  }

  toggle(key: string): void {
    this.expanded[key] = !this.isOpen(key);
    const match = /^series:(\d+)$/.exec(key);
    if (match && this.expanded[key]) void this.loadInstances(Number(match[1]));
  }

  /** Opens every level down to the series so that search results are in view. */
  expandAll(): void {
    for (const p of this.patients) {
      this.expanded[`patient:${p.id}`] = true;
      for (const s of this.studies[p.id] ?? []) this.expanded[`study:${s.id}`] = true;
    }
  }

  async loadInstances(seriesId: number): Promise<void> {
    if (this.instances[seriesId]) return;
    const answer = await this.api.invoke['library.instances']({ seriesId });
    if (answer.ok) this.instances[seriesId] = answer.value.instances;
    else this.error = `The instances of series ${seriesId} could not be listed: ${answer.error.message}`;
  }

  /** Shows the originals behind a pseudonym; main writes an audit row naming the reader before answering. */
  async reveal(pseudonym: string): Promise<void> {
    const reader = this.reader.trim();
    if (!reader) {
      this.revealError[pseudonym] = 'Enter your name first: showing identifying data is recorded in the audit log under it.';
      return;
    }
    const answer = await this.api.invoke['deid.reidentify']({ pseudonym, reader });
    if (answer.ok) {
      this.identities[pseudonym] = answer.value.originals;
      delete this.revealError[pseudonym];
    } else {
      this.revealError[pseudonym] = answer.error.message;
    }
  }

  hide(pseudonym: string): void {
    delete this.identities[pseudonym];
  }
}
