import { PROVEN_NONE, PROVEN_DRAW } from './proven.js';
import type { Tree } from './tree.js';

/**
 * Completed Q-values, rescaled and transformed by sigma (Danihelka et al., "Policy improvement by
 * planning with Gumbel", ICLR 2022, Appendix D; mctx's `qtransform_completed_by_mix_value`):
 *
 *   v_mix = (v_hat + (sum_b N(b)) / (sum_{b: N(b)>0} pi(b)) * sum_{a: N(a)>0} pi(a) q(a)) / (1 + sum_b N(b))
 *   completed q(a) = q(a) if N(a) > 0 else v_mix
 *   q_hat = (q - min q) / max(max q - min q, eps)          (min-max over the node's children)
 *   sigma(q_hat) = (c_visit + max_b N(b)) * c_scale * q_hat
 *
 * v_hat is the evaluator's value of the node (tree.rawValue), all for the player to move there.
 * Writes sigma(q_hat) of child i at out[i]; returns nothing. Virtual losses count as visits lost.
 */
export function completedScaledQ(tree: Tree, node: number, cVisit: number, cScale: number, out: Float64Array): void {
  const { visits, virtualLoss, valueSum, prior, proven } = tree;
  const first = tree.firstChild[node];
  const n = tree.numChildren[node];
  let sumN = 0;
  let maxN = 0;
  let visitedPrior = 0;
  let weightedQ = 0;
  for (let i = 0; i < n; i++) {
    const c = first + i;
    const visitsC = visits[c] + virtualLoss[c];
    if (visitsC > 0 || proven[c] !== PROVEN_NONE) {
      const q = proven[c] !== PROVEN_NONE ? proven[c] - PROVEN_DRAW : (valueSum[c] - virtualLoss[c]) / visitsC;
      out[i] = q;
      visitedPrior += prior[c];
      weightedQ += prior[c] * q;
    } else {
      out[i] = Number.NaN;
    }
    sumN += visitsC;
    if (visitsC > maxN) maxN = visitsC;
  }
  const rawValue = tree.rawValue[node];
  const vMix = visitedPrior > 0 ? (rawValue + (sumN / visitedPrior) * weightedQ) / (1 + sumN) : rawValue;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(out[i])) out[i] = vMix;
    if (out[i] < lo) lo = out[i];
    if (out[i] > hi) hi = out[i];
  }
  const range = Math.max(hi - lo, 1e-8);
  const sigma = (cVisit + maxN) * cScale;
  for (let i = 0; i < n; i++) out[i] = sigma * ((out[i] - lo) / range);
}

/** Writes log(prior) of the children of node into out (floored so a zero prior stays finite). */
export function childLogits(tree: Tree, node: number, out: Float64Array): void {
  const first = tree.firstChild[node];
  const n = tree.numChildren[node];
  for (let i = 0; i < n; i++) out[i] = Math.log(Math.max(tree.prior[first + i], 1e-30));
}

/** softmax(a + b) over n entries into out. */
export function softmaxSum(a: Float64Array, b: Float64Array, n: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (a[i] + b[i] > max) max = a[i] + b[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(a[i] + b[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
}
