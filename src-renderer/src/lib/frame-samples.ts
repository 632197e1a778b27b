// Typed views over the raw bytes of library.frame: the pixel meta names the layout (little endian, interleaved).
export type FrameFormat = 'gray8' | 'gray16' | 'grayS8' | 'grayS16' | 'rgb8' | 'rgb16';
export type FrameSamples = Uint8Array | Int8Array | Uint16Array | Int16Array;

export function frameSamples(format: FrameFormat, data: ArrayBuffer): FrameSamples {
  switch (format) {
    case 'gray8':
    case 'rgb8':
      return new Uint8Array(data);
    case 'grayS8':
      return new Int8Array(data);
    case 'gray16':
    case 'rgb16':
      return new Uint16Array(data);
    case 'grayS16':
      return new Int16Array(data);
  }
}

export const isColour = (format: FrameFormat): boolean => format === 'rgb8' || format === 'rgb16';
