// The words a reading is given wherever it is shown: the Viewer, the study PDF, the DICOM SR and the CLI say the
// same thing, so a reader comparing them never meets two phrasings of one caveat.

/** An out-of-distribution reading is never a plain "stenosis suspected": the caveat comes first. */
export function readingWords(probability: number, threshold: number, outOfDistribution: boolean): string {
  if (outOfDistribution) return 'out of distribution (unlike the training images)';
  return probability >= threshold ? 'stenosis suspected' : 'no stenosis suspected';
}

/** The MC-dropout spread of P(stenosis), as "± 0.123". */
export const uncertaintyWords = (std: number): string => `± ${std.toFixed(3)}`;

/** The out-of-distribution check as one sentence (its reasons are clauses). */
export function oodSentence(ood: { outOfDistribution: boolean; reasons: string[] }): string {
  return ood.outOfDistribution ? `Unlike the training images: ${ood.reasons.join('; ')}. Treat this reading with caution.` : 'Like the training images.';
}
