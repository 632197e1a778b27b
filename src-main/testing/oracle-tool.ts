// Runs an outside tool that judges what our code wrote (dcmtk, dicom3tools, poppler, gdcm, python3) at test time.
// A tool that is missing, cannot start, is killed or exits the way it signals failure throws: no check passes without it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface OracleCall {
  /** What the tool reads or judges (a file, a script), named in every error. */
  subject: string;
  /**
   * Exit statuses that mean the tool did its job. 0 for every tool the tests use (dcmtk, poppler, gdcm, python3 exit
   * 1 on a file they cannot read) except dciodvfy, which exits 1 whenever it reports an Error line.
   */
  acceptStatuses?: readonly number[];
  /** Written to the tool's stdin. */
  input?: string;
  /** How stdout and stderr are decoded: dcmtk prints file values as raw bytes, hence latin1 for its dumps. */
  encoding?: BufferEncoding;
  timeoutMs?: number;
  maxBuffer?: number;
  /** The tool's environment; its PATH is also where the tool is looked up. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface OracleOutput {
  status: number;
  stdout: string;
  stderr: string;
}

export class OracleToolError extends Error {
  readonly tool: string;

  constructor(tool: string, message: string) {
    super(message);
    this.name = 'OracleToolError';
    this.tool = tool;
  }
}

const SETUP_HINT = 'scripts/setup.sh installs every oracle tool';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where `tool` runs from: the path itself when it has a slash, else the first executable of that name on `searchPath`. */
export function requireTool(tool: string, searchPath: string = process.env.PATH ?? ''): string {
  const candidates = tool.includes('/') ? [tool] : searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, tool));
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  const where = tool.includes('/') ? `${tool} does not exist or is not executable` : `${tool} is not on PATH (${searchPath || 'empty'})`;
  throw new OracleToolError(tool, `oracle tool missing: ${where}; the check cannot run without it (${SETUP_HINT})`);
}

/** The last part of a tool's own words, enough to say why it failed without flooding the test report. */
function lastWords(run: { stdout: string | null; stderr: string | null }): string {
  const said = `${run.stderr ?? ''}\n${run.stdout ?? ''}`.trim();
  return said.length > 4000 ? `…${said.slice(-4000)}` : said || '(it printed nothing)';
}

/** Runs `tool` synchronously and returns its output once its exit status says it did its job; throws otherwise. */
export function runOracle(tool: string, args: readonly string[], call: OracleCall): OracleOutput {
  const env = call.env ?? process.env;
  const executable = requireTool(tool, env.PATH ?? '');
  const run = spawnSync(executable, args, {
    input: call.input,
    encoding: call.encoding ?? 'utf8',
    timeout: call.timeoutMs ?? 120_000,
    maxBuffer: call.maxBuffer ?? 64 * 1024 * 1024,
    env,
    cwd: call.cwd,
  });
  const what = `${tool} on ${call.subject}`;
  // Time-outs (ETIMEDOUT) and overflowing output (ENOBUFS) arrive as errors, with the process killed.
  if (run.error) throw new OracleToolError(tool, `${what} could not run to the end: ${run.error.message}\n${lastWords(run)}`);
  if (run.status === null) throw new OracleToolError(tool, `${what} was killed by ${run.signal ?? 'a signal'}: ${lastWords(run)}`);
  const accepted = call.acceptStatuses ?? [0];
  if (!accepted.includes(run.status)) throw new OracleToolError(tool, `${what} failed (exit ${run.status}): ${lastWords(run)}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
