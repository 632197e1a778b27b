// Test folders of small distinct PNG patches, with an optional manifest.csv (path, patient_id, label, split), for
// exercising splits and leakage with patient ids (P-ADSD has none). Each image's pixels come from its name, so
// every file has its own content hash and the import takes it as a new item.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodePng } from '../../png/png.ts';
import { seededRandom } from '../../random/seeded-random.ts';

export interface PatchSpec {
  path: string;
  patientId?: string;
  label?: 'positive' | 'negative';
  split?: 'train' | 'val' | 'test';
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export function syntheticPatch(name: string, size = 32): Uint8Array {
  const random = seededRandom(hashSeed(name));
  const pixels = Uint8Array.from({ length: size * size }, () => random.below(256));
  return encodePng(size, size, 1, pixels);
}

/** Writes the patches (and a manifest when any carries a patient id) under `root`; returns root. */
export function writePatchFolder(root: string, patches: readonly PatchSpec[], salt = ''): string {
  for (const patch of patches) {
    const file = join(root, patch.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, syntheticPatch(`${salt}${patch.path}`));
  }
  if (patches.some((p) => p.patientId !== undefined)) {
    const lines = ['path,patient_id,label,split', ...patches.map((p) => [p.path, p.patientId ?? '', p.label ?? '', p.split ?? ''].join(','))];
    writeFileSync(join(root, 'manifest.csv'), `${lines.join('\n')}\n`);
  }
  return root;
}
