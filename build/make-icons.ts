// Rasterises resources/icon.svg into every icon the installers need: icon.png (1024), icons/<n>x<n>.png for Linux,
// icon.ico (PNG-compressed entries, 16–256) for Windows and icon.icns (PNG entries, 16–1024) for macOS.
// Run after editing the SVG: node build/make-icons.ts (outputs are committed; packaging does not run this).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const resources = join(import.meta.dirname, '..', 'resources');
const svg = readFileSync(join(resources, 'icon.svg'), 'utf8');
const render = (size: number): Buffer => Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng());

/** ICO: a 6-byte header, one 16-byte entry per image, then the PNG images (Vista+ reads PNG entries). */
function ico(sizes: number[]): Buffer {
  const images = sizes.map(render);
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(images[index]!.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += images[index]!.length;
  });
  return Buffer.concat([header, ...images]);
}

/** ICNS: 'icns' + total length, then (OSType, length incl. 8-byte header, PNG data) per size. */
function icns(types: [string, number][]): Buffer {
  const chunks = types.map(([type, size]) => {
    const png = render(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

mkdirSync(join(resources, 'icons'), { recursive: true });
writeFileSync(join(resources, 'icon.png'), render(1024));
for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), render(size));
writeFileSync(join(resources, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]));
writeFileSync(join(resources, 'icon.icns'), icns([['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]));
console.log(`icons written to ${resources}`);
