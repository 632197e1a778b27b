// Builds the native sources outside node-gyp for the native tests: the engine core's test driver against the
// addon's own objects, and a sanitizer build (drivers + addon) into its own folder, never src-main/native/build.
// Compiler words come from the same places node-gyp's come from (binding.gyp, libtorch-paths.cjs, the
// --nodedir of package.json's build:addon), so these builds cannot drift from the shipped addon.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, globSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../app/paths.ts';

export const NATIVE_DIR = join(projectRoot(), 'src-main', 'native');

/** `node libtorch-paths.cjs include|linker`, split into words. */
export function libtorchWords(which: 'include' | 'linker'): string[] {
  const run = spawnSync(process.execPath, ['libtorch-paths.cjs', which], { cwd: NATIVE_DIR, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`libtorch-paths.cjs ${which} failed: ${run.stderr}`);
  return run.stdout.split(/\s+/).filter(Boolean);
}

// libgloo: the engine's data-parallel group (engine/process_group.cc) uses Gloo types from c10d's headers.
export const LIBTORCH_LIBRARIES = ['-ltorch', '-ltorch_cpu', '-lc10', '-lgloo', '-lpthread'];

/** The addon's defines and include folders, as binding.gyp gives them to node-gyp. */
export function addonCompileWords(): string[] {
  const gyp = JSON.parse(readFileSync(join(NATIVE_DIR, 'binding.gyp'), 'utf8')) as { targets: { defines: string[] }[] };
  const script = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build:addon'] ?? '';
  const nodedir = /--nodedir=(\S+)/.exec(script)?.[1];
  if (!nodedir) throw new Error('package.json build:addon names no --nodedir: the Node headers cannot be found');
  const addonApi = join(projectRoot(), 'node_modules', 'node-addon-api');
  return [...gyp.targets[0]!.defines.map((d) => `-D${d}`), `-I${join(projectRoot(), nodedir, 'include', 'node')}`, `-I${addonApi}`];
}

/** Every core and binding source the addon compiles (binding.gyp's find over quantum, engine, binding). */
export function sourcesUnder(...folders: string[]): string[] {
  return folders.flatMap((folder) => globSync(`${folder}/*.cc`, { cwd: NATIVE_DIR })).sort();
}

export interface CompileJob {
  source: string; // relative to NATIVE_DIR
  words: string[]; // everything but -c, the source and -o
}

function run(command: string, args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: NATIVE_DIR });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** Hash of every header under the native folder: an object is reused only while none of them changed. */
function headersHash(): string {
  const hash = createHash('sha256');
  for (const header of globSync('**/*.h', { cwd: NATIVE_DIR, exclude: ['build/**'] }).sort()) {
    hash.update(header).update(readFileSync(join(NATIVE_DIR, header)));
  }
  return hash.digest('hex');
}

/**
 * Compiles the jobs in parallel into `folder`, each object named by a hash of its source, its compiler words and
 * every header, so a second run reuses what has not changed. Returns the object paths in job order.
 */
export async function compileCached(folder: string, jobs: CompileJob[]): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const headers = headersHash();
  const objects = jobs.map((job) => {
    const key = createHash('sha256').update(headers).update(job.words.join('\0')).update(readFileSync(join(NATIVE_DIR, job.source)));
    return join(folder, `${job.source.replaceAll('/', '_')}.${key.digest('hex').slice(0, 16)}.o`);
  });
  const pending = jobs.map((job, i) => ({ job, object: objects[i]! })).filter(({ object }) => !existsSync(object));
  const failures: string[] = [];
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const partial = `${next.object}.partial`;
      const result = await run('g++', [...next.job.words, '-c', next.job.source, '-o', partial]);
      if (result.status === 0) renameSync(partial, next.object);
      else failures.push(`${next.job.source}:\n${result.output}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  if (failures.length > 0) throw new Error(`g++ failed:\n${failures.join('\n')}`);
  return objects;
}

/** Links objects into `output` (the words, libraries among them, come after the objects that need them). */
export async function link(output: string, objects: string[], words: string[]): Promise<void> {
  const result = await run('g++', [...objects, '-o', output, ...words]);
  if (result.status !== 0) throw new Error(`linking ${output} failed:\n${result.output.slice(0, 4000)}`);
}
