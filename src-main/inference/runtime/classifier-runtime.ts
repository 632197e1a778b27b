// Runs an inference model file: ONNX Runtime (CPU provider) for the encoder and the head, the native simulator
// for the quantum layer in between. Inputs are normalised planes (batch × 1 × S × S, float32); outputs are
// P(stenosis) per sample plus the intermediate h, u, q that the readouts need.
import * as ort from 'onnxruntime-node';
import { classCountOf } from '../export/architecture.ts';
import { GRAPH_NAMES, featureDim } from '../export/classifier-graphs.ts';
import type { InferenceManifest } from '../model-file/manifest.ts';
import type { ModelFile } from '../model-file/model-file.ts';
import { EncoderPool } from './encoder-pool.ts';
import type { QuantumForward } from './quantum-forward.ts';
import { expectationsFloat32, nativeQuantumForward } from './quantum-forward.ts';

export interface RuntimeOptions {
  /** ONNX Runtime intra-op threads (default 2). */
  threads?: number;
  /** Score batches of ≥ 4 per thread split over `threads` worker threads (encoder-pool.ts); default true. */
  splitBatches?: boolean;
  /** The quantum layer; default the native simulator of the app at `appRoot`. */
  quantum?: QuantumForward;
  appRoot?: string;
}

export interface Prediction {
  /** P(stenosis of any grade), one per sample. */
  probability: Float32Array;
  /** Graded models only: softmax over architecture.classNames, batch × classes; null for a binary model. */
  classProbabilities: Float32Array | null;
  h: Float32Array;
  /** Angles and expectations, batch × Q; null without quantum fusion. */
  u: Float32Array | null;
  q: Float32Array | null;
}

/**
 * Intra-op threads never spin: a session's helper threads otherwise busy-wait after each run, and on a 2-core machine
 * they take the cores from the encoder pool's workers and from the next call (a batch-32 predict ran in twice the
 * time of its encoder call).
 */
async function session(bytes: Uint8Array, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** Smallest probability taken into a logarithm: float32 softmax outputs reach 0 exactly. */
const LOG_FLOOR = 1e-7;

/**
 * softmax(log p / T) row by row: the softmax of logits divided by T, since log p differs from the logits by a constant
 * per row. For two classes this is σ(logit(p₁) / T).
 */
export function temperatureScaled(probabilities: Float32Array, classes: number, temperature: number): Float32Array {
  const out = new Float32Array(probabilities.length);
  const logs = new Float64Array(classes);
  for (let row = 0; row < probabilities.length; row += classes) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      logs[k] = Math.log(Math.min(1 - LOG_FLOOR, Math.max(LOG_FLOOR, probabilities[row + k]!))) / temperature;
      max = Math.max(max, logs[k]!);
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += (logs[k] = Math.exp(logs[k]! - max));
    for (let k = 0; k < classes; k++) out[row + k] = logs[k]! / sum;
  }
  return out;
}

export class ClassifierRuntime {
  readonly manifest: InferenceManifest;
  readonly featureDim: number;
  readonly qubits: number;
  private readonly encoder: ort.InferenceSession;
  private readonly headSession: ort.InferenceSession;
  private readonly headMc: ort.InferenceSession;
  private readonly quantumForward: QuantumForward | null;
  private readonly pool: EncoderPool | null;
  private readonly theta: Float64Array;
  readonly classCount: number;

  private constructor(manifest: InferenceManifest, sessions: ort.InferenceSession[], quantum: QuantumForward | null, pool: EncoderPool | null) {
    this.pool = pool;
    this.manifest = manifest;
    this.featureDim = featureDim(manifest.architecture);
    this.qubits = manifest.architecture.circuit?.qubits ?? 0;
    [this.encoder, this.headSession, this.headMc] = sessions as [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession];
    this.quantumForward = quantum;
    this.theta = Float64Array.from(manifest.quantumWeights ?? []);
    this.classCount = classCountOf(manifest.architecture);
  }

