// What the export crash sessions do, shared by the parent (export-rounds.ts) and the child (export-child.ts).

/** The exports the reports channels offer that the crash test drives, in the order a session cycles through. */
export const EXPORT_KINDS = ['study-pdf', 'dicom-research', 'dicom-pacs', 'experiment-pdf'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * Exact kill points inside a DICOM set export, the moments random timing rarely hits: at its first rename (every
 * file written, none under its final name), just before the first file takes its final name, just after it, and
 * just after the last one.
 */
export const KILL_POINTS = ['temporaries-written', 'first-file-placing', 'between-files', 'after-files'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/**
 * Where the other rounds hold for their kill, counted in exports: as the session's k-th export begins (rendering), or
 * at the first rename of the k-th export or a later one (its files written under temporary names).
 */
export const HOLD_POINTS = ['export begun', 'export written'] as const;
export type HoldPoint = (typeof HOLD_POINTS)[number];

export interface ExportChildOptions {
  /** The export the previous session was killed in, asked for again first (same kind, same name). */
  rerun?: { kind: ExportKind; name: string };
  /** Stop after this many exports (default: export until killed). */
  exports?: number;
  killAt?: KillPoint;
  /** Hold for the parent's kill (hold.ts) at this point of the session's `export`-th own export (0-based). */
  holdAt?: { point: HoldPoint; export: number };
  /** Files in one DICOM export (for 'after-files'). */
  setSize?: number;
}

export const exportName = (round: number, index: number, kind: ExportKind): string => `r${round}-${index}-${kind}`;
