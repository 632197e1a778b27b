// Bench suite for DICOM decoding: our decode of the 96-frame XA cine and the 1024² XA1 file in each
// encoding against the dcmtk tool (or gdcmconv for JPEG 2000) decompressing the same file. Ratio = their time ÷ ours.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { readDicom } from '../../src-main/dicom/dataset.ts';
import { decodeFrame, describeImage } from '../../src-main/dicom/image.ts';
import type { Figure, SuiteOptions } from '../types.ts';

interface Case {
  file: string;
  tool: string[];
  target: number;
}

const CASES: Case[] = [
  { file: 'xa/XA_cine_96f_jpeg_baseline.dcm', tool: ['dcmdjpeg'], target: 1 },
  { file: 'xa/XA1_JPLY.dcm', tool: ['dcmdjpeg'], target: 1 },
  { file: 'xa/XA1_JPLL.dcm', tool: ['dcmdjpeg'], target: 1 },
  { file: 'xa/XA1_JLSL.dcm', tool: ['dcmdjpls'], target: 1 },
  { file: 'xa/XA1_JLSN.dcm', tool: ['dcmdjpls'], target: 1 },
  { file: 'xa/XA1_RLE.dcm', tool: ['dcmdrle'], target: 1 },
  { file: 'xa/XA1_UNC.dcm', tool: ['dcmconv', '+te'], target: 1 },
  { file: 'xa/XA1_J2KR.dcm', tool: ['gdcmconv', '--raw'], target: 0.6 },
  { file: 'xa/XA1_J2KI.dcm', tool: ['gdcmconv', '--raw'], target: 0.6 },
];

const SMOKE = new Set(['xa/XA1_RLE.dcm', 'xa/XA1_JLSL.dcm']);

/** Ours: read the file, parse it and decode every frame to stored values (codecs already loaded, as in the app). */
async function decodeFile(path: string): Promise<number> {
  const start = performance.now();
  const parsed = readDicom(readFileSync(path), path);
  const image = describeImage(parsed, path);
  for (let i = 0; i < image.numberOfFrames; i++) await decodeFrame(parsed, image, i, path);
  return (performance.now() - start) / 1000;
}

/** Theirs: the tool decompressing the same file to an uncompressed one (process start and write included). */
function runTool(tool: string[], path: string, out: string): number {
  const [command, ...args] = tool as [string, ...string[]];
  const start = performance.now();
  const run = spawnSync(command, [...args, path, out]);
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${command} failed on ${path}: ${run.stderr.toString()}`);
  return seconds;
}

export async function dicomSuite(options: SuiteOptions): Promise<Figure[]> {
  const repeats = options.smoke ? 1 : Math.max(5, options.repeats);
  const dir = mkdtempSync(join(tmpdir(), 'angio-bench-dicom-'));
  const figures: Figure[] = [];
  try {
    for (const c of CASES.filter((c) => !options.smoke || SMOKE.has(c.file))) {
      const path = join(sharedDataDir(), 'dicom', c.file);
      await decodeFile(path); // warm-up: wasm instantiation and file cache
      runTool(c.tool, path, join(dir, 'warm.dcm'));
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let r = 0; r < repeats; r++) {
        ours.push(await decodeFile(path));
        theirs.push(runTool(c.tool, path, join(dir, `out-${r}.dcm`)));
      }
      const name = c.file.replace(/^xa\//, '').replace(/\.dcm$/, '');
      figures.push({ name: `decode ${name}: ours`, unit: 'ms', values: ours.map((s) => s * 1000), higherIsBetter: false });
      figures.push({ name: `decode ${name}: ${c.tool[0]}`, unit: 'ms', values: theirs.map((s) => s * 1000), higherIsBetter: false });
      figures.push({
        name: `decode ${name}: ${c.tool[0]} time ÷ ours`,
        unit: 'ratio',
        values: ours.map((s, i) => (theirs[i] as number) / s),
        target: c.target,
        note: `ours in-process (read + parse + decode all frames, codecs loaded); ${c.tool.join(' ')} as a process writing an uncompressed file`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
