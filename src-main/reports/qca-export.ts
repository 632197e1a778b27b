// Gathers a study's saved QCA measurements for its reports, under the chosen identity: each with its source instance
// and the picture of its frame with the contours drawn. Research exports black out the series' Clean Pixel Data
// masks in the picture first, as every other research picture does.
import { text } from '../dicom/index.ts';
import { instancePixelCleaning } from '../deid/index.ts';
import type { IngestService } from '../ingest/index.ts';
import { AppError } from '../ipc/index.ts';
import { measurementPicture, QcaService } from '../qca/index.ts';
import type { Store } from '../store/index.ts';
import type { QcaPdfItem } from './qca-pdf.ts';
import type { QcaOnSource } from './qca-sr.ts';
import { StudySource, studyRecord, type IdentityMode, type StudyIdentity, type StudyRecord } from './study-source.ts';

export interface PreparedQca {
  study: StudyRecord;
  identity: StudyIdentity;
  characterSet: string | null;
  items: (QcaPdfItem & QcaOnSource)[];
}

/** The study's QCA measurements ready to report; `required`: refused when there are none (a QCA-only export). */
export async function prepareStudyQca(store: Store, ingest: IngestService, dataDir: string, studyId: number, mode: IdentityMode, required: boolean): Promise<PreparedQca | null> {
  const study = studyRecord(store, studyId);
  const qca = new QcaService({ store, dataDir });
  const saved = qca.list({ studyId });
  if (saved.length === 0) {
    if (!required) return null;
    throw new AppError('report-no-qca', `Study ${studyId} (${study.patientPseudonym}) has no saved QCA measurements. Measure and save them in the Viewer first; nothing was exported.`, { studyId });
  }
  const source = mode === 'pacs' ? StudySource.pacs(store, ingest.blobs, ingest.vaultOriginals()) : StudySource.research(store, ingest.blobs);
  const items: PreparedQca['items'] = [];
  for (const s of saved) {
    const image = await qca.frameOf(s);
    if (mode === 'research') {
      for (const r of instancePixelCleaning(store, s.instanceId).masks) {
        for (let y = r.y; y < Math.min(image.height, r.y + r.height); y++) image.data.fill(0, y * image.width + r.x, y * image.width + Math.min(image.width, r.x + r.width));
      }
    }
    const picture = measurementPicture(image, s.measurement);
    const instance = source.instance(s.instanceId);
    items.push({ saved: s, source: instance, projection: instance.projection, picture: { width: picture.width, height: picture.height, pixels: picture.rgb } });
  }
  const first = saved[0]!.instanceId;
  return { study, identity: source.identity(first), characterSet: text(source.parsed(first).dataSet, 'x00080005') ?? null, items };
}
