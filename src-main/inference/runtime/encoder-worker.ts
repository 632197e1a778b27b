// The worker thread behind encoder-pool.ts: one single-threaded ONNX Runtime session of the encoder graph, scoring
// the slices of a batch it is sent and answering h and u for them.
import * as ort from 'onnxruntime-node';
import { parentPort, workerData } from 'node:worker_threads';
import { GRAPH_NAMES } from '../export/classifier-graphs.ts';

export interface EncoderWorkerData {
  graph: Uint8Array;
}

export interface EncodeRequest {
  images: Float32Array;
  batch: number;
  imageSize: number;
}

export type EncodeReply = { ok: true; h: Float32Array; u: Float32Array | null } | { ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('encoder-worker.ts runs as a worker thread (see encoder-pool.ts)');

const { graph } = workerData as EncoderWorkerData;
const session = ort.InferenceSession.create(graph, {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});
session.then(
  () => port.postMessage({ ok: true, h: new Float32Array(0), u: null } satisfies EncodeReply),
  (error: Error) => port.postMessage({ ok: false, message: error.message } satisfies EncodeReply),
);

port.on('message', async ({ images, batch, imageSize }: EncodeRequest) => {
  try {
    const out = await (await session).run({ [GRAPH_NAMES.image]: new ort.Tensor('float32', images, [batch, 1, imageSize, imageSize]) });
    const h = out[GRAPH_NAMES.features]!.data as Float32Array;
    const angles = out[GRAPH_NAMES.angles];
    const u = angles ? (angles.data as Float32Array) : null;
    const reply: EncodeReply = { ok: true, h, u };
    port.postMessage(reply);
  } catch (error) {
    port.postMessage({ ok: false, message: (error as Error).message } satisfies EncodeReply);
  }
});
