// Gathers what a study export needs, checking everything before a byte is written: the study's findings (refused
// when there are none), their model card, every frame they point at (refused when one is missing) and the identity
// the export is asked to carry (refused, with the reason, when PACS mode has no vault to read originals from).
import { text } from '../dicom/index.ts';
import type { IngestService } from '../ingest/index.ts';
import { AppError } from '../ipc/index.ts';
import { listBoxes } from '../annotations/index.ts';
import { instancePixelCleaning, maskedPixels, type BurnedIn } from '../deid/index.ts';
import type { Store } from '../store/index.ts';
import type { Finding, ModelCard } from './finding.ts';
import { modelCard, studyFindings } from './findings-store.ts';
import { blendOverlay, findingFrame, type RgbImage } from './key-frame.ts';
import type { MarkOnSource } from './marks-sr.ts';
import { StudySource, studyRecord, type IdentityMode, type SourceInstance, type StudyIdentity, type StudyRecord } from './study-source.ts';

export interface PreparedFinding {
  finding: Finding;
  source: SourceInstance;
  picture: RgbImage;
  /** Research exports: the series' Burned In Annotation and whether its masks were applied to the picture. */
  pixels?: { burnedIn: BurnedIn; masked: boolean };
}

export interface PreparedStudy {
  study: StudyRecord;
  identity: StudyIdentity;
  characterSet: string | null;
  card: ModelCard;
  findings: PreparedFinding[];
  /** What the export says about burned-in text in its pictures (research mode); null when nothing needs saying. */
  pixelNote: string | null;
}

/** A study's reader marks (boxes on any of its frames) with their sources under the chosen identity; refused when it has none. */
export function prepareStudyMarks(store: Store, ingest: IngestService, dataDir: string, studyId: number, mode: IdentityMode): { study: StudyRecord; identity: StudyIdentity; characterSet: string | null; marks: MarkOnSource[] } {
  const study = studyRecord(store, studyId);
  const boxes = listBoxes(store).filter((box) => box.studyId === studyId);
  if (boxes.length === 0) {
    throw new AppError('report-no-marks', `Study ${studyId} (${study.patientPseudonym}) has no boxes drawn on its frames, so there are no marks to export. Draw them in the Viewer first; nothing was exported.`, { studyId });
  }
  const source = mode === 'pacs' ? StudySource.pacs(store, ingest.blobs, ingest.vaultOriginals()) : StudySource.research(store, ingest.blobs);
  const marks = boxes.map((box) => ({ box, source: source.instance(box.instanceId) }));
  const first = boxes[0]!.instanceId;
  return { study, identity: source.identity(first), characterSet: text(source.parsed(first).dataSet, 'x00080005') ?? null, marks };
}

export async function prepareStudy(store: Store, ingest: IngestService, dataDir: string, studyId: number, mode: IdentityMode): Promise<PreparedStudy> {
  const study = studyRecord(store, studyId);
  const all = studyFindings(store, ingest.blobs, studyId);
  if (all.length === 0) {
    throw new AppError(
      'report-no-prediction',
      `Study ${studyId} (${study.patientPseudonym}) has no model prediction yet, so there is nothing to report. Compute findings for it with a model first; nothing was exported.`,
      { studyId },
    );
  }
  // One model per report: the most recently computed one.
  const latest = [...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!.modelVersion;
  const findings = all.filter((f) => f.modelVersion === latest);
  const card = modelCard(store, latest);
  if (!card) throw new AppError('report-model-card-missing', `No model card is stored for model ${latest}; compute the findings again with its model file.`, { modelVersion: latest });
  const source = mode === 'pacs' ? StudySource.pacs(store, ingest.blobs, ingest.vaultOriginals()) : StudySource.research(store, ingest.blobs);
  const prepared: PreparedFinding[] = [];
  const notes = new Set<string>();
  for (const finding of findings) {
    const grey = await findingFrame(ingest, finding);
    let picture = blendOverlay(grey, finding.saliency);
    let pixels: PreparedFinding['pixels'];
    if (mode === 'research') {
      // Clean Pixel Data: the series' masks apply to every research export of its pixels, saliency colour included.
      const cleaning = instancePixelCleaning(store, finding.instanceId);
      picture = maskedPixels(picture, cleaning.masks);
      pixels = { burnedIn: cleaning.burnedIn, masked: cleaning.masks.length > 0 };
      if (cleaning.note) notes.add(cleaning.note);
    }
    prepared.push({ finding, source: source.instance(finding.instanceId), picture, pixels });
  }
  const first = findings[0]!.instanceId;
  return { study, identity: source.identity(first), characterSet: text(source.parsed(first).dataSet, 'x00080005') ?? null, card, findings: prepared, pixelNote: notes.size > 0 ? [...notes].join(' ') : null };
}
