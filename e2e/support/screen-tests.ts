// One check for what a canvas shows of a corpus file, whichever way it got there (the Library and Viewer, or the
// screen-check page): the frames read back are held to dcm2pnm under the window the Viewer opens with, within one grey
// level (YBR_FULL: exactly pydicom's conversion, dcm2pnm within dcmtk's own truncation; a standard difference or a
// known gap within what its table entry says). Used by e2e/viewer-corpus.test.ts and e2e/viewer-re-encodings.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { readDicom, text, type ParsedDicom } from '../../src-main/dicom/dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame, type ImageDescription } from '../../src-main/dicom/image.ts';
import { dcm2pnmFrames, implicitVrCopy, pydicomYbrAsRgb, type PnmImage } from '../../src-main/dicom/testing/independent-decoders.ts';
import { canvasFramesChecked, dcm2pnmWindow, openingWindow, viewerFrameOf } from '../../src-main/ingest/testing/viewer-screen.ts';
import { sha256Hex } from '../../src-main/store/blobs.ts';
import { maxDifference, type CanvasImage } from './corpus-canvas.ts';

/** dcmtk's per-term integer YBR tables land up to 2 levels from the equations pydicom follows (see the unit test). */
export const YBR_DCM2PNM_LEVELS = 2;

export interface ScreenPlan {
  label: string;
  path: string;
  /** The name it is imported under when it goes through the Library. */
  name: string;
  sha: string;
  uid: string;
  frames: number;
  /** Frames read back from the canvas: the first; first, middle and last of a multi-frame file. */
  picked: number[];
  dcm2pnm: string[];
  /** How the test names the rendering: dcm2pnm's window flags, or colour. */
  how: string;
  ybr: boolean;
  /** The uncompressed file with the same stored values that pydicom converts from YBR. */
  pydicomSource: string;
  /** What dcm2pnm renders: an uncompressed file with the same stored values (dcmtk reads 32-bit samples only as OW). */
  rendered: () => string;
  /** Where the Viewer follows the standard and dcm2pnm does not: the measured bound (reason in the coverage table). */
  levels?: number;
  /** A known gap between the Viewer and dcmtk: the check runs and reports as to-do. */
  gap?: string;
}

/** A file as the app reads it, with its first frame decoded; throws what the import would reject it for. */
export interface FirstFrame {
  bytes: Uint8Array;
  parsed: ParsedDicom;
  image: ImageDescription;
  first: DecodedFrame;
}

export async function readFirstFrame(path: string, label: string): Promise<FirstFrame> {
  const bytes = readFileSync(path);
  const parsed = readDicom(bytes, label);
  const image = describeImage(parsed, label);
  return { bytes, parsed, image, first: await decodeFrame(parsed, image, 0, label) };
}

/** What a test plans for one file the app decodes: the window it opens with and how dcm2pnm is asked for the same. */
export function screenPlan({ bytes, parsed, image, first }: FirstFrame, file: { label: string; path: string; name: string; uncompressed: () => string; pydicomSource: string }): ScreenPlan {
  const { source, window } = openingWindow(viewerFrameOf(first, image), image);
  const options = dcm2pnmWindow(source, window);
  return {
    label: file.label,
    path: file.path,
    name: file.name,
    sha: sha256Hex(bytes),
    uid: text(parsed.dataSet, 'x00080018') ?? file.label,
    frames: image.numberOfFrames,
    picked: canvasFramesChecked(image.numberOfFrames),
    dcm2pnm: options,
    how: source === 'colour' ? 'dcm2pnm (colour)' : `dcm2pnm ${options.join(' ')} (${source})`,
    ybr: first.photometric.startsWith('YBR_FULL'),
    pydicomSource: file.pydicomSource,
    rendered: () => (first.bitsAllocated === 32 ? implicitVrCopy(file.uncompressed()) : file.uncompressed()),
  };
}

/** Paints `frames` of a planned file and reads them back, `channels` 8-bit channels a pixel. */
export type Painter = (planned: ScreenPlan, frames: readonly number[], channels: 1 | 3) => Promise<CanvasImage[]>;

/** What the tests measured, for the closing summary. */
export class ScreenTally {
  files = 0;
  frames = 0;
  /** Worst max |canvas − dcm2pnm| where one grey level is the bound (YBR_FULL, standard differences and gaps apart). */
  grey = 0;
  readonly gaps: string[] = [];
}

/** One test per planned file: painted by `paint`, held to dcm2pnm (and pydicom for YBR_FULL). */
export function screenTests(plans: readonly ScreenPlan[], paint: Painter, tally: ScreenTally, where = 'the canvas'): void {
  for (const planned of plans) {
    const frames = planned.picked.map((i) => i + 1).join(', ');
    const levels = planned.ybr ? YBR_DCM2PNM_LEVELS : (planned.levels ?? 1);
    const bound = planned.ybr ? `${levels} levels of ${planned.how} and exactly pydicom's YBR→RGB` : `${levels} level${levels > 1 ? 's' : ''} of ${planned.how}`;
    test(`${planned.label}: ${where} (frame ${frames} of ${planned.frames}) is within ${bound}`, { todo: planned.gap }, async () => {
      const expected: PnmImage[] = dcm2pnmFrames(planned.rendered(), planned.dcm2pnm);
      assert.equal(expected.length, planned.frames, `dcm2pnm rendered ${expected.length} frames`);
      const shown = await paint(planned, planned.picked, expected[0]!.channels);
      const pydicom = planned.ybr ? pydicomYbrAsRgb(planned.pydicomSource) : null;
      let max = 0;
      for (const [n, index] of planned.picked.entries()) {
        const reference = expected[index]!;
        const canvas = shown[n]!;
        assert.deepEqual([canvas.width, canvas.height], [reference.width, reference.height], `frame ${index + 1}: canvas size`);
        max = Math.max(max, maxDifference(canvas.pixels, reference.pixels));
        if (pydicom) {
          const size = canvas.pixels.length;
          assert.equal(maxDifference(canvas.pixels, pydicom.slice(index * size, (index + 1) * size)), 0, `frame ${index + 1}: the canvas differs from pydicom's convert_color_space`);
        }
      }
      process.stdout.write(`# ${planned.label}: max |canvas − ${planned.how}| ${max} over frame ${frames}\n`);
      tally.files++;
      tally.frames += planned.picked.length;
      if (planned.gap) tally.gaps.push(`${planned.label}: max ${max}`);
      else if (!planned.ybr && planned.levels === undefined) tally.grey = Math.max(tally.grey, max);
      assert.ok(max <= levels, `${planned.label}: the canvas is ${max} levels from dcm2pnm`);
    });
  }
}
