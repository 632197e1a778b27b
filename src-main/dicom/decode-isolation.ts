// Codecs on damaged files run behind a wall: frames are decoded in a worker thread with a deadline. A codec that
// spins past the deadline, aborts, traps or takes its thread down costs the file (a rejection), never the app's
// event loop or memory: the thread is terminated (its WebAssembly heap with it) and a fresh one serves the next frame.
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../workers/index.ts';
import type { DecodedSamples, FrameGeometry } from './decoders/types.ts';
import type { DecodeReply, DecodeRequest } from './decode-worker.ts';
import { decodeInProcess, type FrameDecodeRunner } from './image.ts';
import type { DecoderKey } from './transfer-syntaxes.ts';

export interface IsolatedDecoderOptions {
  /** How long one frame may take before its codec is considered hung (default 20 s). */
  deadlineMs?: number;
  /** Heap limit of the worker's JavaScript (WebAssembly memory dies with the thread). */
  maxHeapMb?: number;
}

const WORKER_FILE = workerEntry(import.meta.url, './decode-worker.ts', 'decode-worker');

export class IsolatedFrameDecoder {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { worker: Worker; resolve: (s: DecodedSamples) => void; reject: (e: Error) => void }>();
  private readonly deadlineMs: number;
  private readonly maxHeapMb: number;
  /** Threads replaced after a hang, an abort or a crash (for tests and diagnostics). */
  replaced = 0;

  constructor(options: IsolatedDecoderOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? 20_000;
    this.maxHeapMb = options.maxHeapMb ?? 512;
  }

  /** Whether frames really leave this thread (false in a build without the worker entry: decoding stays in-process). */
  static available(): boolean {
    return WORKER_FILE !== null;
  }

  readonly decode: FrameDecodeRunner = (decoder, encoded, geometry) => {
    // Native pixel data is a copy, not a codec: nothing to isolate.
    if (decoder === 'native' || !IsolatedFrameDecoder.available()) return decodeInProcess(decoder, encoded, geometry);
    return this.send(decoder, encoded, geometry);
  };

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE!, { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb }, stdout: true, stderr: true });
    worker.on('message', (reply: DecodeReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve({ samples: reply.samples, photometric: reply.photometric, nearLossless: reply.nearLossless });
      else {
        if (reply.trapped) this.retire(worker);
        waiting.reject(new Error(reply.message));
      }
      this.idle(worker);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.replaced++;
      this.rejectAll(worker, why);
    };
    worker.on('error', (error) => lost(`the decoder thread failed (${error.message})`));
    worker.on('exit', (code) => lost(`the decoder thread stopped (exit code ${code})`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private idle(worker: Worker): void {
    if (this.pending.size === 0) worker.unref();
  }

  private retire(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = null;
      this.replaced++;
    }
    this.rejectAll(worker, 'the decoder thread was replaced after a codec failure');
    void worker.terminate();
  }

  private rejectAll(worker: Worker, why: string): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.worker !== worker) continue;
      this.pending.delete(id);
      waiting.reject(new Error(why));
    }
  }

  private send(decoder: DecoderKey, encoded: Uint8Array, geometry: FrameGeometry): Promise<DecodedSamples> {
    const worker = this.thread();
    const id = this.nextId++;
    const copy = encoded.slice(); // the frame is a view into the whole file: send only its bytes
    const { rows, columns, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, planarConfiguration, photometric, littleEndian } = geometry;
    const request: DecodeRequest = { id, decoder, encoded: copy, geometry: { rows, columns, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, planarConfiguration, photometric, littleEndian } };
    return new Promise<DecodedSamples>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        this.retire(worker);
        reject(new Error(`the codec did not finish within ${Math.round(this.deadlineMs / 1000)} s`));
      }, this.deadlineMs);
      this.pending.set(id, {
        worker,
        resolve: (samples) => (clearTimeout(timer), resolve(samples)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      worker.ref();
      worker.postMessage(request, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
