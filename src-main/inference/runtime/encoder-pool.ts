// The encoder split over the batch: N worker threads, each holding a single-threaded ONNX Runtime session, score
// contiguous slices of one batch at the same time. This beats one session with N intra-op threads, which splits
// every layer and meets at a barrier after each: at 64 px the late layers (4 × 4 and 2 × 2 pixels) are too small
// to split well, so the second thread waits more than it works. Slices are scored exactly as a whole batch would be
// (every sample's arithmetic is independent of its neighbours), so the results are the same.
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../workers/index.ts';
import type { EncodeReply, EncodeRequest, EncoderWorkerData } from './encoder-worker.ts';

const WORKER_FILE = workerEntry(import.meta.url, './encoder-worker.ts', 'encoder-worker');

/** Below this many samples per worker, one session on the calling thread answers sooner than a split batch. */
export const MIN_SAMPLES_PER_WORKER = 4;

export interface EncodedSlices {
  h: Float32Array;
  u: Float32Array | null;
}

/** The worker's next message; a thread that fails or exits first rejects it rather than leaving it waiting. */
function reply(worker: Worker): Promise<EncodeReply> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: EncodeReply) => {
      settle();
      resolve(message);
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`encoder worker exited (code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

export class EncoderPool {
  private readonly workers: Worker[];
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when a thread failed: later batches stay on the caller's session. */
  private failed = false;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    // A thread that is gone answers nothing: batches sent to it would wait for ever.
    for (const worker of workers) worker.once('exit', () => (this.failed = true));
  }

  /** Null when the worker module is not there (a build without it) or fewer than two threads are asked for. */
  static async start(graph: Uint8Array, threads: number): Promise<EncoderPool | null> {
    if (!WORKER_FILE || threads < 2) return null;
    const workerData: EncoderWorkerData = { graph };
    const workers = Array.from({ length: threads }, () => new Worker(WORKER_FILE, { workerData }));
    const pool = new EncoderPool(workers);
    try {
      for (const answer of await Promise.all(workers.map(reply))) if (!answer.ok) throw new Error(`encoder worker: ${answer.message}`);
    } catch (error) {
      await pool.release();
      throw error;
    }
    // An idle pool does not keep the process alive; a batch in flight does (see run).
    for (const worker of workers) worker.unref();
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Whether a batch of this size is worth splitting. */
  suits(batch: number): boolean {
    return !this.failed && batch >= MIN_SAMPLES_PER_WORKER * this.workers.length;
  }

  /** h (batch × features) and u (batch × qubits, or null) for images (batch × S × S), one call at a time. */
  encode(images: Float32Array, batch: number, imageSize: number, features: number, qubits: number): Promise<EncodedSlices> {
    const run = this.queue.then(() => this.run(images, batch, imageSize, features, qubits));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(images: Float32Array, batch: number, imageSize: number, features: number, qubits: number): Promise<EncodedSlices> {
    if (this.failed) throw new Error('the encoder worker threads have stopped');
    const pixels = imageSize * imageSize;
    const n = Math.min(this.workers.length, batch);
    const bounds = Array.from({ length: n + 1 }, (_, i) => Math.round((i * batch) / n));
    const used = this.workers.slice(0, n);
    for (const worker of used) worker.ref();
    try {
      const answers = await Promise.all(
        used.map((worker, i) => {
          const answer = reply(worker);
          const request: EncodeRequest = { images: images.slice(bounds[i]! * pixels, bounds[i + 1]! * pixels), batch: bounds[i + 1]! - bounds[i]!, imageSize };
          worker.postMessage(request);
          return answer;
        }),
      );
      const h = new Float32Array(batch * features);
      const u = qubits ? new Float32Array(batch * qubits) : null;
      answers.forEach((answer, i) => {
        if (!answer.ok) throw new Error(`encoder worker: ${answer.message}`);
        h.set(answer.h, bounds[i]! * features);
        if (u && answer.u) u.set(answer.u, bounds[i]! * qubits);
      });
      return { h, u };
    } catch (error) {
      this.failed = true;
      throw error;
    } finally {
      for (const worker of used) worker.unref();
    }
  }

  async release(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
