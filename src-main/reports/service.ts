// The reports capability: compute and keep findings for a study (through inference), and export what the reader
// reviewed: the study PDF, the study's DICOM SR + Secondary Captures (research or PACS identity), the experiment
// report PDF (with a full-frame evaluation kept by the annotations capability) and the predictions CSV. Every
// export is checked in full before writing, written atomically, and audited (the audit row is committed before the
// files are renamed into place: safe-export.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationById, evaluationIsCurrent, latestEvaluation } from '../annotations/index.ts';
import { AppError } from '../ipc/index.ts';
import type { IngestService } from '../ingest/index.ts';
import { type InferenceService, readScaledImage } from '../inference/index.ts';
import { type Store, writeAudit } from '../store/index.ts';
import { newUid } from './dicom-elements.ts';
import { secondaryCapture, structuredReport, type CaptureOfFinding } from './dicom-objects.ts';
import { experimentPdf } from './experiment-pdf.ts';
import { readFrame } from './frame-reading.ts';
import type { ReportedEvaluation } from './full-frame-section.ts';
import type { Finding, FindingCandidate } from './finding.ts';
import { readExperimentFile, type ExperimentRecord } from './experiment.ts';
import { hasSaliency, saveFinding, saveModelCard, studyFindings } from './findings-store.ts';
import { withColourBar } from './key-frame.ts';
import { modelCardFor, type ValidationSource } from './model-card.ts';
import { predictionsCsv } from './predictions-csv.ts';
import { exportFileName, recoverInterruptedExports, writeExportFiles } from './safe-export.ts';
import { marksReport } from './marks-sr.ts';
import { prepareStudyQca } from './qca-export.ts';
import { qcaPdf } from './qca-pdf.ts';
import { qcaReport } from './qca-sr.ts';
import { prepareStudy, prepareStudyMarks } from './study-export.ts';
import { studyRecord, type IdentityMode } from './study-source.ts';
import { RESEARCH_FOOTER, studyPdf } from './study-pdf.ts';

export interface ReportsDeps {
  store: Store;
  dataDir: string;
  ingest: IngestService;
  inference: InferenceService;
  clock?: () => Date;
}

export interface FindingSummary {
  id: number;
  instanceId: number;
  frameIndex: number;
  probability: number;
  decision: 'stenosis' | 'no stenosis';
  threshold: number;
  quantumContribution: number | null;
  modelVersion: string;
  hasSaliency: boolean;
  classes: { name: string; probability: number }[] | null;
  candidates: FindingCandidate[] | null;
}

export interface ExportModes {
  research: { available: true; description: string };
  pacs: { available: boolean; description: string; reason: string | null };
}

function requireReader(reader: string | null | undefined, what: string): string {
  const name = reader?.trim();
  if (!name) throw new AppError('reader-required', `${what} carries identifying data, so it is recorded against a named reader. Enter your name and export again.`);
  return name;
}

export class ReportsService {
  private readonly deps: ReportsDeps;

  constructor(deps: ReportsDeps) {
    this.deps = deps;
  }

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  modes(): ExportModes {
    const vault = this.deps.ingest.vaultStatus();
    return {
      research: { available: true, description: 'De-identified: pseudonym, shifted dates and the app\'s remapped UIDs; references the de-identified instances in the app.' },
      pacs: {
        available: vault.enabled && vault.unlocked,
        description: 'Original patient identifiers and study/instance UIDs from the vault, so the objects file into the original study in the PACS. Audited.',
        reason: !vault.enabled ? 'The vault is turned off, so no original identifiers or UIDs were kept; only research mode is possible.' : vault.note,
      },
    };
  }

