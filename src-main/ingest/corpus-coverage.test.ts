// One corpus, two oracles: every file under shared/data/dicom and every re-encoding dcmtk and gdcm write of its images
// decodes to an independent decoder's stored values (exact when lossless, a PSNR floor when lossy), and what the Viewer
// paints for every frame is within one grey level of dcm2pnm with the same window. The paint is computed with the
// renderer's own pure mapping (voi.ts) here; e2e/viewer-corpus.test.ts holds the Viewer's canvas in Chromium to
// dcm2pnm for every original on the frames the table lists. ANGIO_WRITE_COVERAGE=1 writes the measured table to
// docs/dicom-coverage.md.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from '../dicom/dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame, type ImageDescription } from '../dicom/image.ts';
import { type CoverageRow, writeCoverageTable } from '../dicom/testing/coverage-table.ts';
import { dcm2pnmFrames, implicitVrCopy, pydicomYbrAsRgb, type PnmImage } from '../dicom/testing/independent-decoders.ts';
import { ORACLE_TOOL } from '../dicom/testing/oracle.ts';
import { frameSubset, reEncode, requireEncoders, RE_ENCODINGS, type Recipe } from '../dicom/testing/re-encodings.ts';
import { compareStoredValues, type StoredValueResult } from '../dicom/testing/stored-values.ts';
import { lookupTransferSyntax, type DecoderKey } from '../dicom/transfer-syntaxes.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { canvasFramesChecked, dcm2pnmWindow, openingWindow, viewerFrameOf, viewerScreen } from './testing/viewer-screen.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
const work = mkdtempSync(join(tmpdir(), 'angio-corpus-'));

/** Non-image objects and damaged files: the app rejects them with these codes (dcmtk's verdict in the reason). */
const EXPECTED_REJECTIONS: Record<string, { code: string; why: string }> = {
  'misc/MR_truncated.dcm': { code: 'dicom-truncated', why: 'damaged: Pixel Data runs past the end of the file (dcmtk: premature end of stream)' },
  'misc/emri_small_jpeg_2k_lossless_too_short.dcm': { code: 'dicom-truncated', why: 'damaged: no sequence delimiter (dcmtk: Sequence Delimitation Item missing)' },
  'misc/ExplVR_LitEndNoMeta.dcm': { code: 'dicom-no-pixel-data', why: 'not an image: RT Ion Plan, no Pixel Data (dcm2pnm: no pixel data found)' },
  'misc/meta_missing_tsyntax.dcm': { code: 'dicom-no-pixel-data', why: 'not an image: no Rows, Columns or photometric (dcm2pnm: missing attribute)' },
  'misc/badVR.dcm': { code: 'dicom-unsupported-syntax', why: 'not an angiography image: RT Dose, 32-bit grey dose grid (dcm2pnm renders it; listed, not imported)' },
};

// Lossy decoders may round differently from the oracle's (IDCT, wavelet, colour conversion), never by more than this
// (dB over the stored range; 40 dB on 8 bits is an RMS error of 2.5 levels). The PSNR against the values that were
// encoded is the encoder's fidelity, not the decoder's: it is reported, not asserted.
const LOSSY_FLOOR_DB = 40;
/** Long runs are re-encoded as their first, middle and last frame (all frames of the original are checked). */
const LONG_RUN = 12;

interface Decoded {
  image: ImageDescription;
  frames: DecodedFrame[];
  uid: string;
  syntax: string;
  decoder: DecoderKey;
  lossy: boolean;
}

async function decodeAll(path: string, label: string): Promise<Decoded> {
  const parsed = readDicom(readFileSync(path), label);
  const image = describeImage(parsed, label);
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < image.numberOfFrames; i++) frames.push(await decodeFrame(parsed, image, i, label));
  const { uid, name, decoder, lossy } = parsed.transferSyntax;
  return { image, frames, uid, syntax: name, decoder, lossy };
}

interface Original extends Decoded {
  file: string;
  path: string;
  /** The oracle's uncompressed copy: the stored-value reference and the source of every re-encoding. */
  uncompressed: string;
  oracleTool: string;
}

const originals: Original[] = [];
const rejections = new Map<string, { code: string; message: string }>();
const rows: CoverageRow[] = [];
const failures: string[] = [];
const storedOf = new Map<string, string>();

const everyIndex = (count: number): number[] => Array.from({ length: count }, (_, i) => i);
const db = (value: number | null): string => (value === null ? '∞' : value.toFixed(1));

