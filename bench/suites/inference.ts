// Bench suite for inference: batch-32 scoring including the quantum layer, ours (ONNX Runtime CPU +
// native simulator) against PyTorch eager on the same model, inputs and thread count; single-image readout latency
// (p50/p95); one Viewer Predict on a 64-px patch (readout, 20 MC-dropout passes and the coarse occlusion map, then the
// fine map from the same encoding of the image: readPatch); and full 512² and 1024² frames scanned with 64-pixel windows at stride 32.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { exportClassifier } from '../../src-main/inference/export/export-classifier.ts';
import { openDicomFrames } from '../../src-main/inference/dicom-frames.ts';
import { prepareBatch, readImages } from '../../src-main/inference/image-readouts.ts';
import { MC_PASSES, readPatch } from '../../src-main/inference/patch-reading.ts';
import type { GreyImage } from '../../src-main/inference/preprocess.ts';
import { decodeModelFile } from '../../src-main/inference/model-file/model-file.ts';
import { ClassifierRuntime } from '../../src-main/inference/runtime/classifier-runtime.ts';
import { scanFrame, windowsPerCall } from '../../src-main/inference/scanning/frame-scan.ts';
import { labelledPatches } from '../../src-main/inference/testing/padsd.ts';
import { readTorchWeights, torchReference } from '../../src-main/inference/testing/torch-oracle.ts';
import { TORCH_REFERENCE_DIR } from '../../src-main/testing/torch-reference/index.ts';
import type { CircuitSpec } from '../../src-main/quantum/index.ts';
import { runPython } from '../../src-main/testing/python-oracle.ts';
import type { Figure } from '../types.ts';
import { timeRepeats } from '../types.ts';

const THREADS = 2;
const BATCH = 32;
/** The engine's default quantum layer (engine/session.h ModelSpec). */
const CIRCUIT: CircuitSpec = { qubits: 8, layers: 3, rotation: 'Rot', entangler: 'cnot-ring', reupload: false };

