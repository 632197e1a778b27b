// Reads what the reader points at as a grey image: a PNG patch, or one frame of a DICOM file (see dicom-frames.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { decodePng } from '../png/index.ts';
import { toEightBit } from '../preprocessing/index.ts';
import { openDicomFrames, type DicomFrames } from './dicom-frames.ts';
import type { GreyImage } from './preprocess.ts';
import { frameScale, type FrameScale } from './scanning/physical-scale.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG by its name or, for stored copies named by their hash (a dataset patch), by its first eight bytes. */
function isPng(path: string): boolean {
  if (extname(path).toLowerCase() === '.png') return true;
  if (extname(path) !== '') return false;
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(8);
    return readSync(fd, head, 0, 8, 0) === 8 && head.equals(PNG_SIGNATURE);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The image and, for a DICOM frame, its millimetres per pixel where the header calibrates it and its run (the file's
 * frames, for following a candidate across the cine); PNG patches have neither.
 */
export async function readScaledImage(path: string, frame = 0): Promise<{ image: GreyImage; scale: FrameScale | null; run: DicomFrames | null }> {
  if (isPng(path)) return { image: await readGreyImage(path, frame), scale: null, run: null };
  const frames = await openDicomFrames(path);
  return { image: await frames.readFrame(frame), scale: frameScale(frames.calibration), run: frames };
}

export async function readGreyImage(path: string, frame = 0): Promise<GreyImage> {
  let bytes: Uint8Array;
  if (!isPng(path)) return (await openDicomFrames(path)).readFrame(frame);
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new AppError('file-unreadable', `Cannot read ${path}: ${(error as Error).message}.`);
  }
  const png = decodePng(bytes, path);
  // Colour PNGs become grey as training makes them (BT.601 luma), so a patch scores as it trained.
  return { width: png.width, height: png.height, pixels: png.channels === 1 ? png.pixels : toEightBit(png) };
}
