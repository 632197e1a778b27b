// Segmented palette colour tables (PS3.3 C.7.9.2, tags 0028,1221–1223): runs of discrete values, linear ramps and
// indirect copies of earlier segments, stored as 16-bit words, expanded to a plain table of entries.
import type { DataSet } from 'dicom-parser';
import { int16, uint16 } from './dataset.ts';
import type { LookupTable } from './image.ts';

const DISCRETE = 0;
const LINEAR = 1;
const INDIRECT = 2;

/** Half-way values go to the even neighbour, as numpy's around does. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `count` values stepping from just after `from` to exactly `to` (numpy's linspace arithmetic, so ties round alike). */
function linearRun(from: number, to: number, count: number): number[] {
  if (from === to) return new Array<number>(count).fill(to);
  const start = from + (to - from) / count;
  if (count === 1) return [roundHalfEven(start)];
  const step = (to - start) / (count - 1);
  const run: number[] = [];
  for (let i = 0; i < count - 1; i++) run.push(roundHalfEven(i * step + start));
  run.push(roundHalfEven(to));
  return run;
}

/**
 * Expands segment words from `offset`, at most `segmentLimit` segments. A linear segment ramps from the previous entry
 * (`previous` when it opens an indirect copy); an indirect one re-expands `count` segments found at a 32-bit offset
 * (low word first), counted in words from the start of the data, as pydicom reads it.
 */
export function expandSegments(words: ArrayLike<number>, offset = 0, segmentLimit = Infinity, previous?: number): number[] {
  const table: number[] = [];
  let at = offset;
  for (let segments = 0; segments < segmentLimit && at + 1 < words.length; segments++) {
    const opcode = words[at] as number;
    const count = words[at + 1] as number;
    at += 2;
    const last = table.length > 0 ? table[table.length - 1] : previous;
    if (opcode === DISCRETE) {
      for (let i = 0; i < count; i++) table.push((words[at + i] as number) ?? 0);
      at += count;
    } else if (opcode === LINEAR) {
      if (last === undefined) throw new Error('a segmented palette table starts with a linear segment, which has nothing to ramp from');
      table.push(...linearRun(last, words[at] as number, count));
      at += 1;
    } else if (opcode === INDIRECT) {
      if (last === undefined) throw new Error('a segmented palette table starts with an indirect segment, which has nothing to copy');
      const target = (words[at] as number) | ((words[at + 1] as number) << 16);
      if (target >= at - 2) throw new Error(`an indirect segment points forward (word ${target}), so it would never end`);
      table.push(...expandSegments(words, target, count, last));
      at += 2;
    } else {
      throw new Error(`a segmented palette table has an unknown segment type ${opcode}`);
    }
  }
  return table;
}

/** A segmented palette table as a plain one; undefined when the data set has none for this channel. */
export function readSegmentedLut(ds: DataSet, descriptorTag: string, dataTag: string): LookupTable | undefined {
  const data = ds.elements[dataTag];
  if (!data || !ds.elements[descriptorTag] || (ds.elements[descriptorTag]?.length ?? 0) < 6) return undefined;
  const entries = (uint16(ds, descriptorTag, 0) as number) || 65536;
  const firstMapped = (uint16(ds, 'x00280103') ?? 0) === 1 ? (int16(ds, descriptorTag, 1) as number) : (uint16(ds, descriptorTag, 1) as number);
  const bits = uint16(ds, descriptorTag, 2) as number;
  const words: number[] = [];
  for (let i = 0; 2 * i + 1 < data.length; i++) words.push(ds.uint16(dataTag, i) as number);
  const table = expandSegments(words);
  if (table.length !== entries) throw new Error(`a segmented palette table expands to ${table.length} entries, its descriptor says ${entries}`);
  return { entries, firstMapped, bits, data: table };
}