  /** Every study with what a report needs to know: its pseudonym, date, image instances and findings. */
  studies(): { id: number; pseudonym: string; studyDate: string | null; images: number; findings: number }[] {
    return this.deps.store.db
      .prepare(
        `SELECT s.id, p.pseudonym, s.study_date AS studyDate,
           (SELECT count(*) FROM instances i JOIN series r ON r.id = i.series_id WHERE r.study_id = s.id AND i.kind = 'image') AS images,
           (SELECT count(*) FROM report_findings f WHERE f.study_id = s.id) AS findings
         FROM studies s JOIN patients p ON p.id = s.patient_id ORDER BY p.pseudonym, s.study_date, s.id`,
      )
      .all() as { id: number; pseudonym: string; studyDate: string | null; images: number; findings: number }[];
  }

  findings(studyId: number): FindingSummary[] {
    studyRecord(this.deps.store, studyId);
    return studyFindings(this.deps.store, this.deps.ingest.blobs, studyId, false).map((f) => ({
      id: f.id, instanceId: f.instanceId, frameIndex: f.frameIndex, probability: f.probability, decision: f.decision, threshold: f.threshold,
      quantumContribution: f.quantumContribution, modelVersion: f.modelVersion, classes: f.classes ?? null, candidates: f.candidates ?? null,
      hasSaliency: hasSaliency(this.deps.store, f.id),
    }));
  }

  /** The grey image instances of a study with their key frames: the default targets for findings. */
  private defaultTargets(studyId: number): { instanceId: number; frame: number }[] {
    return (this.deps.store.db
      .prepare(
        `SELECT i.id AS instanceId, coalesce(i.key_frame, 0) AS frame FROM instances i JOIN series r ON r.id = i.series_id
         WHERE r.study_id = ? AND i.kind = 'image' AND i.samples_per_pixel = 1 ORDER BY i.id`,
      )
      .all(studyId) as { instanceId: number; frame: number }[]);
  }

  /**
   * Runs the model on each target frame and keeps the findings and the model card: a patch-sized image is read whole,
   * a larger frame by its lesion candidates from the frame scan (frame-reading.ts), with occlusion saliency.
   */
  async computeFindings(request: { studyId: number; modelPath: string; targets?: { instanceId: number; frame: number }[]; validation?: ValidationSource | null; reader?: string | null }): Promise<{ modelVersion: string; findings: FindingSummary[] }> {
    const { store, ingest, inference } = this.deps;
    studyRecord(store, request.studyId);
    const targets = request.targets && request.targets.length > 0 ? request.targets : this.defaultTargets(request.studyId);
    if (targets.length === 0) throw new AppError('study-no-images', `Study ${request.studyId} has no grey image instances for the model to read.`);
    const runtime = await inference.model(request.modelPath);
    const card = await modelCardFor(runtime, request.validation ?? null);
    const computed: Omit<Finding, 'id' | 'createdAt'>[] = [];
    for (const target of targets) {
      const row = store.db
        .prepare('SELECT i.blob_sha256 AS sha FROM instances i JOIN series r ON r.id = i.series_id WHERE i.id = ? AND r.study_id = ?')
        .get(target.instanceId, request.studyId) as { sha: string } | undefined;
      if (!row) throw new AppError('instance-not-in-study', `Instance ${target.instanceId} is not part of study ${request.studyId}.`);
      const { image, scale, run } = await readScaledImage(ingest.blobs.pathOf(row.sha), target.frame);
      const reading = await readFrame(runtime, image, target.frame, `instance ${target.instanceId} frame ${target.frame}`, scale, run);
      computed.push({ studyId: request.studyId, instanceId: target.instanceId, frameIndex: target.frame, ...reading });
    }
    store.transaction(() => {
      saveModelCard(store, card);
      for (const finding of computed) saveFinding(store, ingest.blobs, finding);
      writeAudit(store, { action: 'findings.compute', objectType: 'study', objectId: String(request.studyId), reader: request.reader ?? null, detail: { modelVersion: card.modelVersion, findings: computed.length } });
    });
    return { modelVersion: card.modelVersion, findings: this.findings(request.studyId).filter((f) => f.modelVersion === card.modelVersion) };
  }

