// `angio report <file|study-id> --model <file> --out <folder> [--pdf] [--sr] [--json]`: computes a study's findings
// with the model and exports what the Reports screen exports (research identity): the study PDF and the DICOM SR with
// its Secondary Captures. A file is imported into the library first; its study is reported, its frames are read.
// Frames larger than the model's patch are read through the frame scan, as `angio predict` reads them.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { scoredBox } from '../inference/index.ts';
import type { Store } from '../store/index.ts';
import { importPaths } from './angio-import.ts';
import { commandArgs, printResult, UsageError } from './angio-output.ts';
import type { PredictCandidate } from './angio-predict.ts';
import { withServices } from './angio-services.ts';

export interface ReportDocument {
  studyId: number;
  modelVersion: string;
  /** decision is the Viewer's word: "out of distribution" before any stenosis call; candidates as `angio predict` has them. */
  findings: { instanceId: number; frame: number; probability: number; decision: string; threshold: number; candidates: PredictCandidate[] }[];
  /** A study with saved QCA measurements adds their SR, listed as another 'sr' (the shape other tools read). */
  files: { kind: 'pdf' | 'sr' | 'sc'; path: string }[];
}

/** The instances one import brought in (or found already there), each at its key frame. */
function importedTargets(store: Store, jobIds: string[]): { studyId: number; instanceId: number; frame: number }[] {
  return store.db
    .prepare(
      `SELECT DISTINCT r.study_id AS studyId, i.id AS instanceId, coalesce(i.key_frame, 0) AS frame FROM import_log l
       JOIN instances i ON i.source_sha256 = l.source_sha256 JOIN series r ON r.id = i.series_id
       WHERE l.job_id IN (SELECT value FROM json_each(?)) AND l.outcome IN ('imported', 'duplicate') AND i.kind = 'image' AND i.samples_per_pixel = 1 ORDER BY i.id`,
    )
    .all(JSON.stringify(jobIds)) as { studyId: number; instanceId: number; frame: number }[];
}

export async function reportCommand(args: string[]): Promise<void> {
  const { values, positionals } = commandArgs('report', args, { model: { type: 'string' }, out: { type: 'string' }, pdf: { type: 'boolean', default: false }, sr: { type: 'boolean', default: false } });
  if (positionals.length !== 1) throw new UsageError('study-missing', 'Name one DICOM file or one study id to report. Run `angio report --help` for usage.');
  if (!values.model) throw new UsageError('model-missing', 'Name the model file with --model <file> (model.angio from a training run).');
  if (!values.out) throw new UsageError('out-missing', 'Name the folder to write the report into with --out <folder>.');
  const modelPath = resolve(values.model);
  if (!existsSync(modelPath) || !statSync(modelPath).isFile()) throw new AppError('model-file-missing', `No model file at ${modelPath}: give the model.angio of a training run.`);
  const subject = positionals[0]!;
  const wantBoth = !values.pdf && !values.sr;
  const folder = resolve(values.out);
  const doc = await withServices(async ({ ingest, reports, ctx }): Promise<ReportDocument> => {
    let studyId: number;
    let targets: { instanceId: number; frame: number }[] | undefined;
    if (/^\d+$/.test(subject) && !existsSync(subject)) {
      studyId = Number(subject);
    } else {
      const { outcome, jobIds } = await importPaths(ingest, ctx.store, ctx.dataDir, [subject]);
      const rows = importedTargets(ctx.store, jobIds);
      const turnedAway = [...outcome.rejections, ...outcome.unsupported][0];
      if (rows.length === 0) throw new AppError('report-nothing-to-read', `${resolve(subject)} holds no grey image the model can read${turnedAway ? `: ${turnedAway.message}` : ''}.`);
      if (new Set(rows.map((r) => r.studyId)).size > 1) throw new AppError('report-several-studies', `${resolve(subject)} holds images of several studies; import it with \`angio import\` and report each study id.`);
      studyId = rows[0]!.studyId;
      targets = rows.map(({ instanceId, frame }) => ({ instanceId, frame }));
    }
    const computed = await reports.computeFindings({ studyId, modelPath, targets });
    mkdirSync(folder, { recursive: true });
    const name = `study-${studyId}`;
    const files: ReportDocument['files'] = [];
    if (values.pdf || wantBoth) files.push({ kind: 'pdf', path: (await reports.exportStudyPdf({ studyId, folder, name, identified: false })).path });
    if (values.sr || wantBoth) files.push(...(await reports.exportStudyDicom({ studyId, folder, name, mode: 'research' })).files.map((f) => ({ kind: f.kind === 'qca-sr' ? ('sr' as const) : f.kind, path: f.path })));
    const findings = computed.findings.map((f) => ({
      instanceId: f.instanceId, frame: f.frameIndex, probability: f.probability,
      decision: f.candidates?.[0]?.outOfDistribution ? 'out of distribution' : f.decision, threshold: f.threshold,
      candidates: (f.candidates ?? []).map((c) => ({ frame: f.frameIndex, ...scoredBox(c), ood: c.outOfDistribution })),
    }));
    return { studyId, modelVersion: computed.modelVersion, findings, files };
  });
  printResult(values.json, doc, [
    `study ${doc.studyId}, model ${doc.modelVersion}: ${doc.findings.length} finding(s)`,
    ...doc.findings.map((f) => `instance ${f.instanceId} frame ${f.frame}: P(stenosis) ${f.probability.toFixed(3)}, threshold ${f.threshold.toFixed(3)}: ${f.decision}${f.candidates.length > 0 ? ` (best of ${f.candidates.length} lesion candidates)` : ''}`),
    ...doc.files.map((f) => `wrote ${f.kind.toUpperCase()} ${f.path}`),
  ]);
}
