// JPEG re-compression of a grey image without writing a bitstream: baseline JPEG loses information only where it
// quantises the 8 × 8 DCT coefficients (the entropy coding is lossless), so the decoded picture is
// IDCT(Q · round(DCT(x − 128) / Q)) + 128 with the IJG quality-scaled luminance table. Edge blocks are padded by
// repeating the last row and column, as libjpeg does. libjpeg's fixed-point DCT differs from this float DCT by about
// one grey level at most pixels (checked against Pillow's encoder in the tests).

/** ITU-T T.81 Annex K, Table K.1: the luminance quantisation table in natural (row-major) order. */
const LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** The IJG (libjpeg) scaling of the Annex K table to a quality of 1–100, clamped to baseline's 1–255. */
export function quantisationTable(quality: number): Int32Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  return Int32Array.from(LUMINANCE, (base) => Math.min(255, Math.max(1, Math.floor((base * scale + 50) / 100))));
}

const COS = (() => {
  const c = new Float64Array(64);
  for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) c[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  return c;
})();
const alpha = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);

export function jpegRecompress(pixels: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  const table = quantisationTable(quality);
  const out = new Uint8Array(width * height);
  const block = new Float64Array(64);
  const coefficients = new Float64Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = pixels[Math.min(height - 1, by + y) * width + Math.min(width - 1, bx + x)]! - 128;
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += block[y * 8 + x]! * COS[x * 8 + u]! * COS[y * 8 + v]!;
          const q = table[v * 8 + u]!;
          coefficients[v * 8 + u] = Math.round((0.25 * alpha(u) * alpha(v) * sum) / q) * q;
        }
      }
      for (let y = 0; y < 8 && by + y < height; y++) {
        for (let x = 0; x < 8 && bx + x < width; x++) {
          let sum = 0;
          for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) sum += alpha(u) * alpha(v) * coefficients[v * 8 + u]! * COS[x * 8 + u]! * COS[y * 8 + v]!;
          out[(by + y) * width + bx + x] = Math.min(255, Math.max(0, Math.round(0.25 * sum + 128)));
        }
      }
    }
  }
  return out;
}