before(async () => {
  requireEncoders();
  for (const folder of ['xa', 'misc']) {
    for (const name of readdirSync(join(dicomDir, folder)).sort()) {
      const file = `${folder}/${name}`;
      const path = join(dicomDir, file);
      let decoded: Decoded;
      try {
        decoded = await decodeAll(path, file);
      } catch (error) {
        rejections.set(file, { code: String((error as { code?: string }).code ?? 'thrown'), message: (error as Error).message });
        continue;
      }
      // Outside the try: an oracle that cannot run fails the test rather than passing for a rejection.
      const oracle = oracleCopy(decoded.uid, path);
      originals.push({ ...decoded, file, path, uncompressed: oracle.path, oracleTool: oracle.tool });
    }
  }
});

// The re-encodings and oracle copies take a few hundred MB.
after(() => rmSync(work, { recursive: true, force: true }));

function storedCell(result: StoredValueResult, lossy: boolean, photometricOk: boolean, label: string, encoded = false): string {
  const problems: string[] = [];
  if (result.count <= 0) problems.push(`sample count differs from the oracle (${result.count})`);
  if (!photometricOk) problems.push(`photometric differs from the oracle's ${result.photometric}`);
  if (!lossy && result.maxAbs !== 0) problems.push(`lossless but max error ${result.maxAbs}`);
  if (lossy && result.psnr !== null && result.psnr < LOSSY_FLOOR_DB) problems.push(`PSNR ${db(result.psnr)} dB < ${LOSSY_FLOOR_DB} against the oracle`);
  for (const problem of problems) failures.push(`${label}: ${problem}`);
  if (problems.length > 0) return `FAIL: ${problems.join('; ')}`;
  if (!lossy) return `exact (${result.count} samples)`;
  const truth = result.truthComparable ? `${db(result.psnrTruth)} dB` : 'not comparable, the encoder changed the layout';
  return `lossy: PSNR ${db(result.psnr)} dB, max ${result.maxAbs}${encoded ? ` (vs values encoded: ${truth})` : ''}`;
}

/** The decoded photometric may name what the oracle wrote, or the full-resolution form of a 4:2:2 original. */
function samePhotometric(ours: string, oracle: string): boolean {
  return ours === oracle || (oracle === 'YBR_FULL_422' && ours === 'YBR_FULL');
}

test('every file in the corpus decodes, or is a non-image object or damaged file rejected with its reason', () => {
  assert.ok(originals.length >= 30, `only ${originals.length} images decoded`);
  for (const [file, { code }] of rejections) {
    const expected = EXPECTED_REJECTIONS[file];
    assert.ok(expected, `${file} is rejected (${code}: ${rejections.get(file)?.message}) although it is not a known non-image or damaged file`);
    assert.equal(code, expected.code, `${file} rejected with ${code}`);
  }
  for (const file of Object.keys(EXPECTED_REJECTIONS)) assert.ok(rejections.has(file), `${file} should be rejected, but it decoded`);
});

test('every frame of every original decodes to the oracle\'s stored values (exact when lossless)', () => {
  const results = compareStoredValues(originals.map((o) => ({ oracle: o.uncompressed, ours: o.frames.map((f) => f.pixels), frames: everyIndex(o.frames.length), bitsStored: o.image.bitsStored })));
  for (const [index, original] of originals.entries()) {
    const result = results[index] as StoredValueResult;
    assert.equal(result.oracleFrames, original.frames.length, `${original.file}: frame count differs from the oracle`);
  }
  const bad = failures.length;
  for (const [index, original] of originals.entries()) {
    const result = results[index] as StoredValueResult;
    const cell = storedCell(result, original.lossy, samePhotometric(original.frames[0]?.photometric ?? '', result.photometric), original.file);
    storedOf.set(original.file, `${cell}; oracle ${original.oracleTool}`);
  }
  assert.deepEqual(failures.slice(bad), []);
});

const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);

interface OracleCopy {
  path: string;
  /** The command that decoded it, for the table. */
  tool: string;
}

/** One independent decoder's uncompressed copy of `file`. */
function decodeWith(argv: (input: string, output: string) => string[], file: string): OracleCopy {
  const output = join(mkdtempSync(join(work, 'oracle-')), 'decoded.dcm');
  const [command, ...args] = argv(file, output) as [string, ...string[]];
  runOracle(command, args, { subject: file });
  return { path: output, tool: [command, ...args.slice(0, -2)].join(' ') };
}

