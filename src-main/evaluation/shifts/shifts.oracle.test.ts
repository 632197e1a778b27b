// Every shift against an independent implementation run at test time on the same pixels: numpy for the grey-level
// curves and the noise arithmetic (exact), scipy.ndimage.gaussian_filter for the blur, torch's bilinear interpolate
// for the rescaling, and Pillow's libjpeg encoder and decoder for the JPEG re-compression.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../../app/paths.ts';
import { readGreyImage, toGrey8 } from '../../inference/index.ts';
import { seededRandom } from '../../random/index.ts';
import { runPython } from '../../testing/python-oracle.ts';
import { allShifts, applyShift, gaussianNoise, quantisationTable, type GreyPatch, type Shift } from './index.ts';

/** Two real patches of different sizes and a small odd-sized texture, so edge blocks and borders are exercised. */
async function patches(): Promise<GreyPatch[]> {
  const dir = join(sharedDataDir(), 'p-adsd', 'labeled', 'test');
  const real = await Promise.all(['positive/0001.png', 'negative'].map(async (name) => {
    const path = name.endsWith('.png') ? join(dir, name) : join(dir, name, (await import('node:fs')).readdirSync(join(dir, name)).sort()[0]!);
    const image = await readGreyImage(path);
    return { width: image.width, height: image.height, pixels: toGrey8(image) };
  }));
  const random = seededRandom(3);
  const width = 37;
  const height = 29;
  const pixels = Uint8Array.from({ length: width * height }, (_, i) => Math.round(127 + 100 * Math.sin(i / 7) * Math.cos(i / 53) + 20 * random.next()));
  return [...real, { width, height, pixels }];
}

const ORACLE = `
import io, json, math, sys
import numpy as np, torch
from scipy.ndimage import gaussian_filter
from PIL import Image
cases = json.load(sys.stdin)
def r8(v): return np.clip(np.floor(v + 0.5), 0, 255).astype(int).ravel().tolist()
out = []
for c in cases:
    x = np.array(c['pixels'], dtype=np.float64).reshape(c['height'], c['width']); f = c['family']; p = c['parameter']
    if f == 'contrast': y = r8((x - 127.5) * p + 127.5)
    elif f == 'gamma': y = r8(255 * (x / 255) ** p)
    elif f == 'log-detector': y = r8(255 * np.log1p(p * x / 255) / np.log1p(p))
    elif f == 'sigmoid-detector':
        s = lambda t: 1 / (1 + np.exp(-p * (t - 0.5)))
        y = r8(255 * (s(x / 255) - s(0)) / (s(1) - s(0)))
    elif f == 'noise': y = r8(x + np.array(c['noise']).reshape(x.shape))
    elif f == 'blur': y = r8(gaussian_filter(x, p, mode='reflect', truncate=4.0))
    elif f == 'rescale':
        h, w = x.shape; sh, sw = max(2, int(math.floor(h * p + 0.5))), max(2, int(math.floor(w * p + 0.5)))
        t = torch.tensor(x)[None, None]
        small = torch.nn.functional.interpolate(t, size=(sh, sw), mode='bilinear', align_corners=False)
        y = r8(torch.nn.functional.interpolate(small, size=(h, w), mode='bilinear', align_corners=False)[0, 0].numpy())
    elif f == 'jpeg':
        buf = io.BytesIO(); Image.fromarray(x.astype(np.uint8), 'L').save(buf, 'JPEG', quality=int(p)); buf.seek(0)
        im = Image.open(buf); table = list(im.quantization[0])
        y = {'pixels': np.asarray(im, dtype=int).ravel().tolist(), 'table': table}
    out.append(y)
print(json.dumps(out))
`;

test('each shift matches its independent implementation on real and odd-sized patches', { timeout: 120_000 }, async () => {
  const images = await patches();
  const shifts: Shift[] = allShifts();
  const cases: { image: number; shift: Shift; noise?: number[]; ours: Uint8Array }[] = [];
  images.forEach((image, i) => {
    for (const shift of shifts) {
      const seed = 100 + i;
      const entry: (typeof cases)[number] = { image: i, shift, ours: applyShift(image, shift, seed) };
      if (shift.family === 'noise') entry.noise = Array.from(gaussianNoise(image.pixels.length, shift.parameter, seed));
      cases.push(entry);
    }
  });
  const oracle = runPython<(number[] | { pixels: number[]; table: number[] })[]>(
    ORACLE,
    cases.map((c) => ({ ...images[c.image]!, pixels: Array.from(images[c.image]!.pixels), family: c.shift.family, parameter: c.shift.parameter, noise: c.noise })),
  );
  cases.forEach((c, k) => {
    const what = `${c.shift.family} ${c.shift.parameter} on image ${c.image}`;
    const want = oracle[k]!;
    if (Array.isArray(want)) {
      let differing = 0;
      let worst = 0;
      want.forEach((v, i) => {
        const d = Math.abs(v - c.ours[i]!);
        worst = Math.max(worst, d);
        if (d > 0) differing++;
      });
      if (['contrast', 'gamma', 'log-detector', 'sigmoid-detector', 'noise'].includes(c.shift.family)) {
        assert.equal(differing, 0, `${what}: exact against numpy`);
      } else {
        // Float sums in another order can land a value on the other side of x.5: one level, on a rare pixel.
        assert.ok(worst <= 1 && differing <= Math.max(1, 0.002 * want.length), `${what}: ${differing} pixels differ, by up to ${worst}`);
      }
      return;
    }
    // libjpeg's fixed-point DCT against our float one: the same quantisation table, about one level per pixel.
    assert.deepEqual([...want.table].sort((a, b) => a - b), [...quantisationTable(c.shift.parameter)].sort((a, b) => a - b), `${what}: quantisation table`);
    let sum = 0;
    let worst = 0;
    want.pixels.forEach((v, i) => {
      const d = Math.abs(v - c.ours[i]!);
      sum += d;
      worst = Math.max(worst, d);
    });
    const mean = sum / want.pixels.length;
    assert.ok(mean < 0.6 && worst <= 4, `${what}: mean |difference| from Pillow ${mean.toFixed(3)}, worst ${worst}`);
  });
});

test('noise is seeded, zero-mean and of the stated spread', () => {
  const a = gaussianNoise(20_000, 10, 5);
  assert.deepEqual(a, gaussianNoise(20_000, 10, 5));
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (a.length - 1));
  assert.ok(Math.abs(mean) < 0.3 && Math.abs(sd - 10) < 0.3, `mean ${mean}, sd ${sd}`);
});
