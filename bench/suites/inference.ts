// Bench suite for inference: batch-32 scoring including the quantum layer, ours (ONNX Runtime CPU +
// native simulator) against PyTorch eager on the same model, inputs and thread count; single-image readout latency
// (p50/p95); and a full 512² frame scanned with 64-pixel windows at stride 32.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { exportClassifier } from '../../src-main/inference/export/export-classifier.ts';
import { openDicomFrames } from '../../src-main/inference/dicom-frames.ts';
import { prepareBatch, readImages } from '../../src-main/inference/image-readouts.ts';
import { decodeModelFile } from '../../src-main/inference/model-file/model-file.ts';
import { ClassifierRuntime } from '../../src-main/inference/runtime/classifier-runtime.ts';
import { scanFrame } from '../../src-main/inference/scanning/frame-scan.ts';
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
  } finally {
    await runtime.release();
  }
  return figures;
}
