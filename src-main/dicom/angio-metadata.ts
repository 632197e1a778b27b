// Angiography facts per instance: geometry of the C-arm, cine timing, shutters, overlay planes, ECG and the
// burned-in annotation flag. Pure over a parsed data set; absent attributes stay null rather than guessed.
import type { DataSet } from 'dicom-parser';
import { decimal, decimals, text, texts, uint16 } from './dataset.ts';

export interface Shutter {
  shapes: string[];
  rectangular?: { left: number; right: number; upper: number; lower: number };
  circular?: { centerRow: number; centerColumn: number; radius: number };
  polygonal?: number[];
}

export interface OverlayPlane {
  group: number;
  rows: number;
  columns: number;
  /** 1-based row/column of the overlay's first pixel relative to the image. */
  origin: [number, number];
  type: string;
  description?: string;
  frames: number;
  /** One byte per pixel (0/1), rows × columns for the first frame of the overlay. */
  bits: Uint8Array;
}

export interface EcgWaveform {
  channels: number;
  samples: number;
  samplingFrequency: number;
  bitsAllocated: number;
  /** Channel-interleaved samples (as stored; scale with the channel sensitivity to get mV). */
  data: Int16Array;
}

export interface AngioMetadata {
  positionerPrimaryAngle: number | null;
  positionerSecondaryAngle: number | null;
  imagerPixelSpacing: [number, number] | null;
  pixelSpacing: [number, number] | null;
  /** Milliseconds per frame (0018,1063), the frame time vector (0018,1065) and the cine rate (0018,0040). */
  frameTimeMs: number | null;
  frameTimeVectorMs: number[] | null;
  cineRate: number | null;
  recommendedDisplayFrameRate: number | null;
  /** 'YES' | 'NO' | null when the attribute is absent ("unknown" for de-identification). */
  burnedInAnnotation: 'YES' | 'NO' | null;
  shutter: Shutter | null;
  overlays: OverlayPlane[];
  ecg: EcgWaveform | null;
  /** Frame numbers (1-based) of R waves (0028,6040), when the modality recorded them. */
  rWaveFrames: number[];
}

function pair(values: number[]): [number, number] | null {
  return values.length >= 2 ? [values[0] as number, values[1] as number] : null;
}

/** Where a module keeps its shape, rectangle edges, circle and polygon: the Display Shutter module (PS3.3 C.7.6.11)
 * and the X-Ray Collimator module (C.8.7.3) give the same values, in image rows and columns, under different tags. */
const SHUTTER_TAGS = {
  display: { shape: 'x00181600', left: 'x00181602', right: 'x00181604', upper: 'x00181606', lower: 'x00181608', center: 'x00181610', radius: 'x00181612', vertices: 'x00181620' },
  collimator: { shape: 'x00181700', left: 'x00181702', right: 'x00181704', upper: 'x00181706', lower: 'x00181708', center: 'x00181710', radius: 'x00181712', vertices: 'x00181720' },
} as const;

function readShutterModule(ds: DataSet, tags: (typeof SHUTTER_TAGS)[keyof typeof SHUTTER_TAGS]): Shutter | null {
  const shapes = texts(ds, tags.shape).filter(Boolean);
  if (shapes.length === 0) return null;
  const shutter: Shutter = { shapes };
  if (shapes.includes('RECTANGULAR')) {
    shutter.rectangular = {
      left: decimal(ds, tags.left) ?? 0,
      right: decimal(ds, tags.right) ?? 0,
      upper: decimal(ds, tags.upper) ?? 0,
      lower: decimal(ds, tags.lower) ?? 0,
    };
  }
  if (shapes.includes('CIRCULAR')) {
    const center = decimals(ds, tags.center);
    shutter.circular = { centerRow: center[0] ?? 0, centerColumn: center[1] ?? 0, radius: decimal(ds, tags.radius) ?? 0 };
  }
  if (shapes.includes('POLYGONAL')) shutter.polygonal = decimals(ds, tags.vertices);
  return shutter;
}

/** The display shutter, else the X-ray collimator: many XA runs record only the collimator, and outside it the
 * detector saw no radiation, so it is blacked out the same way. A display shutter, when present, is what the
 * modality chose to show and wins. */
function readShutter(ds: DataSet): Shutter | null {
  return readShutterModule(ds, SHUTTER_TAGS.display) ?? readShutterModule(ds, SHUTTER_TAGS.collimator);
}

