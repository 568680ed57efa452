/** Two-point model: S_inf = ln(1/(1 - 2 lambda)) / (2 (1 - lambda)), the limit of -sigma w(t) under gradient descent. */
export function twoPointSInfinity(lambda: number): number {
  return Math.log(1 / (1 - 2 * lambda)) / (2 * (1 - lambda));
}

/**
 * Grokking time of Beck, Levi, Bar-Sinai's simplified model (§4, Eq. 11; App. E, Fig. 9, Eqs. 39-41): two
 * points x1 = -sigma, x2 = sigma (1 - 2 lambda) and the exponential loss. In this family's signs (margin
 * m = w x + b, label +1) the training loss is (e^(-m1) + e^(-m2)) / 2 and the generalization loss, its average
 * over x ~ N(0, sigma^2), is exactly e^(-b + w^2 sigma^2 / 2). t_tr and t_gen are the times each first falls to
 * eps (the paper's Fig. 9). At late times w = w_inf, sigma w_inf = -S_inf, so b_tr = ln(C / eps) and
 * b_gen = S_inf^2 / 2 + ln(1 / eps): the gap b_gen - b_tr = S_inf^2 / 2 - ln C does not depend on eps or
 * sigma, with C = (e^(-S_inf) + e^(S_inf (1 - 2 lambda))) / 2 (derived here; the paper's Eq. 41 is its leading
 * term, (1/2) ln^2(1 - 2 lambda), as lambda -> 1/2). Under gradient flow b grows like ln t (the paper's Table 1),
 * so the gap is ln(t_gen / t_tr); normalized gradient descent (b = t dt) measures it in b directly.
 */
export function twoPointLosses(
  w: number,
  b: number,
  lambda: number,
  sigma: number,
): { train: number; generalization: number } {
  return {
    train: (Math.exp(w * sigma - b) + Math.exp(-w * sigma * (1 - 2 * lambda) - b)) / 2,
    generalization: Math.exp(-b + (w * w * sigma * sigma) / 2),
  };
}

/** The late-time b_gen - b_tr = ln(t_gen / t_tr) of the two-point model (above); lambda < 1/2. */
export function twoPointLateGap(lambda: number): number {
  const s = twoPointSInfinity(lambda);
  return (s * s) / 2 - Math.log((Math.exp(-s) + Math.exp(s * (1 - 2 * lambda))) / 2);
}
