// PNG decoding and encoding of 8-bit grey images (patches, thumbnails, report figures).
// Only what other folders use is exported here.
export { isSound8BitPng } from './png-grey8.ts';
export { type DecodedPng, decodePng, encodePng } from './png.ts';
