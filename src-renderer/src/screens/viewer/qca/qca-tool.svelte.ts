// The Viewer's QCA tool as one shared state: which points the reader is clicking (the vessel's start and end, or a
// catheter segment to calibrate on), the calibration choice, the current measurement and its edits, the suggested
// end-diastolic frame, and the run's saved measurements. The layer over the frame and the side panel both use it.
import type { InvokeInput, InvokeOutput } from '../../../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../../../lib/api.ts';

export type QcaMeasurement = InvokeOutput<'qca.measure'>['measurement'];
export type SavedMeasurement = InvokeOutput<'qca.list'>['measurements'][number];
export type Suggestion = InvokeOutput<'qca.suggestFrame'>;
type CalibrationChoice = InvokeInput<'qca.measure'>['calibration'];
export type Point = { x: number; y: number };
export type Picking = 'off' | 'vessel' | 'catheter';
export type Method = CalibrationChoice['method'];

/** Catheter sizes offered, French (one French is 1/3 mm). */
export const FRENCH_SIZES = [4, 5, 6, 7, 8] as const;

export class QcaTool {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  instanceId = $state<number | null>(null);
  picking = $state<Picking>('off');
  /** Points clicked so far for what is being picked (0 or 1; the second completes it). */
  pending = $state<Point[]>([]);
  method = $state<Method>('isocenter');
  manualMmPerPixel = $state(0.2);
  french = $state(6);
  catheter = $state<{ start: Point; end: Point } | null>(null);
  measurement = $state<QcaMeasurement | null>(null);
  measuredFrame = $state<number | null>(null);
  saved = $state<SavedMeasurement[]>([]);
  suggestion = $state<Suggestion | null>(null);
  reader = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  get choice(): CalibrationChoice | null {
    if (this.method === 'manual') return { method: 'manual', mmPerPixel: this.manualMmPerPixel };
    if (this.method === 'catheter') return this.catheter ? { method: 'catheter', french: this.french, ...this.catheter } : null;
    return { method: this.method };
  }

  /** A new run: forget what belonged to the last one and read this one's saved measurements and suggested frame. */
  async open(instanceId: number): Promise<void> {
    if (this.instanceId === instanceId) return;
    this.instanceId = instanceId;
    this.measurement = null;
    this.catheter = null;
    this.pending = [];
    this.suggestion = null;
    this.saved = [];
    this.error = null;
    await this.loadSaved();
    const answer = await this.api.invoke['qca.suggestFrame']({ instanceId });
    if (this.instanceId === instanceId && answer.ok) this.suggestion = answer.value;
  }

  async loadSaved(): Promise<void> {
    const instanceId = this.instanceId;
    if (instanceId === null) return;
    const answer = await this.api.invoke['qca.list']({ instanceId });
    if (this.instanceId !== instanceId) return;
    if (answer.ok) this.saved = answer.value.measurements;
    else this.error = describeError(answer);
  }

  pick(what: Picking): void {
    this.picking = this.picking === what ? 'off' : what;
    this.pending = [];
  }

  /** A click on the frame while picking: the first point waits, the second measures (or sets the catheter). */
  async click(point: Point, frame: number): Promise<void> {
    if (this.picking === 'off') return;
    if (this.pending.length === 0) {
      this.pending = [point];
      return;
    }
    const [start] = this.pending as [Point];
    this.pending = [];
    if (this.picking === 'catheter') {
      this.catheter = { start, end: point };
      this.method = 'catheter';
      this.picking = 'vessel';
      if (this.measurement) await this.measure(this.measurement.start, this.measurement.end, frame, this.measurement.waypoints);
      return;
    }
    await this.measure(start, point, frame);
    // Measured: clicks on the frame go back to the viewer (Q measures another segment).
    if (this.measurement && !this.error) this.picking = 'off';
  }

