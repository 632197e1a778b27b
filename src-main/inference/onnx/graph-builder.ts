// A small builder for ONNX graphs: named inputs/outputs, float32 initializers and nodes, serialised as one
// ModelProto (IR 8, opset 17). Value names are checked as the graph grows, so a wiring mistake fails here, not in ORT.
import { AttributeType, ONNX_IR_VERSION, ONNX_OPSET, TensorDataType, encodeModel } from './schema.ts';

/** A dimension: a fixed size, or a symbolic name such as 'batch'. */
export type Dim = number | string;

export type Attribute = { int: number } | { float: number } | { ints: number[] } | { floats: number[] } | { string: string };

interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}

function valueInfo(name: string, dims: Dim[]): ValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: TensorDataType.float, shape: { dim } } } };
}

function attributeProto(name: string, value: Attribute): object {
  if ('int' in value) return { name, type: AttributeType.int, i: value.int };
  if ('float' in value) return { name, type: AttributeType.float, f: value.float };
  if ('ints' in value) return { name, type: AttributeType.ints, ints: value.ints };
  if ('floats' in value) return { name, type: AttributeType.floats, floats: value.floats };
  return { name, type: AttributeType.string, s: new TextEncoder().encode(value.string) };
}

export class GraphBuilder {
  private readonly name: string;
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: object[] = [];
  private readonly nodes: object[] = [];
  private readonly known = new Set<string>();
  private counter = 0;

  constructor(name: string) {
    this.name = name;
  }

  input(name: string, dims: Dim[]): string {
    this.define(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, dims: Dim[]): void {
    this.require(name);
    this.outputs.push(valueInfo(name, dims));
  }

  /** A float32 constant tensor, stored little-endian in raw_data. */
  initializer(name: string, dims: number[], values: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (values.length !== count) throw new Error(`initializer ${name}: ${values.length} values for shape [${dims}]`);
    this.define(name);
    const raw = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    this.initializers.push({ name, dims, data_type: TensorDataType.float, raw_data: raw });
    return name;
  }

  /** A scalar-like constant (shape [1] or []), for Clip bounds, π, α. */
  constant(prefix: string, value: number, dims: number[] = []): string {
    return this.initializer(this.fresh(prefix), dims, Float32Array.of(value));
  }

  /** Adds one node; returns its output names (fresh ones derived from `op` unless given). */
  node(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, outputs: string[] | number = 1): string[] {
    for (const input of inputs) if (input !== '') this.require(input);
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(op)) : outputs;
    for (const name of names) this.define(name);
    const attribute = Object.entries(attributes).map(([key, value]) => attributeProto(key, value));
    this.nodes.push({ op_type: op, name: `${op}_${this.nodes.length}`, input: inputs, output: names, attribute });
    return names;
  }

  /** Shorthand for a one-output node. */
  op(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, output?: string): string {
    return this.node(op, inputs, attributes, output === undefined ? 1 : [output])[0]!;
  }

  fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.known.has(name));
    return name;
  }

  /** The serialised ModelProto; `metadata` becomes metadata_props (strings). */
  encode(metadata: Record<string, string> = {}): Uint8Array {
    return encodeModel({
      ir_version: ONNX_IR_VERSION,
      producer_name: 'angio-ssl-quantum',
      producer_version: '1',
      opset_import: [{ domain: '', version: ONNX_OPSET }],
      metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
  }

  private define(name: string): void {
    if (this.known.has(name)) throw new Error(`graph ${this.name}: value '${name}' is defined twice`);
    this.known.add(name);
  }

  private require(name: string): void {
    if (!this.known.has(name)) throw new Error(`graph ${this.name}: value '${name}' is used before it is defined`);
  }
}
