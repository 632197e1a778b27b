// One frame of an XA file as QCA's grey image (vessels dark, as displayed), with the data set for calibration and
// the frame count. MONOCHROME1 is inverted and colour reduced to luma, so contrast always reads dark.
import { decodeFrame, describeImage, readDicom, type ParsedDicom } from '../dicom/index.ts';
import { AppError } from '../ipc/index.ts';
import type { FloatImage } from './image.ts';

export interface QcaFrame {
  image: FloatImage;
  parsed: ParsedDicom;
  frames: number;
}

export async function readQcaFrame(bytes: Uint8Array, frame: number, source: string): Promise<QcaFrame> {
  const parsed = readDicom(bytes, source);
  const description = describeImage(parsed, source);
  const frames = description.numberOfFrames;
  if (!Number.isInteger(frame) || frame < 0 || frame >= frames) {
    throw new AppError('invalid-frame', `${source} has frames 0–${frames - 1}; frame ${frame} does not exist.`);
  }
  const decoded = await decodeFrame(parsed, description, frame, source);
  const { width, height, samplesPerPixel, pixels } = decoded;
  const data = new Float32Array(width * height);
  if (samplesPerPixel === 3) {
    for (let i = 0; i < data.length; i++) data[i] = 0.299 * pixels[3 * i]! + 0.587 * pixels[3 * i + 1]! + 0.114 * pixels[3 * i + 2]!;
  } else {
    for (let i = 0; i < data.length; i++) data[i] = pixels[i]!;
  }
  if (decoded.photometric === 'MONOCHROME1') {
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) if (data[i]! > max) max = data[i]!;
    for (let i = 0; i < data.length; i++) data[i] = max - data[i]!;
  }
  return { image: { width, height, data }, parsed, frames };
}
