// The frame to measure on: end-diastole, when the coronaries are longest and stillest. From the file's R waves
// (R Wave Pointer, else R peaks found in its ECG waveform) where it has them; otherwise from the images, the frame
// of most vessel filling and least motion. The reader may measure any frame; this is only the suggestion.
import { ecgKeyFrame, readAngioMetadata, type AngioMetadata, type ParsedDicom } from '../dicom/index.ts';
import { gaussianBlur, type FloatImage } from './image.ts';

export type EndDiastoleBasis = 'r-wave-pointer' | 'ecg-waveform' | 'image';

export interface EndDiastoleSuggestion {
  /** 0-based frame. */
  frame: number;
  basis: EndDiastoleBasis;
  /** Every candidate end-diastolic frame the basis gave (0-based), for the frame slider's marks. */
  candidates: number[];
}

/** R peaks as sample indices: local maxima above 60 % of the strongest deflection, at least 0.3 s apart. */
export function rPeaks(signal: ArrayLike<number>, samplingFrequency: number): number[] {
  const n = signal.length;
  if (n < 3) return [];
  const sorted = Array.from(signal).sort((a, b) => a - b);
  const baseline = sorted[Math.floor(n / 2)]!;
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, signal[i]! - baseline);
  if (top <= 0) return [];
  const refractory = Math.round(0.3 * samplingFrequency);
  const peaks: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const v = signal[i]! - baseline;
    if (v < 0.6 * top || v < signal[i - 1]! - baseline || v < signal[i + 1]! - baseline) continue;
    const last = peaks[peaks.length - 1];
    if (last !== undefined && i - last < refractory) {
      if (v > signal[last]! - baseline) peaks[peaks.length - 1] = i;
      continue;
    }
    peaks.push(i);
  }
  return peaks;
}

function frameTimesMs(meta: AngioMetadata, frames: number): number[] | null {
  if (meta.frameTimeVectorMs && meta.frameTimeVectorMs.length >= frames) {
    // The vector holds the time since the previous frame (PS3.3 C.7.6.5.1.2); its first entry is 0.
    const times: number[] = [];
    let at = 0;
    for (let i = 0; i < frames; i++) times.push((at += meta.frameTimeVectorMs[i]!));
    return times;
  }
  const step = meta.frameTimeMs ?? (meta.cineRate ? 1000 / meta.cineRate : null);
  return step ? Array.from({ length: frames }, (_, i) => i * step) : null;
}

/** End-diastolic frames from the ECG: R Wave Pointer frames, else the frames nearest the waveform's R peaks. */
export function ecgEndDiastolicFrames(meta: AngioMetadata, frames: number): { basis: EndDiastoleBasis; frames: number[] } | null {
  if (ecgKeyFrame(meta, frames) !== null) {
    return { basis: 'r-wave-pointer', frames: meta.rWaveFrames.filter((f) => f >= 1 && f <= frames).map((f) => f - 1) };
  }
  const ecg = meta.ecg;
  const times = frameTimesMs(meta, frames);
  if (!ecg || !times) return null;
  const lead = Int16Array.from({ length: ecg.samples }, (_, i) => ecg.data[i * ecg.channels] ?? 0);
  const found = rPeaks(lead, ecg.samplingFrequency)
    .map((sample) => (sample / ecg.samplingFrequency) * 1000)
    .filter((ms) => ms >= times[0]! && ms <= times[times.length - 1]!)
    .map((ms) => times.reduce((best, t, i) => (Math.abs(t - ms) < Math.abs(times[best]! - ms) ? i : best), 0));
  return found.length > 0 ? { basis: 'ecg-waveform', frames: [...new Set(found)] } : null;
}

const THUMBNAIL = 128;

function thumbnail(image: FloatImage): FloatImage {
  const factor = Math.max(1, Math.floor(Math.max(image.width, image.height) / THUMBNAIL));
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += image.data[(y * factor + dy) * image.width + x * factor + dx]!;
      data[y * width + x] = sum / (factor * factor);
    }
  }
  return { width, height, data };
}

/**
 * Per frame: vessel filling (how much darker than its smooth surroundings the frame's fine detail is: contrast in
 * the arteries) and motion (mean change to its neighbours). The score is filling minus motion, each in units of its
 * spread over the run.
 */
export function imageEndDiastolicFrame(frames: readonly FloatImage[]): { frame: number; filling: number[]; motion: number[] } {
  const small = frames.map(thumbnail);
  const filling = small.map((f) => {
    const background = gaussianBlur(f, 4).data;
    let sum = 0;
    for (let i = 0; i < f.data.length; i++) sum += Math.max(0, background[i]! - f.data[i]!);
    return sum / f.data.length;
  });
  const difference = (a: FloatImage, b: FloatImage) => {
    let sum = 0;
    for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
    return sum / a.data.length;
  };
  const motion = small.map((f, i) => {
    const around = [small[i - 1], small[i + 1]].filter((g): g is FloatImage => g !== undefined);
    return around.length === 0 ? 0 : around.reduce((s, g) => s + difference(f, g), 0) / around.length;
  });
  const standardised = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
    return values.map((v) => (v - mean) / sd);
  };
  const f = standardised(filling);
  const m = standardised(motion);
  let frame = 0;
  for (let i = 1; i < frames.length; i++) if (f[i]! - m[i]! > f[frame]! - m[frame]!) frame = i;
  return { frame, filling, motion };
}

/** The suggestion for a run: the ECG's end-diastoles (best filled of them) first; the images alone only without an ECG. */
export async function suggestEndDiastolicFrame(parsed: ParsedDicom, frames: number, readFrame: (frame: number) => Promise<FloatImage>): Promise<EndDiastoleSuggestion> {
  const fromEcg = ecgEndDiastolicFrames(readAngioMetadata(parsed.dataSet), frames);
  if (fromEcg) {
    // Several beats: the one with the arteries best filled with contrast (a run often starts before injection).
    const images = fromEcg.frames.length > 1 ? await Promise.all(fromEcg.frames.map(readFrame)) : [];
    const filling = images.length > 0 ? imageEndDiastolicFrame(images).filling : [0];
    const best = filling.reduce((b, v, i) => (v > filling[b]! ? i : b), 0);
    return { frame: fromEcg.frames[best]!, basis: fromEcg.basis, candidates: fromEcg.frames };
  }
  const images: FloatImage[] = [];
  for (let i = 0; i < frames; i++) images.push(await readFrame(i));
  const { frame } = imageEndDiastolicFrame(images);
  return { frame, basis: 'image', candidates: [frame] };
}
