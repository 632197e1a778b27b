// A fuzz campaign against the app's import path: seeded mutations of the shared DICOM files, P-ADSD PNG patches or
// manifest.csv files, each imported by a child process (import-child.ts) under a time and a memory bound. Every case
// must end as an import or a typed rejection; the data folder is checked for consistency after every batch. With a
// probe (probe-search.ts), the de-identification probe is imported first and its markers searched for at the end.
// Case i of seed s is rebuilt from (s, i) alone, so a failure printed by a test reproduces exactly.
import { fork, type ChildProcess } from 'node:child_process';
import { globSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { seededRandom, type SeededRandom } from '../../../src-main/random/seeded-random.ts';
import { checkDataFolder } from '../store-consistency.ts';
import type { ChildAnswer, ChildCase } from './import-child.ts';
import { mutateDicom } from './dicom-mutations.ts';
import { mutateManifest } from './manifest-mutations.ts';
import { mutatePng } from './png-mutations.ts';
import { probeMarkersFound, type ProbeInput } from './probe-search.ts';

export type Corpus = 'dicom' | 'png' | 'manifest';

export interface CampaignOptions {
  corpus: Corpus;
  seed: number;
  cases: number;
  /** First case number (a later chunk of the same seed). */
  firstCase?: number;
  sharedDataDir: string;
  /** The app's data folder the child imports into (kept across cases, as on a workstation). */
  dataDir: string;
  /** Scratch folder for the case files. */
  workDir: string;
  /** Skip source files larger than this (CI keeps to the small ones). */
  maxSourceBytes?: number;
  timeBoundMs: number;
  memoryBoundMb: number;
  /** The import's per-frame codec deadline inside the child. */
  decodeDeadlineMs: number;
  /** Consistency check after this many cases (and at the end, with hashes). */
  checkEvery?: number;
  /** Where failing cases are written for a person to replay. */
  failuresDir?: string;
  /** The de-identification probe: imported first, its markers searched for outside the vault after the last case. */
  probe?: ProbeInput;
  log?: (line: string) => void;
}

export interface Figures {
  tried: number;
  accepted: number;
  rejected: number;
  crashes: number;
  hangs: number;
  memory: number;
  untyped: number;
  /** Imported, but a later decode (thumbnail, training) could not read it. */
  unreadable: number;
  /** A manifest row leaving the folder was not refused. */
  traversal: number;
}

export interface FailedCase {
  seed: number;
  caseId: number;
  corpus: Corpus;
  source: string;
  kind: string;
  detail: string;
  what: string;
  message: string;
  file?: string;
}

export interface CampaignResult {
  corpus: Corpus;
  seed: number;
  total: Figures;
  perKind: Record<string, Figures>;
  rejectReasons: Record<string, number>;
  dataProblems: string[];
  failures: FailedCase[];
  elapsedMs: number;
  maxRssMb: number;
}

const emptyFigures = (): Figures => ({ tried: 0, accepted: 0, rejected: 0, crashes: 0, hangs: 0, memory: 0, untyped: 0, unreadable: 0, traversal: 0 });

/** The generator for one case: a function of (seed, case) only. */
export function caseRandom(seed: number, caseId: number): SeededRandom {
  const mixed = seededRandom((seed * 0x9e3779b1 + caseId * 0x85ebca6b) >>> 0);
  mixed.next();
  return mixed;
}

export function corpusFiles(corpus: Corpus, sharedDataDir: string, maxBytes = Infinity): string[] {
  if (corpus === 'dicom') {
    return globSync('dicom/*/*.dcm', { cwd: sharedDataDir })
      .sort()
      .filter((f) => readFileSync(join(sharedDataDir, f)).length <= maxBytes);
  }
  return globSync('p-adsd/labeled/*/*/*.png', { cwd: sharedDataDir }).sort().slice(0, 400);
}

interface BuiltCase {
  source: string;
  kind: string;
  detail: string;
  decodePatches: boolean;
  escapes: boolean;
  files: { path: string; bytes: Uint8Array | string }[];
}

function buildCase(options: CampaignOptions, files: string[], caseId: number): BuiltCase {
  const random = caseRandom(options.seed, caseId);
  const source = files[random.below(files.length)] as string;
  const original = readFileSync(join(options.sharedDataDir, source));
  if (options.corpus === 'dicom') {
    const m = mutateDicom(original, random);
    return { source, kind: m.kind, detail: m.detail, decodePatches: false, escapes: false, files: [{ path: basename(source), bytes: m.bytes }] };
  }
  if (options.corpus === 'png') {
    const m = mutatePng(original, random);
    return { source, kind: m.kind, detail: m.detail, decodePatches: true, escapes: false, files: [{ path: `labeled/train/positive/${basename(source)}`, bytes: m.bytes }] };
  }
  const patches = [0, 1, 2].map((i) => files[(files.indexOf(source) + i * 37) % files.length] as string);
  const paths = patches.map((p, i) => `patches/${i}-${basename(p)}`);
  const manifest = mutateManifest(paths, random);
  return {
    source: 'manifest.csv',
    kind: manifest.kind,
    detail: manifest.detail,
    decodePatches: false,
    escapes: manifest.escapes,
    files: [...patches.map((p, i) => ({ path: paths[i] as string, bytes: readFileSync(join(options.sharedDataDir, p)) })), { path: 'manifest.csv', bytes: manifest.text }],
  };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

class ImportChild {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  stderr = '';
  private waiting: ((answer: ChildAnswer | { died: string }) => void) | null = null;

  constructor(dataDir: string, decodeDeadlineMs: number) {
    this.process = fork(join(import.meta.dirname, 'import-child.ts'), [dataDir, String(decodeDeadlineMs)], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.ready = new Promise((resolve, reject) => {
      this.process.once('message', () => resolve());
      this.process.once('exit', (code, signal) => reject(new Error(`the import child exited before it was ready (${code ?? signal}): ${this.stderr}`)));
    });
    this.process.on('message', (message: ChildAnswer) => {
      if ('caseId' in message) this.settle(message);
    });
    this.process.on('exit', (code, signal) => this.settle({ died: `exit code ${code}, signal ${signal}` }));
  }

  private settle(answer: ChildAnswer | { died: string }): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(answer);
  }

  run(c: ChildCase): Promise<ChildAnswer | { died: string }> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.process.send(c);
    });
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.send({ type: 'exit' });
    const timer = setTimeout(() => this.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const files = corpusFiles(options.corpus, options.sharedDataDir, options.maxSourceBytes);
  if (files.length === 0) throw new Error(`no ${options.corpus} files under ${options.sharedDataDir}`);
  const total = emptyFigures();
  const perKind: Record<string, Figures> = {};
  const rejectReasons: Record<string, number> = {};
  const failures: FailedCase[] = [];
  const dataProblems: string[] = [];
  let maxRss = 0;
  const checkEvery = options.checkEvery ?? 50;
  let child = new ImportChild(options.dataDir, options.decodeDeadlineMs);
  await child.ready;
  if (options.probe) {
    const answer = await child.run({ caseId: -1, folder: options.probe.root, decodePatches: false });
    if ('died' in answer || answer.outcome !== 'accepted') dataProblems.push(`the de-identification probe was not imported: ${JSON.stringify(answer)}`);
  }

  const first = options.firstCase ?? 0;
  for (let caseId = first; caseId < first + options.cases; caseId++) {
    const built = buildCase(options, files, caseId);
    const folder = join(options.workDir, `case-${caseId}`);
    for (const f of built.files) {
      mkdirSync(join(folder, f.path, '..'), { recursive: true });
      writeFileSync(join(folder, f.path), f.bytes);
    }
    const figures = (perKind[built.kind] ??= emptyFigures());
    const count = (key: keyof Figures) => {
      figures[key]++;
      total[key]++;
    };
    count('tried');
    const fail = (what: keyof Figures, message: string) => {
      count(what);
      const failure: FailedCase = { seed: options.seed, caseId, corpus: options.corpus, source: built.source, kind: built.kind, detail: built.detail, what, message: message.slice(0, 2000) };
      if (options.failuresDir) {
        mkdirSync(options.failuresDir, { recursive: true });
        const dir = join(options.failuresDir, `${options.corpus}-seed${options.seed}-case${caseId}`);
        for (const f of built.files) {
          mkdirSync(join(dir, f.path, '..'), { recursive: true });
          writeFileSync(join(dir, f.path), f.bytes);
        }
        failure.file = dir;
      }
      failures.push(failure);
      options.log?.(`FAIL ${what}: seed ${options.seed} case ${caseId} (${options.corpus}, ${built.source}, ${built.kind}: ${built.detail}) ${message.slice(0, 300)}`);
    };

    let overMemory = false;
    const poll = setInterval(() => {
      const rss = rssMb(child.process.pid);
      maxRss = Math.max(maxRss, rss);
      if (rss > options.memoryBoundMb) {
        overMemory = true;
        child.kill();
      }
    }, 100);
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill();
    }, options.timeBoundMs);
    const answer = await child.run({ caseId, folder, decodePatches: built.decodePatches });
    clearTimeout(timer);
    clearInterval(poll);
    rmSync(folder, { recursive: true, force: true });

    if ('died' in answer) {
      if (hung) fail('hangs', `no answer within ${options.timeBoundMs} ms`);
      else if (overMemory) fail('memory', `the import used more than ${options.memoryBoundMb} MB`);
      else fail('crashes', `the import process died (${answer.died}): ${child.stderr.slice(-1500)}`);
      child = new ImportChild(options.dataDir, options.decodeDeadlineMs);
      await child.ready;
    } else {
      maxRss = Math.max(maxRss, answer.rssMb);
      if (answer.outcome === 'untyped') fail('untyped', `${answer.reason}: ${answer.message}`);
      else if (answer.outcome === 'accepted-unreadable') fail('unreadable', `imported, then ${answer.reason}: ${answer.message}`);
      else if (built.escapes && !(answer.outcome === 'rejected' && answer.reason === 'manifest-path-outside')) fail('traversal', `a manifest row outside the folder was not refused (${answer.outcome} ${answer.reason})`);
      else {
        count(answer.outcome);
        if (answer.outcome === 'rejected') rejectReasons[answer.reason] = (rejectReasons[answer.reason] ?? 0) + 1;
      }
      if (answer.rssMb > options.memoryBoundMb) fail('memory', `the import process holds ${answer.rssMb} MB after the case`);
    }

    const last = caseId === first + options.cases - 1;
    if ((caseId - first + 1) % checkEvery === 0 || last) {
      const report = checkDataFolder(options.dataDir, { verifyHashes: last });
      for (const problem of report.problems) {
        dataProblems.push(`after case ${caseId}: ${problem}`);
        options.log?.(`DATA seed ${options.seed} after case ${caseId}: ${problem}`);
      }
      options.log?.(`${options.corpus} seed ${options.seed}: ${caseId - first + 1}/${options.cases} cases, ${total.accepted} accepted, ${total.rejected} rejected, ${failures.length} failures, ${report.counts.instances} instances, ${report.counts.datasetItems} items, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  await child.stop();
  if (options.probe) {
    for (const hit of probeMarkersFound(options.dataDir, options.probe.needles)) dataProblems.push(`de-identification probe marker ${hit}`);
  }
  return { corpus: options.corpus, seed: options.seed, total, perKind, rejectReasons, dataProblems, failures, elapsedMs: Date.now() - started, maxRssMb: Math.round(maxRss) };
}
