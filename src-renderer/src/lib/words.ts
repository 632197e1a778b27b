// Small wording helpers shared by screens: counts with the right noun, byte sizes and clock times people read.

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "512 B", "1.6 MB": decimal units, as file managers show sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** An ISO timestamp as local "14:03:27", with the date in front when it is not today. */
export function formatTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toLocaleTimeString('en-GB', { hour12: false });
  if (at.toDateString() === now.toDateString()) return time;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/** A DICOM date (DA, "19871214") as people write it ("1987-12-14"); anything else is shown as it came. */
export function formatDicomDate(value: string | null | undefined): string {
  if (!value) return '—';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : value;
}

/**
 * A person's string (a reader's name, a split's name) isolated for plain text where <bdi> cannot go (an <option>):
 * FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so a right-to-left override inside it cannot reverse the words around.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`;