  static async load(file: ModelFile, options: RuntimeOptions = {}): Promise<ClassifierRuntime> {
    const threads = options.threads ?? 2;
    // The head is a few small matrix products: one thread answers it sooner than two that meet at a barrier.
    const sessions = await Promise.all([session(file.graphs.encoder, threads), session(file.graphs.head, 1), session(file.graphs.headMcDropout, 1)]);
    const quantum = file.manifest.architecture.circuit ? (options.quantum ?? nativeQuantumForward(options.appRoot)) : null;
    // The calling thread's session has loaded the same graph, so a pool that cannot start costs speed, not answers.
    const pool = options.splitBatches === false ? null : await EncoderPool.start(file.graphs.encoder, threads).catch(() => null);
    return new ClassifierRuntime(file.manifest, sessions, quantum, pool);
  }

  get imageSize(): number {
    return this.manifest.architecture.imageSize;
  }

  async encode(images: Float32Array, batch: number): Promise<{ h: Float32Array; u: Float32Array | null }> {
    const S = this.imageSize;
    if (this.pool?.suits(batch)) {
      try {
        return await this.pool.encode(images, batch, S, this.featureDim, this.qubits);
      } catch {
        // A worker thread failed; the pool stands down (suits() is false from now on) and this thread scores the batch.
      }
    }
    const out = await this.encoder.run({ [GRAPH_NAMES.image]: new ort.Tensor('float32', images, [batch, 1, S, S]) });
    const u = this.qubits ? (out[GRAPH_NAMES.angles]!.data as Float32Array) : null;
    return { h: out[GRAPH_NAMES.features]!.data as Float32Array, u };
  }

  /** ⟨Z_q⟩ for angles u (batch × Q). */
  async expectations(u: Float32Array): Promise<Float32Array> {
    const circuit = this.manifest.architecture.circuit;
    if (!circuit || !this.quantumForward) throw new Error('this model has no quantum layer');
    return expectationsFloat32(this.quantumForward, circuit, u, this.theta);
  }

  /** P(any stenosis) from features and expectations; `keep` (batch × hidden) switches to the MC-dropout graph. */
  async head(h: Float32Array, q: Float32Array | null, batch: number, keep?: Float32Array): Promise<Float32Array> {
    return this.anyStenosis(await this.classScores(h, q, batch, keep), batch);
  }

  /** Softmax over the model's classes, batch × classCount, after the file's temperature when it has one. */
  async classScores(h: Float32Array, q: Float32Array | null, batch: number, keep?: Float32Array): Promise<Float32Array> {
    const raw = await this.networkScores(h, q, batch, keep);
    const temperature = this.manifest.calibration?.temperature ?? 1;
    return temperature === 1 ? raw : temperatureScaled(raw, this.classCount, temperature);
  }

  /** The network's own softmax, before any calibration (what temperature scaling is fitted on). */
  async networkScores(h: Float32Array, q: Float32Array | null, batch: number, keep?: Float32Array): Promise<Float32Array> {
    const feeds: Record<string, ort.Tensor> = { [GRAPH_NAMES.features]: new ort.Tensor('float32', h, [batch, this.featureDim]) };
    if (this.qubits) feeds[GRAPH_NAMES.expectations] = new ort.Tensor('float32', q!, [batch, this.qubits]);
    if (keep) feeds[GRAPH_NAMES.dropoutKeep] = new ort.Tensor('float32', keep, [batch, this.manifest.architecture.classifierHidden]);
    const out = await (keep ? this.headMc : this.headSession).run(feeds);
    return out[GRAPH_NAMES.probabilities]!.data as Float32Array;
  }

  /** Binary: P(class 1) exactly as before; graded: 1 − P(no stenosis), as the engine's Predict. */
  private anyStenosis(probabilities: Float32Array, batch: number): Float32Array {
    const k = this.classCount;
    const stenosis = new Float32Array(batch);
    for (let b = 0; b < batch; b++) stenosis[b] = k === 2 ? probabilities[2 * b + 1]! : 1 - probabilities[k * b]!;
    return stenosis;
  }

  /** `calibrated: false` gives the network's own probabilities, what a temperature is fitted on. */
  async predict(images: Float32Array, batch: number, options: { calibrated?: boolean } = {}): Promise<Prediction> {
    const { h, u } = await this.encode(images, batch);
    const q = u ? await this.expectations(u) : null;
    const probabilities = options.calibrated === false ? await this.networkScores(h, q, batch) : await this.classScores(h, q, batch);
    return { probability: this.anyStenosis(probabilities, batch), classProbabilities: this.classCount > 2 ? probabilities : null, h, u, q };
  }

  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.headSession.release(), this.headMc.release(), this.pool?.release()]);
  }
}
