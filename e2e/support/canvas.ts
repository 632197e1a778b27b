// Reading what a canvas holds, at its full backing-store resolution: one channel of getImageData, carried out of
// the page as base64 (a 1024² channel as a JSON number array would be 4 MB of text).
import type { Page } from 'playwright-core';

/** Channel 0–3 (R, G, B, A) of the canvas with data-testid `testId`. Alpha is exact; colour is premultiplied. */
export async function canvasChannel(page: Page, testId: string, channel: 0 | 1 | 2 | 3): Promise<{ width: number; height: number; values: Uint8Array }> {
  const { width, height, base64 } = await page.evaluate(
    ([id, c]) => {
      const canvas = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement;
      const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let binary = '';
      for (let i = c; i < rgba.length; i += 4) binary += String.fromCharCode(rgba[i]!);
      return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
    },
    [testId, channel] as const,
  );
  return { width, height, values: new Uint8Array(Buffer.from(base64, 'base64')) };
}
