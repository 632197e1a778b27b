// The app's log as every host writes it: the rotating main.log, with file-system paths taken out of each message.
// The log lies outside the vault, and folder and file names often carry a patient's name or record number, so
// a path appears in it only when it lies under one of the app's own folders (data folder, program folder).
import { isAbsolute, resolve } from 'node:path';
import type { LogLevel } from './context.ts';
import { openRotatingLog, type RotatingLogOptions } from './logger.ts';

export interface AppLogOptions extends RotatingLogOptions {
  /** The app's own folders: paths under them are kept (stack traces, the data folder in the start line). */
  ownFolders: readonly string[];
  /** Also print each record (development runs). */
  echo?: boolean;
}

export interface AppLog {
  readonly file: string;
  log(level: LogLevel, message: string): void;
}

const PATH_PLACEHOLDER = '<path>';
/** A quoted absolute path, as Node's file errors and most messages write one. */
const QUOTED_PATH = /(['"`])((?:\/|[A-Za-z]:[\\/]|\\\\)[^'"`\n]*)\1/g;
/** An unquoted absolute path: it may hold spaces ("Doe^John 1234567/…"), so it runs to the end of its line. A
 * URL's "//host" is not one (the log names the frames it refuses). */
const BARE_PATH = /(^|[\s(=,:\[])((?:\/(?!\/)|[A-Za-z]:[\\/]|\\\\)[^\n]*)/gm;
/** A file URL names a path too. */
const FILE_URL = /file:\/\/[^\s'"`]*/gi;

function ownPrefix(path: string, ownFolders: readonly string[]): string | null {
  for (const folder of ownFolders) if (path.startsWith(folder) && (path.length === folder.length || /[\\/\s)]/.test(path.charAt(folder.length)))) return folder;
  return null;
}

function fileUrlPath(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return '';
  }
}

/** `message` with every absolute path outside `ownFolders` replaced by "<path>". */
export function withoutForeignPaths(message: string, ownFolders: readonly string[]): string {
  const own = ownFolders.filter((folder) => isAbsolute(folder)).map((folder) => resolve(folder));
  const urls = message.replace(FILE_URL, (url) => (ownPrefix(fileUrlPath(url), own) ? url : `file://${PATH_PLACEHOLDER}`));
  const quoted = urls.replace(QUOTED_PATH, (whole, quote: string, path: string) => (ownPrefix(path, own) ? whole : `${quote}${PATH_PLACEHOLDER}${quote}`));
  return quoted.replace(BARE_PATH, (whole, before: string, rest: string) => {
    if (rest.startsWith(PATH_PLACEHOLDER)) return whole;
    const folder = ownPrefix(rest, own);
    if (!folder) return `${before}${PATH_PLACEHOLDER}`;
    // A path under an own folder ends at the first space; what follows is checked again.
    const end = rest.search(/\s/);
    return end < 0 ? whole : `${before}${rest.slice(0, end)}${withoutForeignPaths(rest.slice(end), ownFolders)}`;
  });
}

export function openAppLog(options: AppLogOptions): AppLog {
  const { ownFolders, echo = false, ...rotating } = options;
  const file = openRotatingLog(rotating);
  return {
    file: file.file,
    log(level, message) {
      const clean = withoutForeignPaths(message, ownFolders);
      file.write(level, clean);
      if (echo) (level === 'info' ? console.log : console.warn)(`[${level}] ${clean}`);
    },
  };
}

/** How the shell records an uncaught error or rejection (its stack keeps only the app's own paths). */
export const uncaughtMessage = (kind: 'uncaught' | 'unhandled rejection', reason: unknown): string =>
  `${kind}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`;
