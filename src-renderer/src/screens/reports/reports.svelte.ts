// Reports screen state: the export modes (with why PACS may be unavailable), studies with their findings, and
// every export call with its outcome. Talks only to the typed API; the component draws what is here.
import type { InvokeOutput, Result } from '../../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../../lib/api.ts';

export type Modes = InvokeOutput<'reports.modes'>;
export type StudyRow = InvokeOutput<'reports.studies'>['studies'][number];
export type FindingRow = InvokeOutput<'reports.findings'>['findings'][number];

export interface Outcome {
  ok: boolean;
  message: string;
  files: string[];
}

export class ReportsStore {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  modes = $state<Modes | null>(null);
  studies = $state<StudyRow[]>([]);
  studyId = $state<number | null>(null);
  findings = $state<FindingRow[]>([]);
  busy = $state<string | null>(null);
  outcome = $state<Outcome | null>(null);

  modelPath = $state('');
  validationDir = $state('');
  folder = $state('');
  name = $state('report');
  reader = $state('');
  identified = $state(false);
  experimentPath = $state('');
  /** The experiment report's own file name: a study PDF and an experiment report are different documents. */
  experimentName = $state('experiment');

  private show<T>(result: Result<T>, success: (value: T) => Outcome): void {
    this.outcome = result.ok ? success(result.value) : { ok: false, message: describeError(result), files: [] };
  }

  async refresh(): Promise<void> {
    const [modes, studies] = await Promise.all([this.api.invoke['reports.modes']({}), this.api.invoke['reports.studies']({})]);
    if (modes.ok) this.modes = modes.value;
    if (studies.ok) this.studies = studies.value.studies;
    if (!modes.ok || !studies.ok) this.outcome = { ok: false, message: describeError(!modes.ok ? modes : studies), files: [] };
    if (this.studyId !== null) await this.select(this.studyId);
  }

  async select(studyId: number): Promise<void> {
    this.studyId = studyId;
    const result = await this.api.invoke['reports.findings']({ studyId });
    this.findings = result.ok ? result.value.findings : [];
    if (!result.ok) this.outcome = { ok: false, message: describeError(result), files: [] };
  }

  private async run(label: string, work: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.outcome = null;
    try {
      await work();
    } finally {
      this.busy = null;
    }
  }

  computeFindings(): Promise<void> {
    const studyId = this.studyId;
    if (studyId === null) return Promise.resolve();
    return this.run('Computing findings', async () => {
      const validation = this.validationDir.trim() ? { dir: this.validationDir.trim(), perClass: 20 } : null;
      const result = await this.api.invoke['reports.computeFindings']({ studyId, modelPath: this.modelPath.trim(), validation, reader: this.reader.trim() || null });
      this.show(result, (v) => ({ ok: true, message: `${v.findings.length} findings computed with model ${v.modelVersion}.`, files: [] }));
      await this.refresh();
    });
  }

  exportPdf(): Promise<void> {
    const studyId = this.studyId;
    if (studyId === null) return Promise.resolve();
    return this.run('Writing the study PDF', async () => {
      const result = await this.api.invoke['reports.studyPdf']({ studyId, folder: this.folder.trim(), name: this.name.trim(), identified: this.identified, reader: this.reader.trim() || null });
      this.show(result, (v) => ({ ok: true, message: `Study PDF written: ${v.pages} pages, ${v.findings} findings${this.identified ? ' (identified; recorded in the audit log)' : ' (de-identified)'}.`, files: [v.path] }));
    });
  }

  exportDicom(mode: 'research' | 'pacs'): Promise<void> {
    const studyId = this.studyId;
    if (studyId === null) return Promise.resolve();
    return this.run(`Writing DICOM (${mode})`, async () => {
      const result = await this.api.invoke['reports.studyDicom']({ studyId, folder: this.folder.trim(), name: this.name.trim(), mode, reader: this.reader.trim() || null });
      this.show(result, (v) => {
        const captures = v.files.filter((f) => f.kind === 'sc').length;
        const qca = v.files.some((f) => f.kind === 'qca-sr') ? ' and the QCA measurements\' SR' : '';
        return { ok: true, message: `DICOM written in ${mode} mode: one SR, ${captures} Secondary Capture image(s)${qca}.`, files: v.files.map((f) => f.path) };
      });
    });
  }

  /** The study's saved QCA measurements as their own PDF and SR (no model findings needed). */
  exportQca(mode: 'research' | 'pacs'): Promise<void> {
    const studyId = this.studyId;
    if (studyId === null) return Promise.resolve();
    return this.run(`Writing the QCA report (${mode})`, async () => {
      const result = await this.api.invoke['reports.qcaExport']({ studyId, folder: this.folder.trim(), name: this.name.trim(), mode, reader: this.reader.trim() || null });
      this.show(result, (v) => ({ ok: true, message: `QCA report written in ${mode} mode: ${v.measurements} measurement(s), a PDF and an SR.`, files: [v.pdfPath, v.srPath] }));
    });
  }

  /** The study's boxes as a DICOM SR of image regions, in research (de-identified) mode. */
  exportMarks(): Promise<void> {
    const studyId = this.studyId;
    if (studyId === null) return Promise.resolve();
    return this.run('Writing the marks SR', async () => {
      const result = await this.api.invoke['reports.marksSr']({ studyId, folder: this.folder.trim(), name: this.name.trim(), mode: 'research', reader: this.reader.trim() || null });
      this.show(result, (v) => ({ ok: true, message: `Marks SR written: ${v.marks} box(es) as image regions on their frames.`, files: [v.path] }));
    });
  }

  exportExperiment(kind: 'pdf' | 'csv'): Promise<void> {
    return this.run(kind === 'pdf' ? 'Writing the experiment report' : 'Writing the predictions CSV', async () => {
      const request = { experimentPath: this.experimentPath.trim(), folder: this.folder.trim(), name: this.experimentName.trim(), reader: this.reader.trim() || null };
      if (kind === 'pdf') {
        const result = await this.api.invoke['reports.experimentPdf'](request);
        this.show(result, (v) => ({ ok: true, message: 'Experiment report written.', files: [v.path] }));
      } else {
        const result = await this.api.invoke['reports.predictionsCsv'](request);
        this.show(result, (v) => ({ ok: true, message: `Predictions CSV written: ${v.rows} rows.`, files: [v.path] }));
      }
    });
  }
}