  async measure(start: Point, end: Point, frame: number, waypoints: Point[] = []): Promise<void> {
    const instanceId = this.instanceId;
    const calibration = this.choice;
    if (instanceId === null) return;
    if (!calibration) {
      this.error = 'Catheter calibration: first click both ends of a catheter segment ("Measure catheter").';
      return;
    }
    this.busy = true;
    this.error = null;
    // Plain copies throughout: points and measurements held here are reactive proxies, which IPC cannot clone.
    const answer = await this.api.invoke['qca.measure']($state.snapshot({ instanceId, frame, start, end, waypoints, calibration }));
    this.busy = false;
    if (this.instanceId !== instanceId) return;
    if (answer.ok) {
      this.measurement = answer.value.measurement;
      this.measuredFrame = frame;
    } else this.error = describeError(answer);
  }

  /** Recalibrate the current measurement with the panel's choice. */
  async remeasure(): Promise<void> {
    const m = this.measurement;
    if (m) await this.measure(m.start, m.end, m.frame, m.waypoints);
  }

  /**
   * The reader dragged the path: the centreline point at `index` (or the waypoint there) now lies at `to`. The path
   * is re-traced start → waypoints → end with the waypoints in their order along the old centreline.
   */
  async dragPath(index: number, to: Point): Promise<void> {
    const m = this.measurement;
    if (!m) return;
    const line = m.trace.centreline;
    const along = (p: Point) => line.reduce((best, c, i) => (Math.hypot(c.x - p.x, c.y - p.y) < Math.hypot(line[best]!.x - p.x, line[best]!.y - p.y) ? i : best), 0);
    const kept = m.waypoints.map((p) => ({ p, at: along(p) })).filter((w) => Math.abs(w.at - index) > 3);
    const waypoints = [...kept, { p: to, at: index }].sort((a, b) => a.at - b.at).map((w) => w.p);
    await this.measure(m.start, m.end, m.frame, waypoints);
  }

  async edit(moves: InvokeInput<'qca.edit'>['moves'], referenceOverride?: number | null): Promise<void> {
    const measurement = this.measurement;
    if (!measurement) return;
    this.busy = true;
    const answer = await this.api.invoke['qca.edit']($state.snapshot({ measurement, moves, referenceOverride }));
    this.busy = false;
    if (this.measurement !== measurement) return;
    if (answer.ok) {
      this.measurement = answer.value.measurement;
      this.error = null;
    } else this.error = describeError(answer);
  }

  async save(): Promise<void> {
    const measurement = this.measurement;
    const instanceId = this.instanceId;
    if (!measurement || instanceId === null) return;
    this.busy = true;
    const answer = await this.api.invoke['qca.save']({ instanceId, measurement: $state.snapshot(measurement), reader: this.reader.trim() || null });
    this.busy = false;
    if (!answer.ok) {
      this.error = describeError(answer);
      return;
    }
    this.error = null;
    this.notice = `Saved QCA measurement #${answer.value.saved.id} on frame ${answer.value.saved.frame + 1}.`;
    await this.loadSaved();
  }

  async remove(id: number): Promise<void> {
    const answer = await this.api.invoke['qca.delete']({ id, reader: this.reader.trim() || null });
    if (!answer.ok) this.error = describeError(answer);
    await this.loadSaved();
  }

  /** The study's saved measurements as a QCA PDF and SR (research identity) in `folder`; new files, never overwritten. */
  async exportReport(studyId: number, folder: string): Promise<void> {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    this.busy = true;
    const answer = await this.api.invoke['reports.qcaExport']({ studyId, folder, name: `study-${studyId}-${stamp}`, mode: 'research', reader: this.reader.trim() || null });
    this.busy = false;
    if (!answer.ok) {
      this.error = describeError(answer);
      return;
    }
    this.error = null;
    this.notice = `Exported ${answer.value.measurements} QCA measurement(s): ${answer.value.pdfPath} and ${answer.value.srPath}`;
  }

  show(saved: SavedMeasurement): void {
    this.measurement = saved.measurement;
    this.measuredFrame = saved.frame;
  }
}

/** A length or diameter with its unit, and the calibration it rests on, as shown beside every number. */
export function withUnit(value: number, m: QcaMeasurement): string {
  return m.unit === 'mm' ? `${value.toFixed(2)} mm` : `${value.toFixed(1)} px`;
}

export function calibrationLabel(m: QcaMeasurement): string {
  const c = m.calibration;
  return c.mmPerPixel === null ? 'pixels (uncalibrated)' : `${c.method} ${c.mmPerPixel.toFixed(4)} mm/px`;
}
