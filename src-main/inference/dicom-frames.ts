// Frames of a DICOM file as grey images for scanning: stored values, MONOCHROME1 inverted so vessels are dark in
// both photometric interpretations. Colour (RGB, YBR) is refused: angiography is grey, a colour frame is a capture.
import { readFile } from 'node:fs/promises';
import { AppError } from '../ipc/index.ts';
import { decodeFrame, describeImage, readAngioMetadata, readDicom } from '../dicom/index.ts';
import type { FrameCalibration } from './scanning/physical-scale.ts';
import type { GreyImage } from './preprocess.ts';

export interface DicomFrames {
  frameCount: number;
  width: number;
  height: number;
  /** What the header says about the pixels' size (the scan's window follows it where the model's patches have one). */
  calibration: FrameCalibration;
  readFrame(index: number): Promise<GreyImage>;
}

const positiveNumber = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) && value > 0 ? value : null);

export async function openDicomFrames(path: string): Promise<DicomFrames> {
  const parsed = readDicom(new Uint8Array(await readFile(path)), path);
  const image = describeImage(parsed, path);
  if (image.samplesPerPixel !== 1) {
    throw new AppError('image-unsupported', `${path} holds colour frames (${image.photometric}); stenosis scanning needs a grey angiogram.`);
  }
  const meta = readAngioMetadata(parsed.dataSet);
  const calibration: FrameCalibration = {
    imagerPixelSpacing: meta.imagerPixelSpacing,
    pixelSpacing: meta.pixelSpacing,
    distanceSourceToPatient: positiveNumber(parsed.dataSet.floatString('x00181111')),
    distanceSourceToDetector: positiveNumber(parsed.dataSet.floatString('x00181110')),
  };
  return {
    frameCount: image.numberOfFrames,
    calibration,
    width: image.columns,
    height: image.rows,
    async readFrame(index) {
      if (!Number.isInteger(index) || index < 0 || index >= image.numberOfFrames) {
        throw new AppError('invalid-input', `${path} has frames 0–${image.numberOfFrames - 1}; frame ${index} does not exist.`);
      }
      const frame = await decodeFrame(parsed, image, index, path);
      let pixels = frame.pixels;
      if (pixels instanceof Int8Array || pixels instanceof Int16Array) {
        // Shift signed values into the unsigned range; windowing is relative, so the offset changes nothing.
        const offset = pixels instanceof Int8Array ? 128 : 32768;
        pixels = pixels instanceof Int8Array ? Uint8Array.from(pixels, (v) => v + offset) : Uint16Array.from(pixels, (v) => v + offset);
      }
      if (image.photometric === 'MONOCHROME1') {
        const max = frame.bitsAllocated === 8 ? 255 : (1 << frame.bitsStored) - 1;
        pixels = pixels.map((v) => max - v) as Uint8Array | Uint16Array;
      }
      return { width: frame.width, height: frame.height, pixels: pixels as Uint8Array | Uint16Array };
    },
  };
}