/**
 * The independent decoders' uncompressed copy of `file`: dcmtk's (dcmdjpeg for the retired JPEG processes the app may
 * not list), else gdcm's where dcmtk cannot (gdcm writes 16-bit lossy JPEG, which dcmdjpeg refuses). Lossless JPEG
 * colour stays as stored (dcmdjpeg +cn), as gdcm and pydicom leave it: dcmdjpeg's default would turn YBR_FULL into
 * RGB, which is neither lossless nor what the file stores.
 */
function oracleCopy(uid: string, file: string): OracleCopy {
  const key = lookupTransferSyntax(uid)?.decoder ?? 'jpeg-ijg';
  const first = JPEG_LOSSLESS.has(uid) ? (i: string, o: string) => ['dcmdjpeg', '+cn', i, o] : ORACLE_TOOL[key];
  try {
    return decodeWith(first, file);
  } catch (error) {
    if (key === 'jpeg-2000') throw error;
    return decodeWith((i, o) => ['gdcmconv', '--raw', i, o], file);
  }
}

/** Copies an encoder writes outside PS3.5, which the app refuses with a reason, and why they cannot be held to the rule. */
const NONCONFORMANT_COPIES: Record<string, string> = {
  'misc/label_seg_1bit.dcm via gdcmconv --jpeg':
    'gdcm compresses the packed 1-bit bytes as 8-bit JPEG samples; gdcmconv --raw unpacks them again, dcmdjpeg returns the bytes as 8-bit pixels: no agreed value to match',
};

interface Copy {
  source: Original;
  recipe: Recipe;
  frames: string;
  syntax: string;
  decoder: string;
  /** The table cell: the measured result, or why nothing was compared (the encoder refused, no decoder read it). */
  outcome?: string;
  result?: StoredValueResult;
  check?: { oracle: string; tool: string; ours: ArrayLike<number>[]; frames: number[]; bitsStored: number; truth: string; lossy: boolean; photometric: string };
}

const copies: Copy[] = [];
/** Originals whose stored values equal an earlier original's share its re-encodings. */
const sameAs = new Map<string, string>();

async function reEncodeOne(source: Original, input: string, frames: string, recipe: Recipe, index: number): Promise<Copy> {
  const output = join(work, `${index}.dcm`);
  const copy: Copy = { source, recipe, frames, syntax: lookupTransferSyntax(recipe.uid)?.name ?? recipe.uid, decoder: '—' };
  const refused = reEncode(recipe, input, output);
  // The scratch folder's random name would make the table differ on every regeneration.
  if (refused) return { ...copy, outcome: `tool refused: ${refused.refused.replaceAll(tmpdir(), '$TMPDIR').replace(/angio-corpus-[\w]+/g, 'angio-corpus').replace(/oracle-[\w]+/g, 'oracle')}` };
  let oracle: OracleCopy | null = null;
  try {
    oracle = oracleCopy(recipe.uid, output);
  } catch (error) {
    copy.outcome = `neither dcmtk nor gdcm decodes it: ${(error as Error).message.split('\n')[0]?.slice(0, 100)}`;
  }
  try {
    const decoded = await decodeAll(output, `${source.file} via ${recipe.name}`);
    copy.syntax = decoded.syntax;
    copy.decoder = decoded.decoder;
    if (!oracle) return copy;
    const indices = everyIndex(decoded.frames.length);
    return { ...copy, check: { oracle: oracle.path, tool: oracle.tool, ours: decoded.frames.map((f) => f.pixels), frames: indices, bitsStored: decoded.image.bitsStored, truth: input, lossy: recipe.lossy || decoded.lossy, photometric: decoded.frames[0]?.photometric ?? '' } };
  } catch (error) {
    const label = `${source.file} via ${recipe.name}`;
    const nonconformant = NONCONFORMANT_COPIES[label];
    if (nonconformant) return { ...copy, outcome: `rejected (${(error as { code?: string }).code}), non-conformant: ${nonconformant}` };
    if (oracle) failures.push(`${label}: the oracle decodes it, the app rejects it: ${(error as Error).message}`);
    return { ...copy, outcome: `${oracle ? 'FAIL: app rejects what the oracle decodes' : 'app rejects it too'}: ${(error as Error).message.slice(0, 120)}` };
  }
}