/** The frame at twice its size (each pixel repeated 2 × 2): a 1024² frame with real angiographic content. */
function doubled(frame: GreyImage): GreyImage {
  const { width, height, pixels } = frame;
  const out = new (pixels.constructor as new (length: number) => typeof pixels)(4 * width * height);
  for (let y = 0; y < 2 * height; y++) {
    for (let x = 0; x < 2 * width; x++) out[y * 2 * width + x] = pixels[(y >> 1) * width + (x >> 1)]!;
  }
  return { ...frame, width: 2 * width, height: 2 * height, pixels: out };
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export async function inferenceSuite(options: { repeats: number; smoke: boolean }): Promise<Figure[]> {
  const repeats = options.smoke ? 1 : options.repeats;
  const dir = mkdtempSync(join(tmpdir(), 'angio-bench-inference-'));
  torchReference({ dir, seed: 1, circuit: CIRCUIT, imageSize: 64 });
  const patches = labelledPatches('test', options.smoke ? 8 : 40);
  const bytes = await exportClassifier({
    name: 'bench',
    weights: readTorchWeights(dir),
    architecture: { encoder: 'mobilenet_v2', imageSize: 64, circuit: CIRCUIT, classifierHidden: 256, dropout: 0.3 },
    threshold: 0.5,
    trainingImages: patches.map((p) => p.image),
  });
  const runtime = await ClassifierRuntime.load(decodeModelFile(bytes), { threads: THREADS });
  const figures: Figure[] = [];
  try {
    const images = Array.from({ length: BATCH }, (_, i) => patches[i % patches.length]!.image);
    const { input } = prepareBatch(runtime, images);
    const inputPath = join(dir, 'batch.f32');
    writeFileSync(inputPath, input);

    const oursSeconds = await timeRepeats(repeats * 3, () => runtime.predict(input, BATCH));
    // The batch on one session whose intra-op threads split every layer, beside ours that splits the batch over threads.
    const unsplit = await ClassifierRuntime.load(decodeModelFile(bytes), { threads: THREADS, splitBatches: false });
    const unsplitSeconds = await timeRepeats(repeats * 3, () => unsplit.predict(input, BATCH)).finally(() => unsplit.release());
    const peer = runPython<{ seconds: number[]; probabilities: number[]; torch: string }>(
      readFileSync(join(import.meta.dirname, '..', 'peers', 'inference_torch.py'), 'utf8'),
      { referenceDir: TORCH_REFERENCE_DIR, weightsDir: dir, inputPath, circuit: CIRCUIT, batch: BATCH, imageSize: 64, repeats: repeats * 3, threads: THREADS },
    );
    const ours = await runtime.predict(input, BATCH);
    const agreement = Math.max(...peer.probabilities.map((p, i) => Math.abs(p - ours.probability[i]!)));
    const medianOf = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
    figures.push(
      { name: 'batch-32 inference incl. quantum layer (ours: ORT + simulator)', unit: 'images/s', values: oursSeconds.map((s) => BATCH / s) },
      { name: 'batch-32 inference incl. quantum layer (PyTorch eager)', unit: 'images/s', values: peer.seconds.map((s) => BATCH / s), note: `torch ${peer.torch}, ${THREADS} threads` },
      {
        name: 'batch-32 inference incl. quantum layer (ours, batch not split: one ORT session, intra-op threads)',
        unit: 'images/s',
        values: unsplitSeconds.map((s) => BATCH / s),
        note: `ours splits a batch over ${THREADS} worker threads of one single-threaded session each (inference/runtime/encoder-pool.ts)`,
      },
      {
        name: 'batch-32 inference speed-up vs PyTorch eager',
        unit: 'ratio',
        values: oursSeconds.map((s, i) => (peer.seconds[i] ?? medianOf(peer.seconds)) / s),
        target: 3,
        note: `MobileNetV2 64 px, Q=8 L=3 Rot ring, ${THREADS} threads; max |ΔP| between the two ${agreement.toExponential(1)}`,
      },
    );

    const single = patches[0]!.image;
    const latencies: number[] = [];
    await readImages(runtime, [single]);
    for (let i = 0; i < (options.smoke ? 3 : 100); i++) {
      const t0 = performance.now();
      await readImages(runtime, [single]);
      latencies.push(performance.now() - t0);
    }
    figures.push(
      { name: 'single-image readout latency p50 (incl. per-qubit ablations)', unit: 'ms', values: [percentile(latencies, 0.5)], higherIsBetter: false },
      { name: 'single-image readout latency p95', unit: 'ms', values: [percentile(latencies, 0.95)], higherIsBetter: false },
    );

    // One Viewer Predict: readout with ablations, MC_PASSES dropout passes and the coarse occlusion map (what the
    // screen shows when the Predict ends), then the fine map reusing the coarse scores (what replaces it), in-process.
    const predictMs: number[] = [];
    const refineMs: number[] = [];
    const plainMs: number[] = [];
    const wholeMs: number[] = [];
    await readPatch(runtime, single, 'bench', { saliency: true });
    for (let i = 0; i < (options.smoke ? 1 : 4 * repeats); i++) {
      let t0 = performance.now();
      const reading = await readPatch(runtime, single, 'bench', { saliency: 'coarse' });
      predictMs.push(performance.now() - t0);
      t0 = performance.now();
      await reading.occlusion!.map('fine');
      refineMs.push(performance.now() - t0);
      t0 = performance.now();
      await readPatch(runtime, single, 'bench');
      plainMs.push(performance.now() - t0);
      t0 = performance.now();
      await readPatch(runtime, single, 'bench', { saliency: 'fine' });
      wholeMs.push(performance.now() - t0);
    }
    figures.push(
      {
        name: `Viewer Predict, 64-px patch: readout + ${MC_PASSES} MC-dropout passes + coarse occlusion saliency`,
        unit: 'ms',
        values: predictMs,
        target: 50,
        higherIsBetter: false,
        note: `encoder calls of 1 and 16 occluded copies (16-px squares side by side); the fine map follows on screen, ${THREADS} threads`,
      },
      {
        name: 'Viewer Predict, the fine map that replaces the coarse one (reusing the image\'s score)',
        unit: 'ms',
        values: refineMs,
        higherIsBetter: false,
        note: 'one encoder call of 225 occluded copies (8-px squares, stride 4)',
      },
      {
        // What bounds the Predict: the image and its 16 squares at the batch-32 rate measured above.
        name: 'Viewer Predict with coarse saliency, encoder bound: 17 images at the batch-32 rate',
        unit: 'ms',
        values: oursSeconds.map((s) => (17 * s * 1000) / BATCH),
        higherIsBetter: false,
      },
      { name: `Viewer Predict, 64-px patch: readout + ${MC_PASSES} MC-dropout passes, no saliency`, unit: 'ms', values: plainMs, higherIsBetter: false },
      {
        name: `Viewer Predict, 64-px patch: readout + ${MC_PASSES} MC-dropout passes + fine saliency in one go`,
        unit: 'ms',
        values: wholeMs,
        higherIsBetter: false,
        note: 'encoder calls of 1 and 225 (8-px squares, stride 4): what a report makes',
      },
    );

    const frames = await openDicomFrames(join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm'));
    const frame = await frames.readFrame(0);
    const scanOptions = options.smoke ? { patchSize: 128, stride: 128 } : { patchSize: 64, stride: 32 };
    const scanSeconds = await timeRepeats(repeats, () => scanFrame(runtime, frame, scanOptions), 0);
    figures.push({
      name: `full-frame 512² scan (${scanOptions.patchSize} px windows, stride ${scanOptions.stride})`,
      unit: 's',
      values: scanSeconds,
      higherIsBetter: false,
    });
    if (!options.smoke) {
      const large = doubled(frame);
      const largeSeconds = await timeRepeats(repeats, () => scanFrame(runtime, large, { patchSize: 64, stride: 32 }), 1);
      figures.push({
        name: 'full-frame 1024² scan (64 px windows, stride 32)',
        unit: 's',
        values: largeSeconds,
        target: 1,
        higherIsBetter: false,
        note: `961 windows in model calls of up to ${windowsPerCall(64)}; frame 0 of XA_cine_96f_jpeg_baseline at twice its size, ${THREADS} threads`,
      });
    }
  } finally {
    await runtime.release();
  }
  return figures;
}
