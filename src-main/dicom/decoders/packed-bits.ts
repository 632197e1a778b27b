// 1-bit pixel data (Bits Allocated 1, segmentations and masks): pixels are packed eight to a byte, first pixel in
// the least significant bit, and frames follow each other bit by bit, so frame n starts at bit n·rows·columns.

/** The `bitCount` bits starting at bit `bitOffset` of `packed`, copied so that they start at bit 0 of byte 0. */
export function bitAlignedFrame(packed: Uint8Array, bitOffset: number, bitCount: number): Uint8Array {
  const first = Math.floor(bitOffset / 8);
  const byteCount = Math.ceil(bitCount / 8);
  const shift = bitOffset % 8;
  if (shift === 0) return packed.slice(first, first + byteCount);
  const out = new Uint8Array(byteCount);
  for (let i = 0; i < byteCount; i++) {
    const low = (packed[first + i] as number) >> shift;
    const high = ((packed[first + i + 1] ?? 0) << (8 - shift)) & 0xff;
    out[i] = low | high;
  }
  // Bits past the frame belong to the next one: clear them so the copy holds this frame only.
  const tail = bitCount % 8;
  if (tail !== 0) out[byteCount - 1] = (out[byteCount - 1] as number) & ((1 << tail) - 1);
  return out;
}

/** The first `count` pixels of bit-aligned packed data, one 0/1 value per byte. */
export function unpackBits(packed: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = ((packed[i >> 3] as number) >> (i & 7)) & 1;
  return out;
}