test('every image re-encoded by dcmtk and gdcm into every syntax they write decodes to the oracle\'s stored values', async () => {
  const bad = failures.length;
  const seen = new Map<string, string>();
  let index = 0;
  for (const source of originals) {
    const hash = createHash('sha256');
    hash.update(`${source.image.columns}x${source.image.rows}/${source.frames[0]?.photometric}/${source.frames[0]?.bitsAllocated}/${source.frames.length}`);
    for (const frame of source.frames) hash.update(new Float64Array(frame.pixels));
    const digest = hash.digest('hex');
    const earlier = seen.get(digest);
    if (earlier) {
      sameAs.set(source.file, earlier);
      continue;
    }
    seen.set(digest, source.file);
    let input = source.uncompressed;
    let frames = `all ${source.frames.length}`;
    if (source.frames.length > LONG_RUN) {
      const picked = [0, Math.floor(source.frames.length / 2), source.frames.length - 1];
      input = join(work, `subset-${index}.dcm`);
      frameSubset(source.uncompressed, picked, input);
      frames = `${picked.map((i) => i + 1).join(', ')} of ${source.frames.length}`;
    }
    for (const recipe of RE_ENCODINGS) copies.push(await reEncodeOne(source, input, frames, recipe, index++));
  }
  const checked = copies.filter((copy) => copy.check);
  const results = compareStoredValues(checked.map((copy) => copy.check!));
  for (const [i, copy] of checked.entries()) {
    const result = results[i] as StoredValueResult;
    const { lossy, photometric } = copy.check!;
    copy.result = result;
    copy.outcome = `${storedCell(result, lossy, samePhotometric(photometric, result.photometric), `${copy.source.file} via ${copy.recipe.name}`, true)}; oracle ${copy.check!.tool}`;
  }
  process.stdout.write(`# re-encodings: ${copies.length} tried, ${checked.length} compared, ${copies.filter((c) => c.outcome?.startsWith('tool refused')).length} refused by the tool\n`);
  assert.deepEqual(failures.slice(bad), []);
});

const screenOf = new Map<string, string>();
let screenWorst = 0;

// dcmtk converts 8-bit YBR_FULL with per-term integer tables (each chroma term truncated toward zero, chroma centred on
// 127.5), up to 2 levels from PS3.3 C.7.6.3.1.2's equations; pydicom's convert_color_space follows the equations and
// is the exact oracle there, dcm2pnm is held to its own truncation error.
const YBR_DCM2PNM_LEVELS = 2;

test('what the Viewer paints for every frame of every original is within one grey level of dcm2pnm', () => {
  const bad = failures.length;
  let worst = 0;
  for (const original of originals) {
    // dcm2pnm renders uncompressed data only (dcmj2pnm adds dcmtk's codecs, not JPEG 2000): it renders the oracle's
    // uncompressed copy of compressed files, and reads 32-bit samples only as OW.
    let rendered = original.decoder === 'native' ? original.path : original.uncompressed;
    if (original.frames[0]?.bitsAllocated === 32) rendered = implicitVrCopy(rendered);
    const viewers = original.frames.map((frame) => viewerFrameOf(frame, original.image));
    const { source, window } = openingWindow(viewers[0]!, original.image);
    const options = dcm2pnmWindow(source, window);
    let dcmtk: PnmImage[];
    try {
      dcmtk = dcm2pnmFrames(rendered, options);
    } catch (error) {
      screenOf.set(original.file, `dcm2pnm does not render it: ${(error as Error).message.split('\n')[0]?.slice(0, 100)}`);
      continue;
    }
    assert.equal(dcmtk.length, viewers.length, `${original.file}: dcm2pnm rendered ${dcmtk.length} frames`);
    let max = 0;
    const shownFrames = viewers.map((viewer) => viewerScreen(viewer, window));
    for (const [index, shown] of shownFrames.entries()) {
      const expected = dcmtk[index]!;
      assert.equal(shown.channels, expected.channels, `${original.file}: grey/colour differs from dcm2pnm`);
      assert.equal(shown.pixels.length, expected.pixels.length, `${original.file}: size differs from dcm2pnm`);
      for (let i = 0; i < shown.pixels.length; i++) max = Math.max(max, Math.abs(shown.pixels[i]! - expected.pixels[i]!));
    }
    let how = source === 'colour' ? 'colour' : `${source}, dcm2pnm ${options.join(' ')}`;
    let allowed = 1;
    if (original.frames[0]?.photometric.startsWith('YBR_FULL')) {
      const pydicom = pydicomYbrAsRgb(original.path);
      const ours = shownFrames.flatMap((shown) => [...shown.pixels]);
      const exact = ours.length === pydicom.length && ours.every((v, i) => v === pydicom[i]);
      if (!exact) failures.push(`${original.file}: the Viewer's RGB differs from pydicom's convert_color_space`);
      how += `; exactly pydicom's YBR→RGB: ${exact}`;
      allowed = YBR_DCM2PNM_LEVELS;
    } else {
      worst = Math.max(worst, max);
    }
    screenOf.set(original.file, `${max <= allowed ? '' : 'FAIL: '}max ${max} (${how})`);
    if (max > allowed) failures.push(`${original.file}: the Viewer paints ${max} grey levels from dcm2pnm ${options.join(' ')}`);
  }
  screenWorst = worst;
  process.stdout.write(`# screen: worst max |viewer − dcm2pnm| ${worst} over ${screenOf.size} files (YBR_FULL apart)\n`);
  assert.deepEqual(failures.slice(bad), []);
});

