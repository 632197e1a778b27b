// The QCA capability's service over the catalog: measure a segment on a stored frame, recompute after edge edits or
// a reader's reference, suggest the end-diastolic frame, and keep measurements (save / list / delete, audited).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { BlobStore, type Store, writeAudit } from '../store/index.ts';
import { isocenterCalibration, manualCalibration, UNCALIBRATED, type Calibration } from './calibration.ts';
import type { FloatImage, Point } from './image.ts';
import { calibrateOnCatheter, measureSegment } from './measure.ts';
import { measurementOf, withMovedEdges, type EdgeMove, type QcaMeasurement } from './measurement.ts';
import { readQcaFrame } from './frame-source.ts';
import { suggestEndDiastolicFrame, type EndDiastoleSuggestion } from './end-diastole.ts';

export type CalibrationChoice =
  | { method: 'isocenter' }
  | { method: 'manual'; mmPerPixel: number }
  | { method: 'catheter'; french: number; start: Point; end: Point }
  | { method: 'none' };

export interface MeasureRequest {
  instanceId: number;
  frame: number;
  start: Point;
  end: Point;
  /** Points the reader dragged the path through, in order from start to end. */
  waypoints?: Point[];
  calibration: CalibrationChoice;
  referenceOverride?: number | null;
}

export interface SavedMeasurement {
  id: number;
  instanceId: number;
  frame: number;
  reader: string | null;
  createdAt: string;
  measurement: QcaMeasurement;
}

interface Row {
  id: number;
  instanceId: number;
  frame: number;
  points: string;
  edges: string;
  method: Calibration['method'];
  mmPerPixel: number | null;
  basis: string;
  reference: number;
  referenceSource: 'fitted' | 'user';
  reader: string | null;
  createdAt: string;
}

export class QcaService {
  private readonly blobs: BlobStore;
  private readonly store: Store;

  constructor(deps: { store: Store; dataDir: string }) {
    this.store = deps.store;
    // The ingest service's content-addressed store, under the same data folder.
    this.blobs = new BlobStore(join(deps.dataDir, 'blobs'));
  }

  private async bytes(instanceId: number): Promise<Uint8Array> {
    const row = this.store.db.prepare('SELECT blob_sha256 AS sha FROM instances WHERE id = ?').get(instanceId) as { sha: string } | undefined;
    if (!row) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
    return readFile(this.blobs.pathOf(row.sha));
  }

  async measure(request: MeasureRequest): Promise<QcaMeasurement> {
    const source = `image #${request.instanceId}`;
    const { image, parsed } = await readQcaFrame(await this.bytes(request.instanceId), request.frame, source);
    const calibration = this.calibration(request.calibration, image, parsed.dataSet, source);
    try {
      return measureSegment(image, { frame: request.frame, start: request.start, end: request.end, waypoints: request.waypoints, calibration, referenceOverride: request.referenceOverride ?? undefined });
    } catch (error) {
      if (error instanceof RangeError) throw new AppError('qca-invalid-segment', error.message);
      throw error;
    }
  }

  private calibration(choice: CalibrationChoice, image: Parameters<typeof calibrateOnCatheter>[0], dataSet: Parameters<typeof isocenterCalibration>[0], source: string): Calibration {
    try {
      if (choice.method === 'manual') return manualCalibration(choice.mmPerPixel);
      if (choice.method === 'catheter') return calibrateOnCatheter(image, choice.french, choice.start, choice.end);
      if (choice.method === 'none') return UNCALIBRATED;
    } catch (error) {
      if (error instanceof RangeError) throw new AppError('qca-calibration', error.message);
      throw error;
    }
    const found = isocenterCalibration(dataSet);
    if (!found) throw new AppError('qca-no-isocenter', `${source} has no Imager Pixel Spacing with its distances or magnification factor, nor a calibrated Pixel Spacing: calibrate on the catheter or enter mm per pixel.`);
    return found;
  }

  /**
   * Edge points moved by the reader and/or a new reference (null: back to the fitted one; undefined: kept). The
   * figures are always recomputed from the geometry, never taken from the caller.
   */
  edit(measurement: QcaMeasurement, moves: readonly EdgeMove[], referenceOverride?: number | null): QcaMeasurement {
    let moved: QcaMeasurement;
    try {
      moved = moves.length > 0 ? withMovedEdges(measurement, moves) : measurement;
    } catch (error) {
      if (error instanceof RangeError) throw new AppError('qca-invalid-edit', error.message);
      throw error;
    }
    const kept = moved.referenceSource === 'user' ? moved.reference : undefined;
    const reference = referenceOverride === undefined ? kept : (referenceOverride ?? undefined);
    return measurementOf(moved.trace, { frame: moved.frame, calibration: moved.calibration, referenceOverride: reference, reader: moved.reader });
  }

  async suggestFrame(instanceId: number): Promise<EndDiastoleSuggestion> {
    const bytes = await this.bytes(instanceId);
    const source = `image #${instanceId}`;
    const first = await readQcaFrame(bytes, 0, source);
    return suggestEndDiastolicFrame(first.parsed, first.frames, async (i) => (i === 0 ? first.image : (await readQcaFrame(bytes, i, source)).image));
  }

