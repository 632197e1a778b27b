// The worker thread behind decode-isolation.ts: runs the transfer-syntax codecs on frames it is sent. If a codec
// aborts, traps or spins on a damaged stream, only this thread is lost (its owner terminates and replaces it).
import { parentPort } from 'node:worker_threads';
import { DECODERS } from './decoders/index.ts';
import type { DecodedSamples, FrameGeometry } from './decoders/types.ts';
import type { DecoderKey } from './transfer-syntaxes.ts';

export interface DecodeRequest {
  id: number;
  decoder: DecoderKey;
  encoded: Uint8Array;
  geometry: FrameGeometry;
}

export type DecodeReply =
  | { id: number; ok: true; samples: DecodedSamples['samples']; photometric: string; nearLossless?: number }
  | { id: number; ok: false; message: string; trapped: boolean };

const port = parentPort;
if (!port) throw new Error('decode-worker.ts runs as a worker thread (see decode-isolation.ts)');

port.on('message', async (request: DecodeRequest) => {
  try {
    const decoder = DECODERS[request.decoder];
    await decoder.ready();
    const decoded = decoder.decode(request.encoded, request.geometry);
    const reply: DecodeReply = { id: request.id, ok: true, samples: decoded.samples, photometric: decoded.photometric, nearLossless: decoded.nearLossless };
    port.postMessage(reply, [decoded.samples.buffer as ArrayBuffer]);
  } catch (error) {
    // A trap or an Emscripten abort leaves the codec's heap in an unknown state: the owner replaces this thread.
    const trapped = error instanceof WebAssembly.RuntimeError || typeof error === 'number';
    const message = error instanceof Error ? error.message : typeof error === 'number' ? `the codec failed with internal error ${error}` : String(error);
    port.postMessage({ id: request.id, ok: false, message, trapped } satisfies DecodeReply);
  }
});
