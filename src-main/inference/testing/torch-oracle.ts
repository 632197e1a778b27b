// Test oracle: Debian's python builds the classifier in PyTorch (the shared reference engine_networks.py, the
// engine's parameter names), random-initialised from a seed, writes its weights as raw float32 + JSON, and answers reference outputs.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CircuitSpec } from '../../quantum/index.ts';
import { runPython } from '../../testing/python-oracle.ts';
import { TORCH_REFERENCE_DIR } from '../../testing/torch-reference/index.ts';
import type { WeightMap } from '../export/weights.ts';
import { weightMap } from '../export/weights.ts';

export interface TorchModelRequest {
  dir: string;
  seed: number;
  circuit: CircuitSpec | null;
  imageSize: number;
  hidden?: number;
  dropout?: number;
  /** Random N(0,1) inputs to push through the reference, batch × 1 × S × S. */
  batch?: number;
  inputSeed?: number;
  /** Also answer the head with this many seeded dropout masks (keep/(1−p) or 0). */
  masks?: boolean;
}

const SCRIPT = String.raw`
import json, os, sys
req = json.load(sys.stdin)
sys.path.insert(0, req['referenceDir'])
import torch
from engine_networks import Network, randomise, save_weights
torch.set_num_threads(2)
spec = req['circuit']
net = randomise(Network(spec, req.get('hidden', 256), req.get('dropout', 0.3)), req['seed'], req['imageSize'])
d = req['dir']
save_weights(net, d)
out = {}
def put(name, t):
    t.detach().to(torch.float32).contiguous().numpy().tofile(os.path.join(d, name + '.f32'))
    out[name] = list(t.shape)
batch = req.get('batch', 0)
if batch:
    g = torch.Generator().manual_seed(req.get('inputSeed', 1))
    x = torch.randn(batch, 1, req['imageSize'], req['imageSize'], generator=g)
    put('x', x)
    with torch.no_grad():
        h = net.encoder(x)
        put('h', h)
        head = net.classifier
        if spec is not None:
            u = head.fusion.angles(h)
            q = head.fusion.quantum(u).to(torch.float32)
            put('u', u); put('q', q)
            fused = head.fusion.fuse_q(h, q)
        else:
            fused = h
        logits = head.from_fused(fused)
        put('logits', logits)
        put('probabilities', torch.softmax(logits, 1))
        if req.get('masks'):
            p = req.get('dropout', 0.3)
            keep = (torch.rand(batch, req.get('hidden', 256), generator=g) >= p).to(torch.float32) / (1 - p)
            put('keep', keep)
            put('probabilities_mc', torch.softmax(head.from_fused(fused, keep), 1))
json.dump(out, sys.stdout)
`;

/** Writes weights.f32/json and the reference tensors under `dir`; returns each tensor's shape. */
export function torchReference(request: TorchModelRequest): Record<string, number[]> {
  mkdirSync(request.dir, { recursive: true });
  return runPython<Record<string, number[]>>(SCRIPT, { ...request, referenceDir: TORCH_REFERENCE_DIR });
}

export function readTensor(dir: string, name: string): Float32Array {
  const bytes = readFileSync(join(dir, `${name}.f32`));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The weights engine_networks.save_weights wrote. */
export function readTorchWeights(dir: string): WeightMap {
  const entries = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as { name: string; shape: number[]; offset: number }[];
  const bytes = readFileSync(join(dir, 'weights.f32'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return weightMap(entries.map(({ name, shape, offset }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return { name, shape, values: all.subarray(offset / 4, offset / 4 + count) };
  }));
}

/** Debian's onnx checker with full_check (shape inference included) over each file; returns per-file errors. */
export function onnxCheckerErrors(files: string[]): Record<string, string | null> {
  return runPython<Record<string, string | null>>(String.raw`
import json, sys, onnx
result = {}
for path in json.load(sys.stdin):
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        result[path] = None
    except Exception as error:
        result[path] = str(error)
json.dump(result, sys.stdout)
`, files);
}
