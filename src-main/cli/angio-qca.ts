// `angio qca <file.dcm> --frame N --start X,Y --end X,Y [--calibration …] [--json]`: the Viewer's QCA measurement,
// headless. Figures are in millimetres when a calibration is known (the file's isocenter geometry by default) and in
// pixels, saying so, when none is.
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { AppError } from '../ipc/index.ts';
import {
  calibrateOnCatheter,
  isocenterCalibration,
  manualCalibration,
  measureSegment,
  readQcaFrame,
  suggestEndDiastolicFrame,
  UNCALIBRATED,
  type Calibration,
  type FloatImage,
  type Point,
  type QcaMeasurement,
} from '../qca/index.ts';
import type { DataSet } from 'dicom-parser';
import { commandArgs, printResult, UsageError } from './angio-output.ts';

export interface QcaDocument {
  calibration: { method: Calibration['method']; mmPerPixel: number | null };
  mldMm: number;
  referenceMm: number;
  diameterStenosisPct: number;
  areaStenosisPct: number;
  lesionLengthMm: number;
  profile: { distanceMm: number; diameterMm: number }[];
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The shape other tools read: lengths in mm when calibrated, in pixels (same keys) when not. */
export function qcaDocument(m: QcaMeasurement): QcaDocument {
  return {
    calibration: { method: m.calibration.method, mmPerPixel: m.calibration.mmPerPixel },
    mldMm: round(m.mld, 4),
    referenceMm: round(m.reference, 4),
    diameterStenosisPct: round(m.diameterStenosisPct, 2),
    areaStenosisPct: round(m.areaStenosisPct, 2),
    lesionLengthMm: round(m.lesionLength, 4),
    profile: m.profile.map((p) => ({ distanceMm: round(p.distance, 4), diameterMm: round(p.diameter, 4) })),
  };
}

function pointArg(value: string | undefined, option: string): Point {
  const match = value === undefined ? null : /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!match) throw new UsageError('invalid-point', `${option} ${value ?? ''} is not a point: give it as X,Y in pixels (column, row), e.g. ${option} 120,340.`.replace('  ', ' '));
  return { x: Number(match[1]), y: Number(match[2]) };
}

type CalibrationChoice = { kind: 'default' } | { kind: 'isocenter' } | { kind: 'manual'; mmPerPixel: number } | { kind: 'catheter'; french: number; start: Point; end: Point };

export function calibrationArg(value: string | undefined): CalibrationChoice {
  if (value === undefined) return { kind: 'default' };
  if (value === 'isocenter') return { kind: 'isocenter' };
  const manual = /^manual:(\d+(?:\.\d+)?)$/.exec(value);
  if (manual && Number(manual[1]) > 0) return { kind: 'manual', mmPerPixel: Number(manual[1]) };
  const catheter = /^catheter:(\d+(?:\.\d+)?):([^:]+):([^:]+)$/.exec(value);
  if (catheter && Number(catheter[1]) > 0) return { kind: 'catheter', french: Number(catheter[1]), start: pointArg(catheter[2], 'catheter start'), end: pointArg(catheter[3], 'catheter end') };
  throw new UsageError('invalid-calibration', `--calibration ${value} is not understood: use isocenter, manual:<mm-per-pixel> (e.g. manual:0.2) or catheter:<French>:<x1>,<y1>:<x2>,<y2> (e.g. catheter:6:100,400:260,380).`);
}

function resolveCalibration(choice: CalibrationChoice, ds: DataSet, image: FloatImage, source: string): Calibration {
  switch (choice.kind) {
    case 'manual':
      return manualCalibration(choice.mmPerPixel);
    case 'catheter':
      try {
        return calibrateOnCatheter(image, choice.french, choice.start, choice.end);
      } catch (error) {
        throw new AppError('invalid-input', `The catheter segment cannot be measured: ${(error as Error).message}.`);
      }
    case 'isocenter': {
      const found = isocenterCalibration(ds);
      if (!found) throw new AppError('calibration-unavailable', `${source} has no isocenter geometry (Imager Pixel Spacing with the source distances or a magnification factor, or a calibrated Pixel Spacing). Calibrate on the catheter (--calibration catheter:<French>:<x1>,<y1>:<x2>,<y2>) or give manual:<mm-per-pixel>.`);
      return found;
    }
    default:
      return isocenterCalibration(ds) ?? UNCALIBRATED;
  }
}

function plainLines(source: string, m: QcaMeasurement): string[] {
  const unit = m.unit;
  const cal = m.calibration.mmPerPixel === null ? 'uncalibrated: every length is in pixels' : `calibration ${m.calibration.method} ${m.calibration.mmPerPixel.toFixed(4)} mm/pixel (${m.calibration.basis})`;
  return [
    `${source} frame ${m.frame}: segment (${m.start.x.toFixed(1)}, ${m.start.y.toFixed(1)}) → (${m.end.x.toFixed(1)}, ${m.end.y.toFixed(1)}), ${m.profile.length} profiles; ${cal}`,
    `MLD ${m.mld.toFixed(2)} ${unit}, reference ${m.reference.toFixed(2)} ${unit} (${m.referenceSource}), diameter stenosis ${m.diameterStenosisPct.toFixed(1)} %, area stenosis ${m.areaStenosisPct.toFixed(1)} % (circular lumen assumed), lesion length ${m.lesionLength.toFixed(2)} ${unit}`,
  ];
}

export async function qcaCommand(args: string[]): Promise<void> {
  const { values, positionals } = commandArgs('qca', args, { frame: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, calibration: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('image-missing', 'Name one DICOM file to measure on. Run `angio qca --help` for usage.');
  if (values.frame !== undefined && !/^\d+$/.test(values.frame)) throw new UsageError('invalid-frame', `--frame ${values.frame} is not a frame number: frames are counted from 0.`);
  const start = pointArg(values.start, '--start');
  const end = pointArg(values.end, '--end');
  const choice = calibrationArg(values.calibration);
  const path = resolve(positionals[0]!);
  if (!existsSync(path)) throw new AppError('image-file-missing', `No file at ${path}. Give a DICOM XA file.`);
  const bytes = readFileSync(path);
  const source = basename(path);
  let frame = values.frame === undefined ? undefined : Number(values.frame);
  if (frame === undefined) {
    const first = await readQcaFrame(bytes, 0, source);
    frame = (await suggestEndDiastolicFrame(first.parsed, first.frames, async (i) => (await readQcaFrame(bytes, i, source)).image)).frame;
  }
  const { image, parsed } = await readQcaFrame(bytes, frame, source);
  const calibration = resolveCalibration(choice, parsed.dataSet, image, source);
  let measurement: QcaMeasurement;
  try {
    measurement = measureSegment(image, { frame, start, end, calibration });
  } catch (error) {
    if (error instanceof RangeError) throw new AppError('invalid-input', `${source} frame ${frame}: ${error.message}.`);
    throw error;
  }
  printResult(values.json, qcaDocument(measurement), plainLines(source, measurement));
}
