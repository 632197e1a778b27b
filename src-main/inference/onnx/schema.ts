// The ONNX protobuf schema (from onnx.proto, via the generated onnx-schema.json) as protobufjs types.
// Field names keep the .proto's snake_case, so objects read like the ONNX IR documentation.
import protobuf from 'protobufjs';
import descriptor from './onnx-schema.json' with { type: 'json' };

/** The highest IR version and default-domain opset the bundled schema (ONNX 1.12) and Debian's checker know. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

/** TensorProto.DataType values used here. */
export const TensorDataType = { float: 1, int64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
export const AttributeType = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

const root = protobuf.Root.fromJSON(descriptor.root as protobuf.INamespace);

export const ModelProto = root.lookupType('onnx.ModelProto');

/** Serialises a ModelProto-shaped object (snake_case fields) after checking it against the schema. */
export function encodeModel(model: object): Uint8Array {
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`ONNX model does not match the schema: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Parses ModelProto bytes back into a plain object (tests, and reading a model's metadata). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Uint8Array as unknown as typeof String }) as Record<string, unknown>;
}
