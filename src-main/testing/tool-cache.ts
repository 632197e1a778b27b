// What an outside tool wrote for given inputs, kept for the next test file on this machine: the stored-value corpus
// test (src-main/ingest/corpus-coverage.test.ts) and the Chromium screen test (e2e/viewer-re-encodings.test.ts) ask
// dcmtk and gdcm for the same re-encodings, uncompressed copies and dcm2pnm renderings, and whichever runs first makes
// them. An entry is keyed by the tool's binary (path, size, change time), its options and the bytes of every input, so
// a changed input or a new tool version is a new entry. What a tool made is kept, and an encoder's refusal with its
// words; a tool that fails (throws) runs again.
// The folder ($TMPDIR/angio-tool-cache, some 750 MB for the whole corpus) may be deleted at any time; ANGIO_TOOL_CACHE=0
// turns the cache off.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './oracle-tool.ts';

const CACHE_DIR = join(tmpdir(), 'angio-tool-cache');

export interface ToolCall {
  tool: string;
  /** Everything but the input and output paths. */
  options: readonly string[];
  inputs: readonly string[];
}

function keyOf({ tool, options, inputs }: ToolCall): string {
  const binary = requireTool(tool);
  const { size, ctimeMs } = statSync(binary);
  const hash = createHash('sha256').update(JSON.stringify({ binary, size, ctimeMs, options }));
  for (const input of inputs) hash.update(createHash('sha256').update(readFileSync(input)).digest());
  return hash.digest('hex');
}

/**
 * Fills `output` (a file, or a folder that may already exist) from the cache, else runs `make`, which writes it, and
 * keeps what it wrote. The entry appears whole or not at all (renamed into place), so tests running side by side agree.
 */
export function cachedOutput(call: ToolCall, output: string, make: () => void): void {
  cachedAttempt(call, output, () => {
    make();
    return null;
  });
}

/**
 * As cachedOutput, for a tool that may decline the input: `make` returns what the tool said when it declined (having
 * written nothing), and that verdict is kept and returned as well; null when it wrote `output`.
 */
export function cachedAttempt(call: ToolCall, output: string, make: () => string | null): string | null {
  if (process.env.ANGIO_TOOL_CACHE === '0') return make();
  const entry = join(CACHE_DIR, keyOf(call));
  if (existsSync(join(entry, 'complete'))) {
    if (existsSync(join(entry, 'declined'))) return readFileSync(join(entry, 'declined'), 'utf8');
    cpSync(join(entry, 'output'), output, { recursive: true });
    return null;
  }
  const declined = make();
  if (declined === null && !existsSync(output)) return null;
  mkdirSync(CACHE_DIR, { recursive: true });
  const staging = mkdtempSync(join(CACHE_DIR, 'staging-'));
  try {
    if (declined === null) cpSync(output, join(staging, 'output'), { recursive: true });
    else writeFileSync(join(staging, 'declined'), declined);
    writeFileSync(join(staging, 'complete'), '');
    renameSync(staging, entry);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another test kept the same entry first
  }
  return declined;
}
