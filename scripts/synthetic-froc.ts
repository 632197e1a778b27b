// The synthetic FROC of docs/results.md: every held-out P-ADSD test patch (positive and negative) pasted once, with
// smooth blending, into frames of the real XA cine run at seeded places; each frame scanned as Predict and the
// report scan it (windows of the model's input side, half-window stride); FROC against the pasted positives.
// Usage: node scripts/synthetic-froc.ts [--model <model.angio>] [--seed N] [--out result.json]
// The default model is the demo's SSL-Quantum run (`npm run demo` writes demo-output/runs/ssl-quantum-seed1).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, sharedDataDir } from '../src-main/app/index.ts';
import { planPlacements, syntheticFroc, type PatchRef } from '../src-main/experiments/synthetic-froc/index.ts';
import { InferenceService, readGreyImage, toGrey8 } from '../src-main/inference/index.ts';
// The frame reader and the plain window scan are inference's internals: this script measures exactly them.
import { openDicomFrames } from '../src-main/inference/dicom-frames.ts';
import { scanFrame } from '../src-main/inference/scanning/frame-scan.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(projectRoot(), 'demo-output', 'runs', 'ssl-quantum-seed1', 'model.angio') },
    seed: { type: 'string', default: '22' },
    out: { type: 'string' },
  },
});
const modelPath = resolve(values.model!);
const testRoot = join(sharedDataDir(), 'p-adsd', 'labeled', 'test');
const cinePath = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
const POSITIVES_PER_FRAME = 2;
const NEGATIVES_PER_FRAME = 2;

async function patchRefs(label: 'positive' | 'negative'): Promise<PatchRef[]> {
  const names = readdirSync(join(testRoot, label)).filter((name) => name.endsWith('.png')).sort();
  return Promise.all(names.map(async (name) => {
    const image = await readGreyImage(join(testRoot, label, name));
    return { id: join(label, name), label, width: image.width, height: image.height };
  }));
}

const service = new InferenceService({ appRoot: projectRoot() });
try {
  if (!existsSync(modelPath)) throw new Error(`no model file at ${modelPath}: run \`npm run demo\` first (it writes that file), or pass --model <model.angio>`);
  const runtime = await service.model(modelPath);
  const window = runtime.imageSize;
  const cine = await openDicomFrames(cinePath);
  const [positives, negatives] = await Promise.all([patchRefs('positive'), patchRefs('negative')]);
  const frameCount = Math.ceil(Math.max(positives.length / POSITIVES_PER_FRAME, negatives.length / NEGATIVES_PER_FRAME));
  if (frameCount > cine.frameCount) throw new Error(`${frameCount} frames needed, the run has ${cine.frameCount}`);
  // Host frames spread evenly over the run, so early (little contrast) and late frames both take part.
  const frames = Array.from({ length: frameCount }, (_, i) => Math.floor((i * cine.frameCount) / frameCount));
  const plans = planPlacements(positives, negatives, {
    frameWidth: cine.width,
    frameHeight: cine.height,
    frames,
    positivesPerFrame: POSITIVES_PER_FRAME,
    negativesPerFrame: NEGATIVES_PER_FRAME,
    gap: window,
    seed: Number(values.seed),
  });
  const started = performance.now();
  const result = await syntheticFroc({
    plans,
    readFrame: async (index) => {
      const frame = await cine.readFrame(index);
      return { width: frame.width, height: frame.height, pixels: toGrey8(frame) };
    },
    readPatch: async (placement) => {
      const patch = await readGreyImage(join(testRoot, placement.id));
      return { width: patch.width, height: patch.height, pixels: toGrey8(patch) };
    },
    scan: async (image) => ({ heatmap: (await scanFrame(runtime, image, { patchSize: window, stride: window >> 1 })).heatmap, windowPixels: window }),
    onFrame: (done, total) => process.stderr.write(`\rscanned ${done}/${total} frames`),
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical cores`;
  const fpTotal = result.falsePositives.onPastedNegative + result.falsePositives.onBackground;
  console.log(`model ${modelPath} (${runtime.manifest.modelVersion})`);
  console.log(`${result.frames} frames of ${cinePath}, ${result.lesions} pasted lesions, ${result.negatives} pasted negatives, window ${result.windowPixels} px, seed ${values.seed}; ${seconds.toFixed(0)} s on ${machine}`);
  console.log('| FP per frame | sensitivity | threshold |');
  console.log('| --- | --- | --- |');
  for (const r of result.atFpRates) console.log(`| ${r.fpPerFrame} | ${r.sensitivity.toFixed(3)} (${Math.round(r.sensitivity * result.lesions)}/${result.lesions}) | ${r.threshold === null ? '—' : r.threshold.toFixed(3)} |`);
  const lowest = result.score.froc.at(-1);
  console.log(`at the lowest threshold (${result.score.candidates.length} candidates, ≤ 10 per frame): sensitivity ${lowest?.sensitivity.toFixed(3) ?? '—'}, ${fpTotal} false positives (${result.falsePositives.onPastedNegative} on pasted negatives, ${result.falsePositives.onBackground} on the host frames)`);
  const median = (label: 'positive' | 'negative') => {
    const peaks = result.pastedPeaks.filter((p) => p.label === label).map((p) => p.peak).sort((a, b) => a - b);
    return peaks[Math.floor(peaks.length / 2)]!;
  };
  console.log(`highest heatmap value inside each pasted box: median ${median('positive').toFixed(3)} on lesions, ${median('negative').toFixed(3)} on negatives; AUC lesions vs negatives ${result.pastedAuc.toFixed(3)}`);
  if (values.out) {
    const { score, ...summary } = result;
    writeFileSync(values.out, JSON.stringify({ modelPath, modelVersion: runtime.manifest.modelVersion, cinePath, seed: Number(values.seed), machine, seconds, ...summary, froc: score.froc, plans }, null, 2) + '\n');
  }
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(`synthetic FROC failed: ${code ? `[${code}] ` : ''}${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await service.close();
}
