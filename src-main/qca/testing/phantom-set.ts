// The validation phantom set: specs stratified over the ranges (every healthy
// diameter 1.5–4.5 mm meets every stenosis 20–80 %, PSF σ 0.5–1.5 px, 10–12 bits, 512² and 1024², concentric and
// eccentric), and a file writer for tests and scripts.
import { phantomDicom } from './phantom-dicom.ts';
import { phantomScene, type PhantomScene, type PhantomSpec } from './phantom-geometry.ts';
import { renderPhantom } from './phantom-render.ts';

/** Stratum k of PHANTOM_COUNT, visited in the order of a stride coprime to the count: each variable walks its
 * whole range once, and different strides keep the variables from moving together. */
function stratum(k: number, stride: number): number {
  return (((k * stride) % PHANTOM_COUNT) + 0.5) / PHANTOM_COUNT;
}

/** How many phantoms the validation test and docs/qca-validation.md measure. */
export const PHANTOM_COUNT = 24;

export function phantomSpec(k: number): PhantomSpec {
  const large = k % 2 === 1;
  return {
    name: `qca-phantom-${String(k).padStart(2, '0')}`,
    size: large ? 1024 : 512,
    bitsStored: ([10, 11, 12] as const)[k % 3]!,
    // 512²: 0.27 mm detector pixels, 1000/700 mm → 0.189 mm at the isocenter; 1024²: 0.154 mm, 1100/750 → 0.105 mm.
    imagerPixelSpacing: large ? 0.154 : 0.27,
    sid: large ? 1100 : 1000,
    sod: large ? 750 : 700,
    healthyDiameterMm: 1.5 + 3 * stratum(k, 7),
    stenosis: 0.2 + 0.6 * stratum(k, 11),
    lesionLengthMm: 6 + 8 * stratum(k, 13),
    eccentricity: k % 4 < 2 ? 0 : 0.5 + 0.5 * stratum(k, 17),
    psfSigmaPx: 0.5 + stratum(k, 5),
    noise: 0.004 + 0.008 * stratum(k, 19),
    catheterFrench: [5, 6, 7][k % 3]!,
    seed: k + 1,
  };
}

export interface Phantom {
  spec: PhantomSpec;
  scene: PhantomScene;
  bytes: Uint8Array;
}

export function makePhantom(spec: PhantomSpec): Phantom {
  const scene = phantomScene(spec);
  const { pixels } = renderPhantom(spec, scene);
  return { spec, scene, bytes: phantomDicom(spec, pixels) };
}
