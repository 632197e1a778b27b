// The annotations capability's service: boxes on frames (audited), the class list, patch generation from boxes,
// import/export (CSV, JSON, Pascal VOC XML) and full-frame detection scoring against sliding-window heatmaps.
// Dependencies come in (store, data folder, a heatmap source) so tests build it on a temporary folder.
import { join } from 'node:path';
import { decodeFrame, describeImage, frameScale, type ImageDescription, type ParsedDicom, readCalibration, readDicom } from '../dicom/index.ts';
import { checkedMasks, instancePixelCleaning, maskedPixels, setSeriesMasks, type MaskRect } from '../deid/index.ts';
import { AppError } from '../ipc/index.ts';
import { BlobStore, type Store, writeAudit } from '../store/index.ts';
import {
  boxesFromCsv, boxesFromJson, boxesToCsv, boxesToJson, frameToVoc, vocImageName, vocToFrame, type PortableBox,
} from './box-formats.ts';
import { boxHistory, deleteBox, frameFacts, getBox, insertBox, listBoxes, updateBox, type Box, type BoxChange, type BoxEdit, type NewBox } from './box-store.ts';
import { readClassList, resolveLabel, writeClassList, type ClassList } from './class-list.ts';
import { boxesFingerprint, evaluationIsCurrent, findEvaluation, latestEvaluation, saveEvaluation, type DetectionEvaluation, type EvaluationParams, type FrameScore } from './detection-evaluations.ts';
import { scoreDetections, type HeatmapFrame, type ScoringOptions } from '../evaluation/index.ts';
import { generatePatches, type PatchSetSummary } from './patch-generation.ts';
import { applyRecut, recutSeriesPatches } from './patch-recut.ts';
import { DEFAULT_PATCH_PARAMS, frameToScanGrey, PATCH_RECIPE_SUMMARY, PATCH_RECIPE_VERSION, type GreyFrame, type PatchParams } from './patch-recipe.ts';

/** A sliding-window heatmap of one frame of a stored DICOM file (the inference scanner, or a test's own). */
export type HeatmapSource = (target: { instanceId: number; frame: number; dicomPath: string }) => Promise<{ width: number; height: number; heatmap: ArrayLike<number> }>;

export interface AnnotationDeps {
  store: Store;
  dataDir: string;
}

export type BoxFileFormat = 'csv' | 'json' | 'voc';

export class AnnotationService {
  readonly blobs: BlobStore;
  private readonly deps: AnnotationDeps;
  private readonly parsed = new Map<number, { parsed: ParsedDicom; image: ImageDescription }>();

  constructor(deps: AnnotationDeps) {
    this.deps = deps;
    // The ingest service's content-addressed store, under the same data folder.
    this.blobs = new BlobStore(join(deps.dataDir, 'blobs'));
  }

  private get store(): Store {
    return this.deps.store;
  }

  // --- class list and boxes ---------------------------------------------------------------------------------------

  classList = (): ClassList => readClassList(this.store);
  setClassList = (list: ClassList, reader: string | null): ClassList => writeClassList(this.store, list, reader);

  boxes = (filter: { instanceId?: number; instanceIds?: readonly number[] } = {}): Box[] => listBoxes(this.store, filter);
  box = (id: number): Box => getBox(this.store, id);
  history = (id: number): BoxChange[] => boxHistory(this.store, id);

  create(box: NewBox): Box {
    const { label, grade } = resolveLabel(this.classList(), box.label, box.grade);
    return insertBox(this.store, { ...box, label, grade });
  }

  update(id: number, edit: BoxEdit): Box {
    if (edit.label !== undefined || edit.grade !== undefined) {
      const current = getBox(this.store, id);
      const resolved = resolveLabel(this.classList(), edit.label ?? current.label, edit.grade === undefined ? current.grade : edit.grade);
      return updateBox(this.store, id, { ...edit, label: resolved.label, grade: resolved.grade });
    }
    return updateBox(this.store, id, edit);
  }

  remove = (id: number, reader: string | null): void => deleteBox(this.store, id, reader);

  // --- frames --------------------------------------------------------------------------------------------------

  private blobPath(instanceId: number): string {
    const row = this.store.db.prepare('SELECT blob_sha256 AS sha FROM instances WHERE id = ?').get(instanceId) as { sha: string } | undefined;
    if (!row) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
    return this.blobs.pathOf(row.sha);
  }

