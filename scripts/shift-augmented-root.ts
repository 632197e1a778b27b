// Writes a data folder whose labelled training split holds every patch plus one copy under a synthetic acquisition
// shift: the family drawn per patch from a seed among contrast, gamma, blur, noise and rescaling, its parameter drawn
// uniformly between the family's mildest and strongest evaluated severity. JPEG and the two detector curves are
// held out, so the shift evaluation can tell learned invariance from having seen the test's shifts. Validation, test and the unlabelled pool are links to
// the originals, so the model is chosen and scored on unshifted images as before. Training on it is the shift
// augmentation of issue 30's robustness item: `ANGIO_SHARED_DATA=<out> npm run experiment -- <config>`.
// Usage: node scripts/shift-augmented-root.ts <out folder> [--copies N] [--seed S]
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDataDir } from '../src-main/app/index.ts';
import { applyShift, SHIFT_SEVERITIES, type Shift, type ShiftFamily } from '../src-main/evaluation/index.ts';
import { decodePng, encodePng } from '../src-main/png/index.ts';
import { toEightBit } from '../src-main/preprocessing/index.ts';
import { seededRandom } from '../src-main/random/index.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { copies: { type: 'string', default: '1' }, seed: { type: 'string', default: '30' } } });
if (positionals.length !== 1) throw new Error('usage: node scripts/shift-augmented-root.ts <out folder> [--copies N] [--seed S]');
const out = resolve(positionals[0]!);
const copies = Number(values.copies);
const source = join(sharedDataDir(), 'p-adsd');
const target = join(out, 'p-adsd');
mkdirSync(join(target, 'labeled'), { recursive: true });
symlinkSync(join(source, 'unlabeled'), join(target, 'unlabeled'));
for (const split of ['val', 'test']) symlinkSync(join(source, 'labeled', split), join(target, 'labeled', split));

const TRAINED: ShiftFamily[] = ['contrast', 'gamma', 'blur', 'noise', 'rescale'];
const draw = (): Shift => {
  const family = TRAINED[Math.floor(random.next() * TRAINED.length)]!;
  const severities = SHIFT_SEVERITIES[family];
  const [low, high] = [Math.min(...severities), Math.max(...severities)];
  return { family, parameter: low + (high - low) * random.next() };
};
const random = seededRandom(Number(values.seed));
const drawn = new Map<string, number>();
for (const folder of ['negative', 'positive']) {
  const from = join(source, 'labeled', 'train', folder);
  const to = join(target, 'labeled', 'train', folder);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).filter((n) => n.endsWith('.png')).sort()) {
    const bytes = readFileSync(join(from, name));
    writeFileSync(join(to, name), bytes);
    const png = decodePng(bytes);
    const patch = { width: png.width, height: png.height, pixels: toEightBit(png) };
    for (let c = 0; c < copies; c++) {
      const shift = draw();
      const shifted = applyShift(patch, shift, Math.floor(random.next() * 2 ** 31));
      writeFileSync(join(to, `${name.replace(/\.png$/, '')}-shift${c + 1}.png`), encodePng(patch.width, patch.height, 1, shifted));
      drawn.set(shift.family, (drawn.get(shift.family) ?? 0) + 1);
    }
  }
}
console.log(`wrote ${out}: each training patch and ${copies} shifted cop${copies === 1 ? 'y' : 'ies'}; shifts drawn:`);
for (const [label, n] of [...drawn].sort()) console.log(`  ${label}: ${n}`);

