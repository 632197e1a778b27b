// Renders a phantom scene as an X-ray would form it: contrast path length through each circular lumen (the chord
// 2·√(r² − d²), on a 2×2 sub-pixel grid averaged over the detector pixel), Beer–Lambert attenuation over a smooth
// background, a Gaussian PSF, quantum noise and quantisation to the stored bits. Vessels come out dark.
import { gaussianBlur, type FloatImage } from '../image.ts';
import { normalAt, PATH_STEP, seededRandom, type PhantomScene, type PhantomSpec, type Tube } from './phantom-geometry.ts';

const SUPERSAMPLE = 2;
/** Iodinated contrast attenuation per millimetre of lumen: a 3 mm artery transmits about 60 % at its centre. */
const CONTRAST_MU_PER_MM = 0.17;

/** Path length (pixels) through the tube's lumen along the beam, written where larger (overlapping lumens merge). */
function addTube(lengths: Float32Array, side: number, tube: Tube): void {
  const scale = SUPERSAMPLE;
  const nearest = new Float32Array(side * side).fill(Infinity);
  const chord = new Float32Array(side * side);
  const maxRadius = Math.max(...tube.radius) + Math.max(...tube.shift.map(Math.abs));
  const reach = Math.ceil((maxRadius + 2) * scale);
  for (let j = 0; j < tube.path.length; j++) {
    const p = tube.path[j]!;
    const n = normalAt(tube.path, j);
    const r = tube.radius[j]!;
    const shift = tube.shift[j]!;
    const cx = (p.x + 0.5) * scale - 0.5;
    const cy = (p.y + 0.5) * scale - 0.5;
    for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(side - 1, Math.ceil(cy + reach)); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(side - 1, Math.ceil(cx + reach)); x++) {
        const dx = (x - cx) / scale;
        const dy = (y - cy) / scale;
        const along = Math.abs(dx * n.y - dy * n.x);
        const i = y * side + x;
        if (along >= nearest[i]!) continue;
        nearest[i] = along;
        const across = dx * n.x + dy * n.y - shift;
        chord[i] = across * across < r * r ? 2 * Math.sqrt(r * r - across * across) : 0;
      }
    }
  }
  for (let i = 0; i < chord.length; i++) if (nearest[i]! <= PATH_STEP && chord[i]! > lengths[i]!) lengths[i] = chord[i]!;
}

export function renderPhantom(spec: PhantomSpec, scene: PhantomScene): { pixels: Uint16Array; image: FloatImage } {
  const size = spec.size;
  const side = size * SUPERSAMPLE;
  const lengths = new Float32Array(side * side);
  for (const tube of scene.tubes) addTube(lengths, side, tube);
  const random = seededRandom(spec.seed * 104729 + 3);
  const mu = CONTRAST_MU_PER_MM * scene.truth.mmPerPixel;
  const phase = random() * Math.PI * 2;
  const intensity = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let transmitted = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) for (let sx = 0; sx < SUPERSAMPLE; sx++) transmitted += Math.exp(-mu * lengths[(y * SUPERSAMPLE + sy) * side + x * SUPERSAMPLE + sx]!);
      // Soft tissue and bone as a slow background swell (never an edge the vessel detector could take).
      const tissue = 0.75 + 0.12 * Math.sin((2 * Math.PI * x) / size + phase) * Math.cos((1.3 * Math.PI * y) / size);
      intensity[y * size + x] = tissue * (transmitted / (SUPERSAMPLE * SUPERSAMPLE));
    }
  }
  const blurred = gaussianBlur({ width: size, height: size, data: intensity }, spec.psfSigmaPx).data;
  const top = 2 ** spec.bitsStored - 1;
  const pixels = new Uint16Array(size * size);
  const image = new Float32Array(size * size);
  for (let i = 0; i < pixels.length; i++) {
    // Quantum noise grows with the square root of the signal; Box–Muller for the normal draw.
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const value = blurred[i]! + spec.noise * Math.sqrt(blurred[i]!) * gaussian;
    pixels[i] = Math.max(0, Math.min(top, Math.round(value * top)));
    image[i] = pixels[i]!;
  }
  return { pixels, image: { width: size, height: size, data: image } };
}
