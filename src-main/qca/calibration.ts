// How many millimetres a pixel spans at the vessel. Isocenter calibration comes from the file's geometry; catheter
// calibration from a measured catheter of known French size; manual from the user. Every result carries the method
// and its value, and without any the figures stay in pixels and say so.
import type { DataSet } from 'dicom-parser';
import { decimal, text, texts } from '../dicom/index.ts';

const decimals = (ds: DataSet, tag: string): number[] => texts(ds, tag).map(Number.parseFloat).filter(Number.isFinite);

export type CalibrationMethod = 'isocenter' | 'catheter' | 'manual' | 'none';

export interface Calibration {
  method: CalibrationMethod;
  /** Millimetres per pixel at the vessel; null when uncalibrated (figures are then in pixels). */
  mmPerPixel: number | null;
  /** Where the value came from, in words a reader can check. */
  basis: string;
}

export const UNCALIBRATED: Calibration = { method: 'none', mmPerPixel: null, basis: 'no calibration: figures are in pixels' };

/** One French is a third of a millimetre of outer diameter (6 F = 2.00 mm). */
export function frenchToMm(french: number): number {
  return french / 3;
}

export function manualCalibration(mmPerPixel: number): Calibration {
  if (!(mmPerPixel > 0) || !Number.isFinite(mmPerPixel)) throw new RangeError(`a manual calibration needs a positive mm per pixel, not ${mmPerPixel}`);
  return { method: 'manual', mmPerPixel, basis: `manual: ${mmPerPixel} mm per pixel entered by the user` };
}

/** Catheter calibration: its known outer diameter over the mean diameter the edge detector measured, in pixels. */
export function catheterCalibration(french: number, meanDiameterPx: number): Calibration {
  if (!(french > 0)) throw new RangeError(`a catheter size must be a positive French number, not ${french}`);
  if (!(meanDiameterPx > 0)) throw new RangeError('the catheter segment measured no diameter: trace it along the catheter');
  const mm = frenchToMm(french);
  return { method: 'catheter', mmPerPixel: mm / meanDiameterPx, basis: `catheter ${french} F (${mm.toFixed(2)} mm) measured ${meanDiameterPx.toFixed(2)} px across` };
}

const mean = (pair: number[]) => (pair.length >= 2 ? (pair[0]! + pair[1]!) / 2 : pair[0]!);

/**
 * Isocenter calibration from the file: Imager Pixel Spacing (at the detector) scaled to the isocenter by Distance
 * Source to Patient ÷ Distance Source to Detector, else divided by the Estimated Radiographic Magnification Factor.
 * Pixel Spacing is used only with a Pixel Spacing Calibration Type (PS3.3 C.10.7.1.3): without it, an X-ray Pixel
 * Spacing may be the detector's spacing relabelled, which overstates every diameter by the magnification.
 */
export function isocenterCalibration(ds: DataSet): Calibration | null {
  const imager = decimals(ds, 'x00181164');
  const sid = decimal(ds, 'x00181110');
  const sod = decimal(ds, 'x00181111');
  const magnification = decimal(ds, 'x00181114');
  if (imager.length > 0 && imager[0]! > 0) {
    const detector = mean(imager);
    if (sid && sod && sid > 0 && sod > 0) {
      return { method: 'isocenter', mmPerPixel: (detector * sod) / sid, basis: `Imager Pixel Spacing ${detector} mm × Distance Source to Patient ${sod} mm ÷ Distance Source to Detector ${sid} mm` };
    }
    if (magnification && magnification > 0) {
      return { method: 'isocenter', mmPerPixel: detector / magnification, basis: `Imager Pixel Spacing ${detector} mm ÷ Estimated Radiographic Magnification Factor ${magnification}` };
    }
  }
  const calibrationType = text(ds, 'x00280a02')?.trim();
  const pixel = decimals(ds, 'x00280030');
  if (calibrationType && pixel.length > 0 && pixel[0]! > 0) {
    return { method: 'isocenter', mmPerPixel: mean(pixel), basis: `Pixel Spacing ${mean(pixel)} mm, calibrated (${calibrationType})` };
  }
  return null;
}
