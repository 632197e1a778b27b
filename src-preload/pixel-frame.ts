// One binary envelope for pixel answers, used by Electron's custom protocol and the harness WebSocket alike:
// [u32 LE meta length][meta JSON, UTF-8][zero padding to 8 bytes][raw pixel bytes]. Pixels never pass through JSON.

export interface PixelFrame {
  meta: unknown;
  data: ArrayBuffer;
}

const alignTo8 = (n: number): number => (n + 7) & ~7;

export function encodePixelFrame(meta: unknown, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const dataOffset = alignTo8(4 + metaBytes.length);
  const out = new Uint8Array(dataOffset + bytes.byteLength);
  new DataView(out.buffer).setUint32(0, metaBytes.length, true);
  out.set(metaBytes, 4);
  out.set(bytes, dataOffset);
  return out;
}

export function decodePixelFrame(buffer: ArrayBuffer): PixelFrame {
  if (buffer.byteLength < 4) throw new Error(`pixel frame too short: ${buffer.byteLength} bytes`);
  const metaLength = new DataView(buffer).getUint32(0, true);
  if (4 + metaLength > buffer.byteLength) throw new Error(`pixel frame meta length ${metaLength} exceeds frame`);
  const meta: unknown = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, metaLength)));
  // slice() gives the caller its own 8-byte-aligned buffer, so typed views (Uint16Array, Float32Array) work on it.
  return { meta, data: buffer.slice(alignTo8(4 + metaLength)) };
}