  /**
   * Finishes, at start-up, the DICOM sets a kill left half-placed in folders this app exported to (the audit log
   * names them), instead of waiting for the next export into the same folder; removes what killed exports left.
   */
  finishInterruptedExports(): { placed: string[]; removed: string[] } {
    const rows = this.deps.store.db
      .prepare(`SELECT json_extract(detail, '$.folder') AS folder FROM audit_log WHERE action LIKE 'export.%' AND json_extract(detail, '$.folder') IS NOT NULL
                GROUP BY folder ORDER BY MAX(id) DESC LIMIT 200`)
      .all() as { folder: string }[];
    const outcome = { placed: [] as string[], removed: [] as string[] };
    for (const { folder: named } of rows) {
      // Export rows name the folder by a source id whose path the vault keeps; without the vault key, none is found.
      const folder = /^source-[0-9a-f]{12}$/.test(named) ? this.deps.ingest.sourcePathOf(named) : named;
      if (folder === null) continue;
      try {
        if (!existsSync(folder)) continue;
        const { placed, removed } = recoverInterruptedExports(folder);
        outcome.placed.push(...placed);
        outcome.removed.push(...removed.map((name) => join(folder, name)));
      } catch {
        // an unreadable or read-only folder keeps its leftovers; the next export into it reports the folder
      }
    }
    return outcome;
  }

  /** The pseudonymous id an export row names its folder by (the path can carry a patient's name); the vault keeps the path. */
  private exportFolderId(folder: string): string {
    return this.deps.ingest.sourceNameFor(folder);
  }

  async exportStudyPdf(request: { studyId: number; folder: string; name: string; identified: boolean; reader?: string | null }): Promise<{ path: string; pages: number; findings: number }> {
    const name = exportFileName(request.name, '.pdf');
    const reader = request.identified ? requireReader(request.reader, 'An identified report') : (request.reader ?? null);
    const mode: IdentityMode = request.identified ? 'pacs' : 'research';
    const study = await prepareStudy(this.deps.store, this.deps.ingest, this.deps.dataDir, request.studyId, mode);
    const qca = await prepareStudyQca(this.deps.store, this.deps.ingest, this.deps.dataDir, request.studyId, mode, false);
    const { bytes, pages } = await studyPdf({ identity: study.identity, pseudonym: study.study.patientPseudonym, findings: study.findings, card: study.card, at: this.now(), pixelNote: study.pixelNote, qca: qca?.items });
    const [path] = writeExportFiles(request.folder, [{ name, bytes }], {
      beforePlace: () => writeAudit(this.deps.store, {
        action: request.identified ? 'export.pdf.identified' : 'export.pdf',
        objectType: 'study', objectId: study.study.studyUid, reader,
        detail: { folder: this.exportFolderId(request.folder), file: name, findings: study.findings.length, modelVersion: study.card.modelVersion },
      }),
    });
    return { path: path as string, pages, findings: study.findings.length };
  }