test('the coverage table lists every file and re-encoding (written to docs/ with ANGIO_WRITE_COVERAGE=1)', () => {
  for (const original of originals) {
    const stored = storedOf.get(original.file) ?? 'not compared';
    const shared = sameAs.get(original.file);
    rows.push({
      file: original.file,
      encoding: shared ? `original (same values as ${shared}: re-encodings listed there)` : 'original',
      syntax: original.syntax,
      decoder: original.decoder,
      frames: `all ${original.frames.length}`,
      stored,
      screen: screenOf.get(original.file) ?? 'not rendered',
      chromium: `frame ${canvasFramesChecked(original.frames.length).map((i) => i + 1).join(', ')}`,
    });
  }
  for (const [file, { code, message }] of rejections) {
    rows.push({ file, encoding: 'original', syntax: '—', decoder: '—', frames: '—', stored: `rejected (${code}): ${EXPECTED_REJECTIONS[file]?.why ?? message}`, screen: '—', chromium: '—' });
  }
  for (const copy of copies) {
    rows.push({ file: copy.source.file, encoding: copy.recipe.name, syntax: copy.syntax, decoder: copy.decoder, frames: copy.frames, stored: copy.outcome ?? '—', screen: '—', chromium: '—' });
  }
  const compared = copies.filter((c) => c.check && c.result);
  const lossless = compared.filter((c) => !c.check!.lossy);
  const lossy = compared.filter((c) => c.check!.lossy);
  const psnrs = lossy.map((c) => c.result!.psnr).filter((v): v is number => v !== null);
  const encoded = lossy.filter((c) => c.result!.truthComparable && c.result!.psnrTruth !== null).map((c) => c.result!.psnrTruth as number);
  const summary = [
    `${originals.length} images decoded (${originals.reduce((n, o) => n + o.frames.length, 0)} frames), ${rejections.size} files rejected as expected.`,
    `${copies.length} re-encodings tried (${new Set(copies.map((c) => c.source.file)).size} distinct images × ${RE_ENCODINGS.length} encoder settings): ${compared.length} compared with an independent decoder, ${copies.filter((c) => c.outcome?.startsWith('tool refused')).length} refused by the encoder.`,
    `Lossless: ${lossless.filter((c) => c.result!.maxAbs === 0).length} of ${lossless.length} exact. Lossy: ${lossy.length}, ${lossy.length - psnrs.length} identical to the oracle's decode, worst PSNR against it ${psnrs.length ? `${Math.min(...psnrs).toFixed(1)} dB` : '∞'} (floor ${LOSSY_FLOOR_DB} dB); against the values encoded ${encoded.length ? `${Math.min(...encoded).toFixed(1)}–${Math.max(...encoded).toFixed(1)} dB` : '—'} (the encoders' fidelity, reported only).`,
    `Screen: ${screenOf.size} originals against dcm2pnm, worst max |Viewer − dcm2pnm| ${screenWorst} grey levels (YBR_FULL apart: exact against pydicom, within dcmtk's own ${YBR_DCM2PNM_LEVELS}-level truncation of dcm2pnm).`,
    `Failures: ${failures.length === 0 ? 'none' : failures.join('; ')}.`,
  ];
  for (const line of summary) process.stdout.write(`# ${line}\n`);
  assert.ok(rows.length >= originals.length + copies.length);
  if (process.env.ANGIO_WRITE_COVERAGE === '1') writeCoverageTable(join(import.meta.dirname, '..', '..', 'docs', 'dicom-coverage.md'), rows, summary);
});
