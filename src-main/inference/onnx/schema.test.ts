// The bundled schema JSON is exactly what onnx.proto generates, and a built graph round-trips through it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_PATH, schemaDescriptor } from './generate-schema.ts';
import { GraphBuilder } from './graph-builder.ts';
import { ONNX_OPSET, decodeModel } from './schema.ts';

test('onnx-schema.json is up to date with onnx.proto (run generate-schema.ts after changing the .proto)', () => {
  assert.deepEqual(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')), JSON.parse(JSON.stringify(schemaDescriptor())));
});

test('a built graph decodes back with its opset, initializer bytes and node attributes', () => {
  const g = new GraphBuilder('tiny');
  const x = g.input('x', ['batch', 3]);
  const w = g.initializer('w', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6));
  g.output(g.op('Gemm', [x, w], { transB: { int: 1 }, alpha: { float: 0.5 } }, 'y'), ['batch', 2]);
  const model = decodeModel(g.encode({ part: 'test' })) as { opset_import: { version: number }[]; graph: { initializer: { raw_data: Uint8Array }[]; node: { attribute: { name: string; i?: number; f?: number }[] }[] }; metadata_props: { key: string }[] };
  assert.equal(model.opset_import[0]!.version, ONNX_OPSET);
  const raw = model.graph.initializer[0]!.raw_data;
  assert.deepEqual([...new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(model.graph.node[0]!.attribute.map((a) => [a.name, a.i ?? a.f]), [['transB', 1], ['alpha', 0.5]]);
  assert.equal(model.metadata_props[0]!.key, 'part');
});

test('wiring mistakes fail while building, not in the runtime', () => {
  const g = new GraphBuilder('bad');
  assert.throws(() => g.op('Relu', ['missing']), /used before it is defined/);
  g.input('x', [1]);
  assert.throws(() => g.input('x', [1]), /defined twice/);
});
