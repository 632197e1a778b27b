// Reads what the reader points at as a grey image: a PNG patch, or one frame of a DICOM file (see dicom-frames.ts).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError } from '../ipc/app-error.ts';
import { decodePng } from '../imaging/png.ts';
import { toEightBit } from '../training/preprocessing.ts';
import { openDicomFrames } from './dicom-frames.ts';
import type { GreyImage } from './preprocess.ts';

export async function readGreyImage(path: string, frame = 0): Promise<GreyImage> {
  let bytes: Uint8Array;
  if (extname(path).toLowerCase() !== '.png') return (await openDicomFrames(path)).readFrame(frame);
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new AppError('file-unreadable', `Cannot read ${path}: ${(error as Error).message}.`);
  }
  const png = decodePng(bytes, path);
  // Colour PNGs become grey as training makes them (BT.601 luma), so a patch scores as it trained.
  return { width: png.width, height: png.height, pixels: png.channels === 1 ? png.pixels : toEightBit(png) };
}
