// Where a kill -9 round of the import-and-labelling test stops its child, shared by crash-rounds.ts (which picks it,
// seeded) and work-child.ts (which holds there until the kill): a phase, a point of that phase and a unit count.

export const WORK_PHASES = ['import', 'labelling'] as const;
export type WorkPhase = (typeof WORK_PHASES)[number];

/**
 * The points a round can stop at, after `unit` of its phase's units (files begun, labels recorded):
 * - import file: as the k-th file of the folder begins;
 * - import commit: inside the first catalog transaction that begins after it (rows written, not committed; the
 *   patches' blobs already on disk);
 * - label commit: inside the k-th label's transaction;
 * - label unreported: the k-th label committed, the session not yet having said so;
 * - label reported: just after the session said the k-th label was committed.
 */
export const WORK_KILL_POINTS = ['import file', 'import commit', 'label commit', 'label unreported', 'label reported'] as const;
export type WorkKillPoint = (typeof WORK_KILL_POINTS)[number];

export const PHASE_OF: Record<WorkKillPoint, WorkPhase> = {
  'import file': 'import',
  'import commit': 'import',
  'label commit': 'labelling',
  'label unreported': 'labelling',
  'label reported': 'labelling',
};

export interface WorkKillPlan {
  point: WorkKillPoint;
  /** 1-based: the k-th file of the import, the k-th label of the session. */
  unit: number;
}
