// Finds the files a DICOMDIR names on media written by many vendors and mounted by many systems: names in another
// case, ISO 9660 version suffixes (";1") and trailing dots are tolerated; names that climb out of the media are not.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** "IM0001", "im0001", "IM0001.;1" and "IM0001;1" are one name on media. */
export function mediaName(name: string): string {
  return name.replace(/;\d+$/, '').replace(/\.$/, '').toUpperCase();
}

export class MediaPathResolver {
  private readonly listings = new Map<string, string[] | null>();
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  private list(dir: string): string[] | null {
    if (!this.listings.has(dir)) {
      try {
        this.listings.set(dir, readdirSync(dir));
      } catch {
        this.listings.set(dir, null);
      }
    }
    return this.listings.get(dir) ?? null;
  }

  /** The existing file for a Referenced File ID, or null when it is missing (or the ID is not a plain relative name). */
  resolve(components: readonly string[]): string | null {
    if (components.length === 0 || components.length > 8) return null;
    let current = this.root;
    for (const component of components) {
      if (!component || component === '.' || component === '..' || /[/\\\0]/.test(component)) return null;
      const entries = this.list(current);
      if (!entries) return null;
      const wanted = mediaName(component);
      const match = entries.includes(component) ? component : entries.find((entry) => mediaName(entry) === wanted);
      if (!match) return null;
      current = join(current, match);
    }
    try {
      return statSync(current).isFile() ? current : null;
    } catch {
      return null;
    }
  }
}

/** The DICOMDIR file for a path the user chose: the file itself, or the one at the top of a folder. */
export function findDicomdir(path: string): string | null {
  try {
    if (statSync(path).isFile()) return mediaName(basename(path)) === 'DICOMDIR' ? path : null;
  } catch {
    return null;
  }
  const entries = (() => {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  })();
  const found = entries.find((entry) => mediaName(entry) === 'DICOMDIR');
  return found ? join(path, found) : null;
}

export function mediaRootOf(dicomdirPath: string): string {
  return dirname(dicomdirPath);
}
