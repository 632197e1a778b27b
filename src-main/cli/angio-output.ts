// How every `angio` command speaks: --json prints one JSON document on stdout, otherwise plain lines for people;
// a failure is one JSON {code, message} line on stderr and a non-zero exit, so scripts can branch on the code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../ipc/index.ts';

/** Exit status of a command that ran and failed, and of one called wrongly (unknown command, bad option). */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends AppError {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into a usage error that names the command's --help. */
export function commandArgs<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError('invalid-arguments', `${(error as Error).message.replace(/\.?$/, '.')} Run \`angio ${command} --help\` for usage.`);
  }
}

export function printResult(json: boolean, document: unknown, lines: string[]): void {
  process.stdout.write(json ? `${JSON.stringify(document, null, 2)}\n` : `${lines.join('\n')}\n`);
}

/** The {code, message} line a failure prints; errors from outside the app's services keep their system code. */
export function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return { code: typeof code === 'string' ? code : 'internal', message };
}

export function printFailure(error: unknown): number {
  process.stderr.write(`${JSON.stringify(failureOf(error))}\n`);
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
}