/** Overlay planes 6000–601E (even groups), unpacked from their 1-bit data (PS3.3 C.9.2). */
export function readOverlays(ds: DataSet): OverlayPlane[] {
  const planes: OverlayPlane[] = [];
  for (let group = 0x6000; group <= 0x601e; group += 2) {
    const g = group.toString(16);
    const rows = uint16(ds, `x${g}0010`);
    const columns = uint16(ds, `x${g}0011`);
    const data = ds.elements[`x${g}3000`];
    if (!rows || !columns || !data) continue;
    const bits = new Uint8Array(rows * columns);
    for (let i = 0; i < bits.length && i >> 3 < data.length; i++) {
      bits[i] = ((ds.byteArray[data.dataOffset + (i >> 3)] as number) >> (i & 7)) & 1;
    }
    const origin = [ds.int16(`x${g}0050`, 0) ?? 1, ds.int16(`x${g}0050`, 1) ?? 1] as [number, number];
    planes.push({
      group,
      rows,
      columns,
      origin,
      type: text(ds, `x${g}0040`) ?? 'G',
      description: text(ds, `x${g}0022`),
      frames: Number.parseInt(text(ds, `x${g}0015`) ?? '1', 10) || 1,
      bits,
    });
  }
  return planes;
}

const ECG_WORDS = /\b(ecg|ekg|electrocardiogra\w*|lead)\b/i;

/** What a multiplex group says it records: its label (003A,0020) and its channels' source codes (003A,0208). */
function waveformKind(group: DataSet): 'ecg' | 'other' | 'unsaid' {
  const said = [text(group, 'x003a0020') ?? ''];
  for (const channel of group.elements.x003a0200?.items ?? []) {
    for (const source of channel.dataSet?.elements.x003a0208?.items ?? []) said.push(text(source.dataSet!, 'x00080104') ?? '');
  }
  const words = said.filter((w) => w.trim() !== '');
  if (words.length === 0) return 'unsaid';
  return words.some((w) => ECG_WORDS.test(w)) ? 'ecg' : 'other';
}

/**
 * The ECG multiplex group of the Waveform Sequence (5400,0100), when present: one labelled as ECG (or whose channels
 * are leads) first; else the first group that names nothing, since many XA writers label nothing; never a group
 * labelled as something else (a pressure or respiration trace drawn as an ECG would mislead the reader).
 */
export function readEcg(ds: DataSet): EcgWaveform | null {
  const groups = (ds.elements.x54000100?.items ?? []).flatMap((item) => (item.dataSet ? [item.dataSet] : []));
  const ordered = [...groups.filter((g) => waveformKind(g) === 'ecg'), ...groups.filter((g) => waveformKind(g) === 'unsaid')];
  for (const group of ordered) {
    const channels = uint16(group, 'x003a0005');
    const samples = group.uint32('x003a0010');
    const frequency = decimal(group, 'x003a001a');
    const data = group.elements.x54001010;
    if (!channels || !samples || !frequency || !data) continue;
    const bitsAllocated = uint16(group, 'x54001004') ?? 16;
    const count = Math.min(channels * samples, Math.floor(data.length / 2));
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) out[i] = group.int16('x54001010', i) ?? 0;
    return { channels, samples, samplingFrequency: frequency, bitsAllocated, data: out };
  }
  return null;
}

export function readAngioMetadata(ds: DataSet): AngioMetadata {
  const burned = text(ds, 'x00280301')?.toUpperCase();
  const vector = decimals(ds, 'x00181065');
  const rWave: number[] = [];
  const rWaveElement = ds.elements.x00286040;
  if (rWaveElement) for (let i = 0; i < rWaveElement.length / 2; i++) rWave.push(ds.uint16('x00286040', i) as number);
  return {
    positionerPrimaryAngle: decimal(ds, 'x00181510') ?? null,
    positionerSecondaryAngle: decimal(ds, 'x00181511') ?? null,
    imagerPixelSpacing: pair(decimals(ds, 'x00181164')),
    pixelSpacing: pair(decimals(ds, 'x00280030')),
    frameTimeMs: decimal(ds, 'x00181063') ?? null,
    frameTimeVectorMs: vector.length > 0 ? vector : null,
    cineRate: decimal(ds, 'x00180040') ?? null,
    recommendedDisplayFrameRate: decimal(ds, 'x00082144') ?? null,
    burnedInAnnotation: burned === 'YES' || burned === 'NO' ? burned : null,
    shutter: readShutter(ds),
    overlays: readOverlays(ds),
    ecg: readEcg(ds),
    rWaveFrames: rWave,
  };
}

/** Frame index (0-based) to show first in a cine: the first R wave (end-diastole) when recorded, else null. */
export function ecgKeyFrame(meta: AngioMetadata, frames: number): number | null {
  const first = meta.rWaveFrames.find((f) => f >= 1 && f <= frames);
  return first === undefined ? null : first - 1;
}