  save(instanceId: number, measurement: QcaMeasurement, reader: string | null, now = new Date()): SavedMeasurement {
    const frames = this.store.db.prepare('SELECT frames FROM instances WHERE id = ?').get(instanceId) as { frames: number | null } | undefined;
    if (!frames) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
    if (measurement.frame >= (frames.frames ?? 1)) throw new AppError('frame-out-of-range', `Image #${instanceId} has ${frames.frames ?? 1} frames; frame ${measurement.frame + 1} does not exist.`);
    // Figures are recomputed from the geometry here, so what is stored is what the geometry says.
    const checked = measurementOf(measurement.trace, { frame: measurement.frame, calibration: measurement.calibration, referenceOverride: measurement.referenceSource === 'user' ? measurement.reference : undefined, reader: reader ?? undefined });
    const at = now.toISOString();
    return this.store.transaction(() => {
      const result = this.store.db
        .prepare(
          `INSERT INTO qca_measurements (instance_id, frame_index, points_json, edges_json, calibration_method, mm_per_pixel, calibration_basis, unit, mld, reference,
             reference_source, diameter_stenosis_pct, area_stenosis_pct, lesion_length, reader, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          instanceId, checked.frame, JSON.stringify({ start: measurement.start, end: measurement.end, waypoints: measurement.waypoints }), JSON.stringify(checked.trace), checked.calibration.method,
          checked.calibration.mmPerPixel, checked.calibration.basis, checked.unit, checked.mld, checked.reference, checked.referenceSource,
          checked.diameterStenosisPct, checked.areaStenosisPct, checked.lesionLength, reader, at,
        );
      const id = Number(result.lastInsertRowid);
      writeAudit(this.store, {
        action: 'qca.save', objectType: 'qca_measurement', objectId: String(id), reader,
        detail: { instanceId, frame: checked.frame, calibration: checked.calibration.method, mmPerPixel: checked.calibration.mmPerPixel, mld: checked.mld, diameterStenosisPct: checked.diameterStenosisPct },
      }, now);
      return this.get(id);
    });
  }

  private static readonly SELECT = `SELECT id, instance_id AS instanceId, frame_index AS frame, points_json AS points, edges_json AS edges, calibration_method AS method,
    mm_per_pixel AS mmPerPixel, calibration_basis AS basis, reference, reference_source AS referenceSource, reader, created_at AS createdAt FROM qca_measurements`;

  private fromRow(row: Row): SavedMeasurement {
    const calibration: Calibration = { method: row.method, mmPerPixel: row.mmPerPixel, basis: row.basis };
    const measurement = measurementOf(JSON.parse(row.edges), { frame: row.frame, calibration, referenceOverride: row.referenceSource === 'user' ? row.reference : undefined, reader: row.reader ?? undefined });
    return { id: row.id, instanceId: row.instanceId, frame: row.frame, reader: row.reader, createdAt: row.createdAt, measurement };
  }

  get(id: number): SavedMeasurement {
    const row = this.store.db.prepare(`${QcaService.SELECT} WHERE id = ? AND deleted_at IS NULL`).get(id) as Row | undefined;
    if (!row) throw new AppError('qca-not-found', `QCA measurement ${id} does not exist or was deleted. Refresh the list.`);
    return this.fromRow(row);
  }

  /** Saved (not deleted) measurements, oldest first: all, one image's, or one study's. */
  list(filter: { instanceId?: number; studyId?: number } = {}): SavedMeasurement[] {
    const db = this.store.db;
    const rows = (filter.instanceId !== undefined
      ? db.prepare(`${QcaService.SELECT} WHERE deleted_at IS NULL AND instance_id = ? ORDER BY id`).all(filter.instanceId)
      : filter.studyId !== undefined
        ? db.prepare(`${QcaService.SELECT} WHERE deleted_at IS NULL AND instance_id IN (SELECT i.id FROM instances i JOIN series r ON r.id = i.series_id WHERE r.study_id = ?) ORDER BY id`).all(filter.studyId)
        : db.prepare(`${QcaService.SELECT} WHERE deleted_at IS NULL ORDER BY id`).all()) as unknown as Row[];
    return rows.map((row) => this.fromRow(row));
  }

  /** The grey frame a saved measurement was made on (for its picture in reports). */
  async frameOf(saved: Pick<SavedMeasurement, 'instanceId' | 'frame'>): Promise<FloatImage> {
    return (await readQcaFrame(await this.bytes(saved.instanceId), saved.frame, `image #${saved.instanceId}`)).image;
  }

  remove(id: number, reader: string | null, now = new Date()): void {
    this.store.transaction(() => {
      const before = this.get(id);
      this.store.db.prepare('UPDATE qca_measurements SET deleted_at = ? WHERE id = ?').run(now.toISOString(), id);
      writeAudit(this.store, { action: 'qca.delete', objectType: 'qca_measurement', objectId: String(id), reader, detail: { instanceId: before.instanceId, frame: before.frame } }, now);
    });
  }
}
