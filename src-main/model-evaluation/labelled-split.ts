// A labelled split as the data set lays it out (<root>/<split>/{positive,negative}/*.png), read at each patch's own
// resolution and in 8-bit grey: the form the shifts and the model's own preprocessing both start from.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { readGreyImage, toGrey8 } from '../inference/index.ts';
import type { GreyPatch } from '../evaluation/index.ts';

export interface LabelledPatch extends GreyPatch {
  id: string;
  label: 0 | 1;
}

const CLASS_FOLDERS = [['negative', 0], ['positive', 1]] as const;

export async function readLabelledSplit(root: string, split: string): Promise<LabelledPatch[]> {
  const dir = join(root, split);
  const out: LabelledPatch[] = [];
  for (const [folder, label] of CLASS_FOLDERS) {
    const classDir = join(dir, folder);
    if (!existsSync(classDir)) throw new AppError('split-missing', `No ${folder} folder at ${classDir}: give the labelled root that holds ${split}/positive and ${split}/negative.`);
    for (const name of readdirSync(classDir).filter((n) => n.toLowerCase().endsWith('.png')).sort()) {
      const image = await readGreyImage(join(classDir, name));
      out.push({ id: `${split}/${folder}/${name}`, label, width: image.width, height: image.height, pixels: toGrey8(image) });
    }
  }
  if (!out.some((p) => p.label === 1) || !out.some((p) => p.label === 0)) {
    throw new AppError('evaluation-one-class', `${dir} holds only one class; both positive and negative patches are needed.`);
  }
  return out;
}
