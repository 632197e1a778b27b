// Standard normal tail probabilities for z-tests. erfc uses the Chebyshev fit from Numerical Recipes
// (fractional error below 1.2e-7 everywhere), ample for reporting p-values.

export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| >= |z|) for a standard normal Z. */
export function twoSidedPValue(z: number): number {
  // The fit can overshoot 1 by its error near z = 0.
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** The 1 − (1 − confidence)/2 quantile, by bisection on erfc (called rarely, so clarity beats speed). */
export function normalQuantileTwoSided(confidence: number): number {
  let low = 0;
  let high = 10;
  for (let i = 0; i < 100; i += 1) {
    const mid = (low + high) / 2;
    if (twoSidedPValue(mid) > 1 - confidence) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
