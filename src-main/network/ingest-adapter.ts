// Wires IngestFile to ingest's import path (IngestService.runImport: de-identification, dedupe, audit, import log).
// runImport takes a folder, so each file is staged alone in a folder named after its origin, then cleaned up.
import { randomUUID } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestService } from '../ingest/index.ts';
import type { IngestFile } from './ingest-port.ts';

const safeLabel = (label: string): string => label.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 32) || 'unknown';

export function ingestThroughService(service: Pick<IngestService, 'runImport'>, stagingDir: string): IngestFile {
  return async (path, origin) => {
    const folder = join(stagingDir, `${origin.source}-${safeLabel(origin.label)}-${randomUUID().slice(0, 8)}`);
    mkdirSync(folder, { recursive: true });
    const staged = join(folder, 'instance.dcm');
    try {
      try {
        linkSync(path, staged);
      } catch {
        copyFileSync(path, staged);
      }
      let rejection: { reason: string; message: string } | null = null;
      const counts = await service.runImport(randomUUID(), { root: folder, reader: null }, {
        progress: () => undefined,
        throwIfCancelled: () => undefined,
        rejected: (entry) => (rejection = entry),
      });
      if (counts.imported + counts.document > 0) return { status: 'imported' };
      if (counts.duplicate > 0) return { status: 'duplicate' };
      const why = rejection as { reason: string; message: string } | null;
      return { status: 'rejected', reason: why?.reason ?? (counts.unsupported > 0 ? 'unsupported' : 'rejected'), message: why?.message };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };
}
