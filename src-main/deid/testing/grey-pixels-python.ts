// The pixel module of the small grey images the de-identification tests write with pydicom: the tests are about
// the header, so the pixels are only what makes the image one the app decodes.

/** pydicom statements setting `ds` to a side × side MONOCHROME2 8-bit image whose pixels count up from 0. */
export function greyPixelsPython(side: number): string {
  return `ds.Rows = ${side}
ds.Columns = ${side}
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = 'MONOCHROME2'
ds.BitsAllocated = 8
ds.BitsStored = 8
ds.HighBit = 7
ds.PixelRepresentation = 0
ds.PixelData = bytes(range(${side * side}))`;
}