  /** A frame's 8-bit grey levels as the scanner reads them (patch-recipe step 7). */
  async greyFrame(instanceId: number, frame: number): Promise<GreyFrame> {
    const entry = this.parsedInstance(instanceId);
    if (entry.image.samplesPerPixel !== 1) {
      throw new AppError('image-unsupported', `Instance ${instanceId} holds colour frames (${entry.image.photometric}); patches are cut from grey angiograms only.`);
    }
    const decoded = await decodeFrame(entry.parsed, entry.image, frame, `instance ${instanceId}`);
    return frameToScanGrey(decoded);
  }

  /** The instance's millimetres per pixel at the isocenter, as the scan reads it; null where the header gives none. */
  mmPerPixel(instanceId: number): number | null {
    return frameScale(readCalibration(this.parsedInstance(instanceId).parsed))?.mmPerPixel ?? null;
  }

  private parsedInstance(instanceId: number): { parsed: ParsedDicom; image: ImageDescription } {
    let entry = this.parsed.get(instanceId);
    if (!entry) {
      frameFacts(this.store, instanceId);
      const row = this.store.db.prepare('SELECT blob_sha256 AS sha FROM instances WHERE id = ?').get(instanceId) as { sha: string };
      const parsed = readDicom(this.blobs.read(row.sha), `instance ${instanceId}`);
      entry = { parsed, image: describeImage(parsed, `instance ${instanceId}`) };
      this.parsed.set(instanceId, entry);
      if (this.parsed.size > 4) this.parsed.delete(this.parsed.keys().next().value as number);
    }
    return entry;
  }

  // --- patches -------------------------------------------------------------------------------------------------

  recipe(): { version: string; defaults: PatchParams; summary: string[] } {
    return { version: PATCH_RECIPE_VERSION, defaults: structuredClone(DEFAULT_PATCH_PARAMS), summary: PATCH_RECIPE_SUMMARY };
  }

  generatePatches(params: PatchParams, filter: { instanceIds?: readonly number[]; boxIds?: readonly number[] }, reader: string | null): Promise<PatchSetSummary> {
    let boxes = listBoxes(this.store, { instanceIds: filter.instanceIds });
    if (filter.boxIds) {
      const wanted = new Set(filter.boxIds);
      boxes = boxes.filter((b) => wanted.has(b.id));
    }
    // Patches are exported with their split (research use): the series' Clean Pixel Data masks apply to them too.
    const maskedFrame = async (i: number, f: number): Promise<GreyFrame> => maskedPixels(await this.greyFrame(i, f), instancePixelCleaning(this.store, i).masks);
    return generatePatches({ store: this.store, blobs: this.blobs, greyFrame: maskedFrame, mmPerPixel: (i) => this.mmPerPixel(i) }, boxes, params, reader);
  }

  /** Sets a series' Clean Pixel Data masks and recuts the patches already made from its frames with them, in one
   * transaction: no patch cut before the change stays in the dataset with the pixels the masks now hide. */
  async setSeriesMasks(seriesId: number, rects: readonly MaskRect[], reader: string | null): Promise<{ masks: MaskRect[]; patches: number; recut: number }> {
    const masks = checkedMasks(rects);
    const recut = await recutSeriesPatches({ store: this.store, blobs: this.blobs, greyFrame: async (i, f) => maskedPixels(await this.greyFrame(i, f), masks), mmPerPixel: (i) => this.mmPerPixel(i) }, seriesId);
    const now = new Date();
    setSeriesMasks(this.store, seriesId, masks, reader, now, () => applyRecut(this.store, recut, reader, now));
    return { masks, patches: recut.patches, recut: recut.updates.length };
  }

