// The native JPEG lossless decoder (src-main/native/jpeg) against dcmdjpeg, computed at test time: every JPEG
// lossless file of the corpus, and uncompressed corpus images re-encoded by dcmcjpeg with each predictor (selection
// value 1–7), point transforms, and by gdcmconv --jpeg. Every frame must match exactly.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { projectRoot, sharedDataDir } from '../../app/paths.ts';
import { loadAddon } from '../../native/load.ts';
import { runOracle } from '../../testing/oracle-tool.ts';
import { readDicom } from '../dataset.ts';
import { decodeFrame, describeImage, encodedFrame } from '../image.ts';
import { compareStoredValues } from '../testing/stored-values.ts';
import { jpegLosslessDecoder } from './jpeg-lossless.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
const work = mkdtempSync(join(tmpdir(), 'angio-jpeg-lossless-'));
after(() => rmSync(work, { recursive: true, force: true }));

const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);

/** Uncompressed corpus images spanning what lossless JPEG carries: 8/12/16-bit, signed, grey, palette, RGB, YBR, planar, multi-frame. */
const SOURCES = ['xa/XA1_UNC.dcm', 'misc/MR_small.dcm', 'misc/emri_small.dcm', 'misc/OT-PAL-8-face.dcm', 'misc/SC_rgb_2frame.dcm', 'misc/SC_ybr_full_uncompressed.dcm', 'misc/color-pl.dcm'];

const ENCODERS: { name: string; argv: string[] }[] = [
  { name: 'dcmcjpeg +e1', argv: ['dcmcjpeg', '+e1'] },
  ...[1, 2, 3, 4, 5, 6, 7].map((sv) => ({ name: `dcmcjpeg +el +sv ${sv}`, argv: ['dcmcjpeg', '+el', '+sv', String(sv)] })),
  { name: 'dcmcjpeg +el +sv 7 +pt 3', argv: ['dcmcjpeg', '+el', '+sv', '7', '+pt', '3'] },
  { name: 'dcmcjpeg +el +sv 1 +pt 1', argv: ['dcmcjpeg', '+el', '+sv', '1', '+pt', '1'] },
  { name: 'gdcmconv --jpeg', argv: ['gdcmconv', '--jpeg'] },
];

interface Stream {
  label: string;
  path: string;
}

function corpusStreams(): Stream[] {
  const streams: Stream[] = [];
  for (const folder of ['xa', 'misc']) {
    for (const name of readdirSync(join(dicomDir, folder)).sort()) {
      const path = join(dicomDir, folder, name);
      let uid;
      try {
        uid = readDicom(readFileSync(path), name).transferSyntax.uid;
      } catch {
        continue;
      }
      if (JPEG_LOSSLESS.has(uid)) streams.push({ label: `${folder}/${name}`, path });
    }
  }
  return streams;
}

function reEncodedStreams(): Stream[] {
  const streams: Stream[] = [];
  for (const [s, source] of SOURCES.entries()) {
    for (const [e, encoder] of ENCODERS.entries()) {
      const output = join(work, `${s}-${e}.dcm`);
      const [command, ...args] = encoder.argv as [string, ...string[]];
      runOracle(command, [...args, join(dicomDir, source), output], { subject: source });
      streams.push({ label: `${source} via ${encoder.name}`, path: output });
    }
  }
  return streams;
}

interface NativeAddon {
  version(): string;
  jpegLosslessDecode(stream: Uint8Array, bitsAllocated: 8 | 16): { precision: number; predictor: number; pointTransform: number };
}

