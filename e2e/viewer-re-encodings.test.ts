// What the Viewer paints in Chromium for the re-encodings of the corpus: each image of ../shared/data/dicom re-encoded
// at test time by dcmtk and gdcm into every transfer syntax they write (the copies src-main/ingest/corpus-coverage.test.ts
// holds to the oracles' stored values), and its canvas (first frame; first, middle and last of a multi-frame copy)
// compared with dcm2pnm of the independent decoder's uncompressed copy of the same file under the window the Viewer
// opens with, within one grey level. A lossy copy is compared with dcm2pnm of the oracle's decode of that same lossy
// stream. YBR_FULL is held to pydicom's conversion exactly and to dcm2pnm within dcmtk's own truncation, as for the
// originals in e2e/viewer-corpus.test.ts.
//
// Every copy dcm2pnm renders is painted on the screen-check page (e2e/support/screen-check.ts): decoded by the code
// behind the library.frame route and drawn by the Viewer's own store and FrameCanvas, hundreds of files in one page
// load. One copy per encoder setting also goes the whole way, imported through the Library and opened in the Viewer,
// so the catalog path is held to the same check for every transfer syntax written.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { readDicom } from '../src-main/dicom/dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame } from '../src-main/dicom/image.ts';
import { KNOWN_SCREEN_GAPS, STANDARD_DIFFERENCES, oracleCopy, planReEncodings, storedValuesDigest, type PlannedCopy } from '../src-main/dicom/testing/re-encoded-corpus.ts';
import { RE_ENCODINGS, reEncode, requireEncoders } from '../src-main/dicom/testing/re-encodings.ts';
import { requireTool } from '../src-main/testing/oracle-tool.ts';
import { launchChromium } from './support/browser.ts';
import { CorpusCanvas, throughTheLibrary } from './support/corpus-canvas.ts';
import { ScreenCheck } from './support/screen-check.ts';
import { readFirstFrame, screenPlan, screenTests, ScreenTally, type FirstFrame, type ScreenPlan } from './support/screen-tests.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
const work = mkdtempSync(join(tmpdir(), 'angio-re-encodings-'));

interface CopyPlan extends ScreenPlan {
  recipe: string;
}

const skipped = { refused: 0, noOracle: 0, appRejects: [] as string[] };

/** The originals the app decodes, one per distinct set of stored values, with the oracle's uncompressed copy. */
async function sources(): Promise<{ file: string; uncompressed: string; frameCount: number; digest: string }[]> {
  const found = [];
  for (const folder of ['xa', 'misc']) {
    for (const name of readdirSync(join(dicomDir, folder)).sort()) {
      const file = `${folder}/${name}`;
      const path = join(dicomDir, file);
      let frames: DecodedFrame[];
      let parsed;
      let image;
      try {
        parsed = readDicom(readFileSync(path), file);
        image = describeImage(parsed, file);
        frames = [];
        for (let i = 0; i < image.numberOfFrames; i++) frames.push(await decodeFrame(parsed, image, i, file));
      } catch {
        continue; // non-images and damaged files: their rejection is the unit test's
      }
      // Outside the try: an oracle that cannot run fails the test rather than passing for a rejection.
      const oracle = oracleCopy(parsed.transferSyntax.uid, path, work);
      found.push({ file, uncompressed: oracle.path, frameCount: frames.length, digest: storedValuesDigest(image, frames) });
    }
  }
  return found;
}

/** Every re-encoding corpus-coverage.test.ts makes that some decoder besides ours reads and the app decodes. */
async function plan(): Promise<CopyPlan[]> {
  requireEncoders();
  requireTool('dcm2pnm');
  const planned: CopyPlan[] = [];
  const folder = join(work, 'copies');
  mkdirSync(folder);
  for (const [index, copy] of planReEncodings(await sources(), folder).copies.entries()) {
    const one = await planCopy(copy, index);
    if (one) planned.push(one);
  }
  return planned;
}