  /** The findings' SR and Secondary Captures, and, when the study has saved QCA measurements, their SR (TID 1500 style) beside them. */
  async exportStudyDicom(request: { studyId: number; folder: string; name: string; mode: IdentityMode; reader?: string | null }): Promise<{ files: { path: string; kind: 'sr' | 'sc' | 'qca-sr'; sopInstanceUid: string }[] }> {
    const base = exportFileName(request.name, '').replace(/\.dcm$/i, '');
    const reader = request.mode === 'pacs' ? requireReader(request.reader, 'A PACS export') : (request.reader ?? null);
    const study = await prepareStudy(this.deps.store, this.deps.ingest, this.deps.dataDir, request.studyId, request.mode);
    const at = this.now();
    const uids = { srSeriesUid: newUid(), srInstanceUid: newUid(), scSeriesUid: newUid() };
    const captures: CaptureOfFinding[] = study.findings
      .filter((f) => f.finding.saliency)
      .map((f) => ({ finding: f.finding, source: f.source, image: withColourBar(f.picture, f.finding.saliency!.scale), sopInstanceUid: newUid(), pixels: f.pixels }));
    const scObjects = captures.map((c, i) => secondaryCapture(study.identity, c, uids.scSeriesUid, i + 1, study.characterSet, at));
    const sr = structuredReport({ identity: study.identity, findings: study.findings, captures, card: study.card, uids, characterSet: study.characterSet, at });
    const qca = await prepareStudyQca(this.deps.store, this.deps.ingest, this.deps.dataDir, request.studyId, request.mode, false);
    const qcaSr = qca ? qcaReport({ identity: qca.identity, measurements: qca.items, characterSet: qca.characterSet, seriesUid: newUid(), instanceUid: newUid(), at }) : null;
    const files: { name: string; bytes: Uint8Array; kind: 'sr' | 'sc' | 'qca-sr'; uid: string }[] = [
      { name: `${base}-SR.dcm`, bytes: sr.bytes, kind: 'sr' as const, uid: sr.sopInstanceUid },
      ...scObjects.map((o, i) => ({ name: `${base}-SC${i + 1}.dcm`, bytes: o.bytes, kind: 'sc' as const, uid: o.sopInstanceUid })),
      ...(qcaSr ? [{ name: `${base}-QCA-SR.dcm`, bytes: qcaSr.bytes, kind: 'qca-sr' as const, uid: qcaSr.sopInstanceUid }] : []),
    ];
    const paths = writeExportFiles(request.folder, files, {
      beforePlace: () => writeAudit(this.deps.store, {
        action: request.mode === 'pacs' ? 'export.dicom.pacs' : 'export.dicom.research',
        objectType: 'study', objectId: study.study.studyUid, reader,
        detail: {
          folder: this.exportFolderId(request.folder), files: files.map((f) => f.name), findings: study.findings.length, modelVersion: study.card.modelVersion,
          ...(qca ? { qcaMeasurements: qca.items.map((i) => i.saved.id) } : {}),
        },
      }),
    });
    return { files: files.map((f, i) => ({ path: paths[i] as string, kind: f.kind, sopInstanceUid: f.uid })) };
  }

  /** The study's saved QCA measurements: a PDF (pictures, diameter curves, figures with calibration) and a Comprehensive SR (TID 1500 style). */
  async exportStudyQca(request: { studyId: number; folder: string; name: string; mode: IdentityMode; reader?: string | null }): Promise<{ pdfPath: string; srPath: string; sopInstanceUid: string; measurements: number }> {
    const base = exportFileName(request.name, '').replace(/\.(dcm|pdf)$/i, '');
    const reader = request.mode === 'pacs' ? requireReader(request.reader, 'A PACS export') : (request.reader ?? null);
    const prepared = (await prepareStudyQca(this.deps.store, this.deps.ingest, this.deps.dataDir, request.studyId, request.mode, true))!;
    const at = this.now();
    const pdf = await qcaPdf({ identity: prepared.identity, pseudonym: prepared.study.patientPseudonym, items: prepared.items, at, footer: RESEARCH_FOOTER });
    const sr = qcaReport({ identity: prepared.identity, measurements: prepared.items, characterSet: prepared.characterSet, seriesUid: newUid(), instanceUid: newUid(), at });
    const files = [{ name: `${base}-QCA.pdf`, bytes: pdf.bytes }, { name: `${base}-QCA-SR.dcm`, bytes: sr.bytes }];
    const [pdfPath, srPath] = writeExportFiles(request.folder, files, {
      beforePlace: () => writeAudit(this.deps.store, {
        action: request.mode === 'pacs' ? 'export.qca.pacs' : 'export.qca.research',
        objectType: 'study', objectId: prepared.study.studyUid, reader,
        detail: { folder: this.exportFolderId(request.folder), files: files.map((f) => f.name), measurements: prepared.items.map((i) => i.saved.id) },
      }),
    });
    return { pdfPath: pdfPath as string, srPath: srPath as string, sopInstanceUid: sr.sopInstanceUid, measurements: prepared.items.length };
  }

