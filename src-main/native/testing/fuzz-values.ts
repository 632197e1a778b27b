// Values a caller should never hand the native binding: wrong types, NaN and infinities, negative, fractional and
// overflowing counts, short, long, huge, detached and shared buffers of every typed-array kind, objects whose
// getters throw or detach buffers. Each call returns fresh values, since a detached buffer is used up.

/** What an argument position holds when it is right; picks the values that are wrong in a telling way. */
export type ArgumentKind = 'string' | 'path' | 'number' | 'bool' | 'f32' | 'f64' | 'i32' | 'u8' | 'object' | 'list';

type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
type TypedConstructor = new (length: number) => TypedArray;
// ES2024 buffer features (transfer, resizable buffers) that Node 24 has and the project's ES2023 lib does not type.
type TransferableBuffer = ArrayBuffer & { transfer(): ArrayBuffer; readonly detached: boolean };
const ResizableBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;

function detach(array: ArrayBufferView): void {
  const buffer = array.buffer as TransferableBuffer;
  if (buffer instanceof ArrayBuffer && !buffer.detached) buffer.transfer();
}

/** An error the fuzz itself throws from getters and traps: typed, so the binding may simply pass it on. */
export class FuzzGetterError extends Error {
  readonly code = 'fuzz-getter';
}

function detached(Kind: TypedConstructor, length = 4): TypedArray {
  const array = new Kind(length);
  detach(array);
  return array;
}

function throwingGetters(): object {
  const thrower = () => {
    throw new FuzzGetterError('a getter threw');
  };
  return new Proxy({}, { get: thrower, has: thrower, ownKeys: thrower, getOwnPropertyDescriptor: thrower });
}

export function genericBadValues(): unknown[] {
  return [
    undefined, null, true, false, 0, -0, -1, 0.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32 + 1, 2 ** 53 + 2, 2 ** 64,
    -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE, '', 'x', 'a\0b', '\u{1F600}'.repeat(3), Symbol('fuzz'), 10n, {}, [],
    [1, 'a', null], () => 1, new Date(0), /re/, new Map(), Object.create(null), throwingGetters(),
    new Float32Array(3), new Float64Array(3), new Int32Array(3), new Uint8Array(3), new Uint8ClampedArray(3),
    new Int16Array(3), new Uint32Array(3), new BigInt64Array(2), new ArrayBuffer(8), new DataView(new ArrayBuffer(8)),
    detached(Float32Array), detached(Float64Array), detached(Int32Array), detached(Uint8Array),
    new Float32Array(new SharedArrayBuffer(16)), Buffer.alloc(4),
  ];
}

const NUMBERS = [-1, 0, 1, 2, 3, 4097, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, 1e300, 1.5, -(2 ** 31) - 1];

function constructorOf(value: TypedArray): TypedConstructor {
  return value.constructor as TypedConstructor;
}

/** Same kind, wrong length or layout: empty, one short, one long, huge, offset view, resizable, NaN-filled. */
function bufferVariants(valid: TypedArray): unknown[] {
  const Kind = constructorOf(valid);
  const length = valid.length;
  const offset = new Kind(length + 2).subarray(1, length + 1);
  const resizable = new (Kind as unknown as new (buffer: ArrayBuffer) => TypedArray)(
    new ResizableBuffer(length * valid.BYTES_PER_ELEMENT, { maxByteLength: (length + 8) * valid.BYTES_PER_ELEMENT }),
  );
  const extremes = new Kind(length).fill(valid instanceof Float32Array || valid instanceof Float64Array ? NaN : -1);
  const large = new Kind(length).fill(valid instanceof Uint8Array ? 255 : 2 ** 31 - 1);
  return [new Kind(0), valid.slice(0, Math.max(0, length - 1)), new Kind(length + 1), new Kind(1 << 22), offset,
    resizable, extremes, large, detached(Kind, length)];
}

export function badValuesFor(kind: ArgumentKind, valid: unknown): unknown[] {
  switch (kind) {
    case 'number':
      return NUMBERS;
    case 'string':
    case 'path':
      return ['', 'a\0b', 'x'.repeat(100_000), 'nope', '/', '/proc/self/mem', '/nonexistent/dir/file'];
    case 'bool':
      return [0, 1, 'true'];
    case 'list':
      return [['encoder', 'encoder', 'encoder', 'encoder'], ['wheels'], [1], new Array(1e5).fill('encoder')];
    case 'object':
      return [];
    default:
      return bufferVariants(valid as TypedArray);
  }
}

/**
 * An object like `valid` whose getters first detach every buffer in `victims`: a binding that took a typed
 * array's pointer before reading the object would then read freed memory.
 */
export function detachingCopy(valid: object, victims: unknown[]): object {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(valid)) {
    Object.defineProperty(copy, key, {
      enumerable: true,
      get() {
        for (const victim of victims) if (ArrayBuffer.isView(victim)) detach(victim);
        return value;
      },
    });
  }
  return copy;
}
