// Millimetres per pixel in the patient, from an angiogram's header: what the scan needs to size its window and what
// a patch cut from the app's boxes records, so a model knows how much anatomy its training patches covered.
import type { ParsedDicom } from './dataset.ts';
import { readAngioMetadata } from './angio-metadata.ts';

export interface FrameCalibration {
  imagerPixelSpacing: [number, number] | null;
  pixelSpacing: [number, number] | null;
  distanceSourceToPatient: number | null;
  distanceSourceToDetector: number | null;
}

export interface FrameScale {
  mmPerPixel: number;
  /** Where the figure comes from, for the readout. */
  source: 'isocenter' | 'pixel spacing';
}

const positive = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** What the header says about the pixels' size: (0018,1164), (0028,0030), (0018,1111) and (0018,1110). */
export function readCalibration(parsed: ParsedDicom): FrameCalibration {
  const meta = readAngioMetadata(parsed.dataSet);
  const distance = (tag: string): number | null => {
    const value = parsed.dataSet.floatString(tag);
    return positive(value) ? value : null;
  };
  return {
    imagerPixelSpacing: meta.imagerPixelSpacing,
    pixelSpacing: meta.pixelSpacing,
    distanceSourceToPatient: distance('x00181111'),
    distanceSourceToDetector: distance('x00181110'),
  };
}

/**
 * Millimetres per pixel in the patient: ImagerPixelSpacing is at the detector, so it is scaled by the geometric
 * magnification back to the isocenter (× DistanceSourceToPatient / DistanceSourceToDetector); PixelSpacing, where
 * given, is already in the patient. Rows and columns are averaged: angiography pixels are square in practice.
 */
export function frameScale(calibration: FrameCalibration): FrameScale | null {
  const { imagerPixelSpacing: imager, pixelSpacing, distanceSourceToPatient: sod, distanceSourceToDetector: sid } = calibration;
  if (imager && positive(imager[0]) && positive(imager[1]) && positive(sod) && positive(sid)) {
    return { mmPerPixel: ((imager[0] + imager[1]) / 2) * (sod / sid), source: 'isocenter' };
  }
  if (pixelSpacing && positive(pixelSpacing[0]) && positive(pixelSpacing[1])) return { mmPerPixel: (pixelSpacing[0] + pixelSpacing[1]) / 2, source: 'pixel spacing' };
  return null;
}