/** Every frame through the app's decode path (the native decoder, then Bits Stored and sign), with dcmdjpeg's copy. */
async function decodeAgainstDcmdjpeg(streams: Stream[]): Promise<{ labels: string[]; seen: Set<string> }> {
  const load = loadAddon<NativeAddon>(projectRoot());
  assert.ok(load.loaded, load.loaded ? '' : load.error);
  const seen = new Set<string>();
  const checks = [];
  for (const [i, stream] of streams.entries()) {
    const parsed = readDicom(readFileSync(stream.path), stream.label);
    assert.ok(JPEG_LOSSLESS.has(parsed.transferSyntax.uid), `${stream.label} is ${parsed.transferSyntax.name}, not JPEG lossless`);
    const image = describeImage(parsed, stream.label);
    const frames = [];
    for (let f = 0; f < image.numberOfFrames; f++) {
      const encoded = encodedFrame(parsed, image, f, stream.label);
      const header = load.addon.jpegLosslessDecode(encoded, image.bitsAllocated === 8 ? 8 : 16);
      seen.add(`P${header.precision} SV${header.predictor} Pt${header.pointTransform} ×${image.samplesPerPixel}`);
      frames.push((await decodeFrame(parsed, image, f, stream.label)).pixels);
    }
    // +cn keeps lossless colour as stored (dcmdjpeg would otherwise turn YBR_FULL into RGB).
    const oracle = join(work, `oracle-${i}.dcm`);
    runOracle('dcmdjpeg', ['+cn', stream.path, oracle], { subject: stream.label });
    checks.push({ oracle, ours: frames, frames: frames.map((_, f) => f), bitsStored: image.bitsStored });
  }
  const results = compareStoredValues(checks);
  const labels: string[] = [];
  for (const [i, result] of results.entries()) {
    const label = streams[i]!.label;
    assert.ok(result.count > 0, `${label}: sample count differs from dcmdjpeg's`);
    assert.equal(result.oracleFrames, checks[i]!.frames.length, `${label}: frame count differs from dcmdjpeg's`);
    assert.equal(result.maxAbs, 0, `${label}: max |ours − dcmdjpeg| = ${result.maxAbs} over ${result.count} samples`);
    labels.push(label);
  }
  return { labels, seen };
}

test('the decoder in use for JPEG lossless is the native one', async () => {
  await jpegLosslessDecoder.ready();
  assert.match(jpegLosslessDecoder.name, /native/);
});

test('every JPEG lossless file of the corpus decodes exactly as dcmdjpeg decodes it', async () => {
  const streams = corpusStreams();
  assert.ok(streams.length >= 2, `only ${streams.length} JPEG lossless files found in the corpus`);
  const { labels, seen } = await decodeAgainstDcmdjpeg(streams);
  process.stdout.write(`# corpus: ${labels.join(', ')} exact (${[...seen].join('; ')})\n`);
});

test('re-encodings with every predictor and point transforms, 8 to 16 bits, grey and colour, decode exactly as dcmdjpeg decodes them', async () => {
  const { labels, seen } = await decodeAgainstDcmdjpeg(reEncodedStreams());
  process.stdout.write(`# re-encodings: ${labels.length} exact; streams seen: ${[...seen].sort().join('; ')}\n`);
  const predictors = new Set([...seen].map((s) => /SV(\d)/.exec(s)?.[1]));
  for (const sv of ['1', '2', '3', '4', '5', '6', '7']) assert.ok(predictors.has(sv), `no stream used predictor ${sv}`);
  assert.ok([...seen].some((s) => !s.includes('Pt0')), 'no stream used a point transform');
  assert.ok([...seen].some((s) => s.includes('×3')), 'no colour stream');
  assert.ok([...seen].some((s) => s.startsWith('P16')), 'no 16-bit stream');
});

test('damaged streams are refused with a reason, never read out of bounds', async () => {
  await jpegLosslessDecoder.ready();
  const parsed = readDicom(readFileSync(join(dicomDir, 'xa/XA1_JPLL.dcm')), 'XA1_JPLL');
  const image = describeImage(parsed, 'XA1_JPLL');
  const stream = encodedFrame(parsed, image, 0, 'XA1_JPLL');
  const geometry = image;
  assert.throws(() => jpegLosslessDecoder.decode(stream.subarray(0, 2), geometry), /JPEG lossless stream: .*SOI|frame header/);
  assert.throws(() => jpegLosslessDecoder.decode(stream.subarray(0, 40), geometry), /JPEG lossless stream/);
  // Cut anywhere and flipped anywhere: each either decodes to a full frame (a scan cut short reads as zeros, as IJG
  // reads it) or throws an Error, never crashes the process.
  for (let cut = 0; cut < stream.length; cut += Math.max(1, Math.floor(stream.length / 97))) {
    const damaged = stream.slice();
    damaged[cut] = (damaged[cut] as number) ^ 0x5a;
    for (const candidate of [damaged, stream.subarray(0, cut)]) {
      try {
        assert.equal(jpegLosslessDecoder.decode(candidate, geometry).samples.length, image.rows * image.columns);
      } catch (error) {
        assert.ok(error instanceof Error, String(error));
      }
    }
  }
});
