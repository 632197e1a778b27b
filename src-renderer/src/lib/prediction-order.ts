// Orders a run's per-image test predictions for review: by score, or by error (how far the score sits from the
// reference label), so the most confident mistakes come first.
export interface ScoredImage {
  id: string;
  label: 0 | 1;
  score: number;
}

export type PredictionOrder = 'score' | 'error';

export const predictionError = (p: Pick<ScoredImage, 'label' | 'score'>): number => Math.abs(p.label - p.score);

export function sortPredictions<T extends ScoredImage>(rows: readonly T[], order: PredictionOrder, descending = true): T[] {
  const key = order === 'score' ? (p: T) => p.score : predictionError;
  return [...rows].sort((a, b) => (descending ? key(b) - key(a) : key(a) - key(b)) || a.id.localeCompare(b.id));
}
