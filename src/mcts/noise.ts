import type { Rng } from '../core/index.js';

/** Writes a Dirichlet(alpha, ..., alpha) sample of n entries into out (normalised Gamma(alpha) draws). */
export function sampleDirichlet(rng: Rng, alpha: number, n: number, out: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const g = rng.gamma(alpha);
    out[i] = g;
    sum += g;
  }
  // All draws can underflow to 0 for tiny alpha: fall back to a uniform sample then.
  for (let i = 0; i < n; i++) out[i] = sum > 0 ? out[i] / sum : 1 / n;
}

/** Writes n Gumbel(0, 1) samples times `scale` into out: -log(-log(u)), u uniform in (0, 1). */
export function sampleGumbel(rng: Rng, scale: number, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (scale === 0) {
      out[i] = 0;
      continue;
    }
    let u = rng.next();
    while (u === 0) u = rng.next();
    out[i] = -Math.log(-Math.log(u)) * scale;
  }
}
