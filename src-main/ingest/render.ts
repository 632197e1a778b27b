// From a decoded frame to display grey levels with the data set's own rescale/VOI, through dicom/display.ts.
import { colourFrameToRgb8, type DecodedFrame, displayWindow, type ImageDescription, paletteToRgb, renderGrey8 } from '../dicom/index.ts';
import { toLuma, type GreyImage } from './thumbnail.ts';

export function frameToGrey(frame: DecodedFrame, image: ImageDescription): GreyImage {
  const base = { width: frame.width, height: frame.height };
  if (frame.samplesPerPixel === 3) return { ...base, pixels: toLuma(colourFrameToRgb8(frame)) };
  if (frame.photometric === 'PALETTE COLOR' && image.palette) return { ...base, pixels: toLuma(paletteToRgb(frame.pixels, image.palette)) };
  const window = displayWindow(image);
  return {
    ...base,
    pixels: renderGrey8(frame.pixels, {
      rescale: image.rescale,
      modalityLut: image.modalityLut,
      window,
      voiLut: window ? undefined : image.voiLut,
      voiFunction: image.voiFunction,
      invert: frame.photometric === 'MONOCHROME1',
    }),
  };
}

/** Mean grey of a frame: contrast-filled vessels darken an angiogram, so the darkest frame shows them best. */
export function meanGrey(pixels: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i += 7) sum += pixels[i] as number;
  return sum / Math.ceil(pixels.length / 7);
}