/** One re-encoding written, decoded by an independent decoder and by the app, with what dcm2pnm is asked; or null. */
async function planCopy(copy: PlannedCopy, index: number): Promise<CopyPlan | null> {
  const label = `${copy.source} via ${copy.recipe.name}`;
  if (reEncode(copy.recipe, copy.input, copy.output)) {
    skipped.refused++;
    return null;
  }
  let oracle: string;
  try {
    oracle = oracleCopy(copy.recipe.uid, copy.output, work).path;
  } catch {
    skipped.noOracle++;
    return null;
  }
  let read: FirstFrame;
  try {
    read = await readFirstFrame(copy.output, label);
  } catch {
    // The stored-value test holds each such copy to the import rule (a non-conformant stream, listed there).
    skipped.appRejects.push(label);
    return null;
  }
  const levels = STANDARD_DIFFERENCES[label]?.levels;
  const gap = KNOWN_SCREEN_GAPS[label];
  return {
    ...screenPlan(read, { label, path: copy.output, name: `${index}.dcm`, pydicomSource: oracle, uncompressed: () => oracle }),
    ...(levels === undefined ? {} : { levels }),
    ...(gap === undefined ? {} : { gap }),
    recipe: copy.recipe.name,
  };
}

/** One copy per encoder setting for the whole app path, from originals with distinct UIDs where they can be: few libraries. */
function librarySample(copies: readonly CopyPlan[]): CopyPlan[] {
  const sample = new Map<string, CopyPlan>();
  const uids = new Set<string>();
  for (const copy of copies) {
    if (sample.has(copy.recipe) || uids.has(copy.uid)) continue;
    sample.set(copy.recipe, copy);
    uids.add(copy.uid);
  }
  for (const copy of copies) if (!sample.has(copy.recipe)) sample.set(copy.recipe, copy);
  return [...sample.values()];
}

const planningStarted = performance.now();
const copies = await plan();
const planningSeconds = (performance.now() - planningStarted) / 1000;
const sample = librarySample(copies);

let browser: Browser;
let screen: ScreenCheck;
let canvas: CorpusCanvas;
let chromiumStarted = 0;
const everyCopy = new ScreenTally();
const library = throughTheLibrary(sample, () => canvas);
const sampled = new ScreenTally();

before(async () => {
  browser = await launchChromium();
  chromiumStarted = performance.now();
  screen = await ScreenCheck.start(browser);
  canvas = new CorpusCanvas(browser);
});

after(async () => {
  await screen?.close();
  await canvas?.close();
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

screenTests(copies, (planned, frames, channels) => screen.paint(planned.path, frames, channels), everyCopy, "the Viewer's canvas");

let screenSeconds = 0;
test('every re-encoding was painted on the screen-check page without script errors', () => {
  screenSeconds = (performance.now() - chromiumStarted) / 1000;
  process.stdout.write(
    `# Chromium: ${everyCopy.files} re-encodings, ${everyCopy.frames} frames, worst max |canvas − dcm2pnm| ${everyCopy.grey} (YBR_FULL, standard differences and known gaps apart); ` +
      `known gaps: ${everyCopy.gaps.join('; ') || 'none'}; ` +
      `${skipped.refused} refused by the encoder, ${skipped.noOracle} read by no independent decoder, app rejects ${skipped.appRejects.length} (${skipped.appRejects.join('; ')}); ` +
      `re-encoding and oracles ${planningSeconds.toFixed(0)} s, screen-check page ${screenSeconds.toFixed(0)} s\n`,
  );
  assert.ok(copies.length >= 400, `only ${copies.length} re-encodings planned`);
  assert.equal(everyCopy.files, copies.length);
  assert.deepEqual(screen.pageErrors, []);
});

screenTests(library.ordered, library.paint, sampled, 'the Viewer after import');

test('one copy per encoder setting went through the Library and the Viewer without script errors', async () => {
  await canvas.close();
  const librarySeconds = (performance.now() - chromiumStarted) / 1000 - screenSeconds;
  process.stdout.write(`# Library and Viewer: ${sampled.files} re-encodings in ${library.libraries} libraries, worst max |canvas − dcm2pnm| ${sampled.grey}, ${librarySeconds.toFixed(0)} s\n`);
  assert.deepEqual(new Set(sample.map((copy) => copy.recipe)), new Set(RE_ENCODINGS.map((recipe) => recipe.name)), 'encoder settings with no copy through the Library');
  assert.equal(sampled.files, sample.length);
  assert.deepEqual(canvas.pageErrors, []);
});