  /** The study's reader marks as one Comprehensive SR (boxes as SCOORD regions on their source frames). */
  exportStudyMarks(request: { studyId: number; folder: string; name: string; mode: IdentityMode; reader?: string | null }): { path: string; sopInstanceUid: string; marks: number } {
    const base = exportFileName(request.name, '').replace(/\.dcm$/i, '');
    const reader = request.mode === 'pacs' ? requireReader(request.reader, 'A PACS export') : (request.reader ?? null);
    const prepared = prepareStudyMarks(this.deps.store, this.deps.ingest, this.deps.dataDir, request.studyId, request.mode);
    const sr = marksReport({ identity: prepared.identity, marks: prepared.marks, characterSet: prepared.characterSet, seriesUid: newUid(), instanceUid: newUid(), at: this.now() });
    const files = [{ name: `${base}-marks-SR.dcm`, bytes: sr.bytes }];
    const [path] = writeExportFiles(request.folder, files, {
      beforePlace: () => writeAudit(this.deps.store, {
        action: request.mode === 'pacs' ? 'export.marks.pacs' : 'export.marks.research',
        objectType: 'study', objectId: prepared.study.studyUid, reader,
        detail: { folder: this.exportFolderId(request.folder), files: files.map((f) => f.name), marks: prepared.marks.length },
      }),
    });
    return { path: path as string, sopInstanceUid: sr.sopInstanceUid, marks: prepared.marks.length };
  }

  private experiment(source: { experimentPath: string } | { experiment: ExperimentRecord }): ExperimentRecord {
    return 'experiment' in source ? source.experiment : readExperimentFile(source.experimentPath);
  }

  /** The full-frame evaluation an experiment report shows: the one named, else the newest kept (null when none is). */
  private detectionEvaluation(id: number | undefined): ReportedEvaluation | null {
    const evaluation = id === undefined ? latestEvaluation(this.deps.store) : evaluationById(this.deps.store, id);
    if (!evaluation) {
      if (id === undefined) return null;
      throw new AppError('evaluation-not-found', `Full-frame evaluation ${id} is not kept in this library. Run the evaluation on the Results screen, or export without naming one to report the newest.`);
    }
    return { ...evaluation, current: evaluationIsCurrent(this.deps.store, evaluation) };
  }

  async exportExperimentPdf(request: ({ experimentPath: string } | { experiment: ExperimentRecord }) & { folder: string; name: string; reader?: string | null; detectionEvaluationId?: number }): Promise<{ path: string; detectionEvaluationId: number | null }> {
    const name = exportFileName(request.name, '.pdf');
    const experiment = this.experiment(request);
    const detection = this.detectionEvaluation(request.detectionEvaluationId);
    const bytes = await experimentPdf(experiment, this.now(), detection);
    const [path] = writeExportFiles(request.folder, [{ name, bytes }], {
      beforePlace: () => writeAudit(this.deps.store, {
        action: 'export.experiment', objectType: 'experiment', objectId: experiment.title, reader: request.reader ?? null,
        detail: { folder: this.exportFolderId(request.folder), file: name, runs: experiment.runs.length, detectionEvaluation: detection?.id ?? null },
      }),
    });
    return { path: path as string, detectionEvaluationId: detection?.id ?? null };
  }

  exportPredictionsCsv(request: ({ experimentPath: string } | { experiment: ExperimentRecord }) & { folder: string; name: string; reader?: string | null }): { path: string; rows: number } {
    const name = exportFileName(request.name, '.csv');
    const experiment = this.experiment(request);
    const csv = predictionsCsv(experiment);
    const rows = experiment.runs.reduce((n, r) => n + r.predictions.length, 0);
    const [path] = writeExportFiles(request.folder, [{ name, bytes: new TextEncoder().encode(csv) }], {
      beforePlace: () => writeAudit(this.deps.store, { action: 'export.csv', objectType: 'experiment', objectId: experiment.title, reader: request.reader ?? null, detail: { folder: this.exportFolderId(request.folder), file: name, rows } }),
    });
    return { path: path as string, rows };
  }
}
