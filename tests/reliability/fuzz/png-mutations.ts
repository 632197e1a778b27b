// Mutations of real PNG patches: damage that keeps the chunk CRCs valid (so the file reaches the decoder's logic)
// and damage that does not. Pure and seeded, like the DICOM mutations.
import { crc32 } from 'node:zlib';
import type { SeededRandom } from '../../../src-main/random/seeded-random.ts';
import { splice, type Mutation } from './dicom-mutations.ts';

export const PNG_MUTATION_KINDS = ['bit-flip', 'truncate', 'ihdr-size', 'ihdr-format', 'chunk-length', 'idat-stream', 'drop-chunk'] as const;
export type PngMutationKind = (typeof PNG_MUTATION_KINDS)[number];

interface Chunk {
  at: number;
  length: number;
  type: string;
}

function chunks(bytes: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    out.push({ at, length, type: Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1') });
    at += 12 + length;
  }
  return out;
}

function fixCrc(bytes: Uint8Array, chunk: Chunk): void {
  const end = chunk.at + 8 + chunk.length;
  if (end + 4 > bytes.length) return;
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(end, crc32(bytes.subarray(chunk.at + 4, end)) >>> 0);
}

const pick = <T>(random: SeededRandom, items: readonly T[]): T => items[random.below(items.length)] as T;

export function mutatePng(bytes: Uint8Array, random: SeededRandom, kind: PngMutationKind = pick(random, PNG_MUTATION_KINDS)): Mutation {
  const list = chunks(bytes);
  const ihdr = list.find((c) => c.type === 'IHDR');
  const idat = list.filter((c) => c.type === 'IDAT');
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  switch (kind) {
    case 'bit-flip': {
      const n = 1 + random.below(8);
      for (let i = 0; i < n; i++) {
        const at = random.below(out.length);
        out[at] = (out[at] as number) ^ (1 << random.below(8));
      }
      return { kind, detail: `${n} bit(s) flipped`, bytes: out };
    }
    case 'truncate': {
      const cut = random.below(bytes.length);
      return { kind, detail: `cut at ${cut} of ${bytes.length}`, bytes: bytes.slice(0, cut) };
    }
    case 'ihdr-size': {
      if (!ihdr) break;
      const width = pick(random, [0, 1, 0xffffffff, 0x7fffffff, 65535, 30000, 100_000, 8 + random.below(4096)]);
      const height = pick(random, [0, 1, 0x7fffffff, 65535, 20000, 8 + random.below(4096)]);
      view.setUint32(ihdr.at + 8, width);
      view.setUint32(ihdr.at + 12, height);
      fixCrc(out, ihdr);
      return { kind, detail: `IHDR ${width}×${height} (CRC fixed)`, bytes: out };
    }
    case 'ihdr-format': {
      if (!ihdr) break;
      const depth = pick(random, [0, 1, 2, 3, 4, 7, 8, 16, 32, 255]);
      const colour = pick(random, [0, 1, 2, 3, 4, 5, 6, 7, 255]);
      out[ihdr.at + 16] = depth;
      out[ihdr.at + 17] = colour;
      if (random.next() < 0.3) out[ihdr.at + 18 + random.below(3)] = random.below(256); // compression, filter, interlace
      fixCrc(out, ihdr);
      return { kind, detail: `IHDR depth ${depth} colour type ${colour} (CRC fixed)`, bytes: out };
    }
    case 'chunk-length': {
      const chunk = pick(random, list);
      if (!chunk) break;
      const value = pick(random, [0, 0xffffffff, 0x7fffffff, chunk.length + 1, Math.max(0, chunk.length - 1), random.below(bytes.length * 2)]);
      view.setUint32(chunk.at, value);
      return { kind, detail: `${chunk.type} length ${chunk.length} → ${value}`, bytes: out };
    }
    case 'idat-stream': {
      const chunk = pick(random, idat);
      if (!chunk || chunk.length === 0) break;
      const n = 1 + random.below(16);
      for (let i = 0; i < n; i++) out[chunk.at + 8 + random.below(chunk.length)] = random.below(256);
      fixCrc(out, chunk);
      return { kind, detail: `${n} byte(s) of the zlib stream overwritten (CRC fixed)`, bytes: out };
    }
    case 'drop-chunk': {
      const chunk = pick(random, list);
      if (!chunk) break;
      return { kind, detail: `${chunk.type} chunk removed`, bytes: splice(bytes, chunk.at, Math.min(12 + chunk.length, bytes.length - chunk.at)) };
    }
  }
  const at = random.below(out.length);
  out[at] = (out[at] as number) ^ 0xff;
  return { kind, detail: `no ${kind} target; byte ${at} inverted`, bytes: out };
}