  patchSets(): { id: number; recipe: string; params: PatchParams; paramsHash: string; counts: PatchSetSummary['counts']; reader: string | null; createdAt: string; items: number }[] {
    const rows = this.store.db
      .prepare(
        `SELECT s.id, s.recipe, s.params_json AS params, s.params_hash AS paramsHash, s.counts_json AS counts, s.reader, s.created_at AS createdAt,
           (SELECT count(*) FROM annotation_patches p WHERE p.patch_set_id = s.id) AS items
         FROM annotation_patch_sets s ORDER BY s.id DESC`,
      )
      .all() as { id: number; recipe: string; params: string; paramsHash: string; counts: string; reader: string | null; createdAt: string; items: number }[];
    return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as PatchParams, counts: JSON.parse(r.counts) as PatchSetSummary['counts'] }));
  }

  // --- import / export -----------------------------------------------------------------------------------------

  private portable(boxes: readonly Box[]): PortableBox[] {
    const uids = new Map<number, string>();
    return boxes.map((b) => {
      if (!uids.has(b.instanceId)) uids.set(b.instanceId, frameFacts(this.store, b.instanceId).sopInstanceUid);
      return { sopInstanceUid: uids.get(b.instanceId)!, frameNumber: b.frame + 1, shape: b.shape, x: b.x, y: b.y, width: b.width, height: b.height, label: b.label, grade: b.grade, reader: b.reader };
    });
  }

  exportBoxes(format: BoxFileFormat, filter: { instanceIds?: readonly number[] }, reader: string | null): { files: { name: string; text: string }[]; boxes: number } {
    const boxes = listBoxes(this.store, filter);
    const portable = this.portable(boxes);
    let files: { name: string; text: string }[];
    if (format === 'csv') files = [{ name: 'boxes.csv', text: boxesToCsv(portable) }];
    else if (format === 'json') files = [{ name: 'boxes.json', text: boxesToJson(portable, this.classList()) }];
    else {
      const frames = new Map<string, { instanceId: number; boxes: PortableBox[] }>();
      boxes.forEach((b, i) => {
        const key = `${b.instanceId}:${b.frame}`;
        const entry = frames.get(key) ?? { instanceId: b.instanceId, boxes: [] };
        entry.boxes.push(portable[i]!);
        frames.set(key, entry);
      });
      files = [...frames.values()].map(({ instanceId, boxes: list }) => {
        const facts = frameFacts(this.store, instanceId);
        const { sopInstanceUid, frameNumber } = list[0]!;
        const name = vocImageName(sopInstanceUid, frameNumber).replace(/\.png$/, '.xml');
        return { name, text: frameToVoc({ sopInstanceUid, frameNumber, width: facts.columns, height: facts.rows, boxes: list }) };
      });
    }
    writeAudit(this.store, { action: 'export', objectType: 'annotation-boxes', objectId: format, reader, detail: { boxes: boxes.length, files: files.length } });
    return { files, boxes: boxes.length };
  }

  /**
   * Adds the boxes a file describes, all or none. VOC files name their frame in <filename> (as exported here); an
   * ADSD file names its own image, so the frame is given as `target`.
   */
  importBoxes(format: BoxFileFormat, text: string, options: { target?: { instanceId: number; frame: number }; zeroBased?: boolean; reader: string | null; source?: string }): Box[] {
    const source = options.source ?? `the ${format.toUpperCase()} file`;
    let entries: (Omit<PortableBox, 'sopInstanceUid' | 'frameNumber'> & { instanceId: number; frame: number })[];
    const instanceOf = (uid: string, where: string): number => {
      const row = this.store.db.prepare('SELECT id FROM instances WHERE sop_instance_uid = ?').get(uid) as { id: number } | undefined;
      if (!row) throw new AppError('box-frame-unknown', `${where} names the image ${uid || '(none)'}, which is not in the library. Import the image first, or import the boxes onto an open frame.`);
      return row.id;
    };
    if (format === 'voc') {
      const voc = vocToFrame(text, { zeroBased: options.zeroBased, source });
      let target = options.target;
      if (!target) {
        if (!voc.sopInstanceUid || voc.frameNumber === null) {
          throw new AppError('box-frame-unknown', `${source} names the image "${voc.filename ?? ''}", not a frame of the library. Open the frame in the Viewer and import the file onto it.`);
        }
        target = { instanceId: instanceOf(voc.sopInstanceUid, source), frame: voc.frameNumber - 1 };
      }
      const facts = frameFacts(this.store, target.instanceId);
      if (voc.width !== null && voc.height !== null && (voc.width !== facts.columns || voc.height !== facts.rows)) {
        throw new AppError('box-file-size', `${source} was drawn on a ${voc.width}×${voc.height} image, but the frame is ${facts.columns}×${facts.rows}; its boxes would land in the wrong place.`);
      }
      entries = voc.boxes.map((b) => ({ ...b, ...target }));
    } else {
      const list = format === 'csv' ? boxesFromCsv(text, source) : boxesFromJson(text, source);
      entries = list.map(({ sopInstanceUid, frameNumber, ...b }, i) =>
        options.target ? { ...b, ...options.target } : { ...b, instanceId: instanceOf(sopInstanceUid, `${source} box ${i + 1}`), frame: frameNumber - 1 });
    }
    const classes = this.classList();
    return this.store.transaction(() => {
      const created = entries.map((e) => {
        const { label, grade } = resolveLabel(classes, e.label, e.grade);
        return insertBox(this.store, { instanceId: e.instanceId, frame: e.frame, shape: e.shape, x: e.x, y: e.y, width: e.width, height: e.height, label, grade, reader: e.reader ?? options.reader }, 'import');
      });
      writeAudit(this.store, { action: 'import', objectType: 'annotation-boxes', objectId: format, reader: options.reader, detail: { boxes: created.length } });
      return created;
    });
  }

  // --- full-frame evaluation -----------------------------------------------------------------------------------

  /** Scores the heatmap of every frame that has boxes (optionally only some instances) against those boxes. */
  evaluate(heatmaps: HeatmapSource, filter: { instanceIds?: readonly number[] }, options: ScoringOptions = {}): Promise<FrameScore> {
    return this.scoreBoxes(listBoxes(this.store, filter), heatmaps, options);
  }

  private async scoreBoxes(boxes: readonly Box[], heatmaps: HeatmapSource, options: ScoringOptions): Promise<FrameScore> {
    if (boxes.length === 0) throw new AppError('no-boxes', 'No frame has boxes to score against. Draw boxes on the frames to evaluate in the Viewer.');
    const frames = new Map<string, { instanceId: number; frame: number; boxes: Box[] }>();
    for (const b of boxes) {
      const key = `instance ${b.instanceId} frame ${b.frame + 1}`;
      const entry = frames.get(key) ?? { instanceId: b.instanceId, frame: b.frame, boxes: [] };
      entry.boxes.push(b);
      frames.set(key, entry);
    }
    const scored: HeatmapFrame[] = [];
    for (const [key, f] of frames) {
      const map = await heatmaps({ instanceId: f.instanceId, frame: f.frame, dicomPath: this.blobPath(f.instanceId) });
      scored.push({ key, width: map.width, height: map.height, heatmap: map.heatmap, boxes: f.boxes.map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height, label: b.label })) });
    }
    return { ...scoreDetections(scored, options), frameKeys: [...frames].map(([key, f]) => ({ instanceId: f.instanceId, frame: f.frame, key })) };
  }

  /**
   * A model's full-frame evaluation over the boxes drawn now, kept in the store. The kept one is answered (reused)
   * when this model version was scored with the same parameters over exactly these boxes, unless `fresh` asks for a
   * new scan.
   */
  async evaluateModel(model: { path: string; version: string }, heatmaps: HeatmapSource, params: EvaluationParams, fresh = false): Promise<DetectionEvaluation & { reused: boolean }> {
    const boxes = listBoxes(this.store, { instanceIds: params.instanceIds ?? undefined });
    const fingerprint = boxesFingerprint(boxes);
    if (!fresh) {
      const kept = findEvaluation(this.store, { modelVersion: model.version, params, boxesFingerprint: fingerprint });
      if (kept) return { ...kept, reused: true };
    }
    // Candidates closer than half a window are one peak: the window-mean heatmap is flat over stride-sized cells.
    const score = await this.scoreBoxes(boxes, heatmaps, { fpRates: params.fpRates, hitMargin: params.hitMargin, suppressionRadius: Math.max(1, params.patchSize >> 1) });
    return { ...saveEvaluation(this.store, { modelPath: model.path, modelVersion: model.version, params, boxesFingerprint: fingerprint, score }), reused: false };
  }

  /** What there is to evaluate (boxes, frames with boxes) and the newest kept evaluation, marked stale when its boxes changed since. */
  evaluationStatus(): { boxes: number; framesWithBoxes: number; latest: (DetectionEvaluation & { current: boolean }) | null } {
    const boxes = listBoxes(this.store);
    const framesWithBoxes = new Set(boxes.map((b) => `${b.instanceId}:${b.frame}`)).size;
    const latest = latestEvaluation(this.store);
    return { boxes: boxes.length, framesWithBoxes, latest: latest && { ...latest, current: evaluationIsCurrent(this.store, latest) } };
  }
}
