import type { Rng } from '../../core/index.js';
import type { Trajectory } from '../trajectory.js';

/**
 * KataGo's policy surprise weighting (lightvector/KataGo, docs/KataGoMethods.md, "Policy Surprise
 * Weighting", used from its g170 run on and named there one of the larger improvements of that run):
 * a game's recorded positions share a total frequency weight equal to their number; a share
 * `policyShare` of it is spread in proportion to how surprising the search's policy target was to
 * the network (the KL divergence from the prior to the target), a share `valueShare` in proportion to
 * how wrong the network's value was about the game's result (KataGo's smaller, experimental value
 * surprise weight), and the rest uniformly. Each position is then written floor(w) times and once
 * more with probability w − floor(w), so surprising positions are trained on more often, at full
 * gradient weight (not importance sampling), and the expected number of samples stays the same.
 */

/** KL(target ‖ prior) over `n` actions, read from the given offsets, in nats; prior entries are floored at 1e-6. */
export function policySurprise(target: Float32Array, prior: Float32Array, n: number, targetOffset = 0, priorOffset = 0): number {
  let kl = 0;
  for (let a = 0; a < n; a++) {
    const t = target[targetOffset + a];
    if (t > 0) kl += t * Math.log(t / Math.max(prior[priorOffset + a], 1e-6));
  }
  return kl > 0 ? kl : 0;
}

/** The policy surprise of each sample: KL(search policy ‖ network prior) at the given plies. */
export function policySurprises(t: Trajectory, plies: Int32Array): Float32Array {
  const out = new Float32Array(plies.length);
  const a = t.numActions;
  for (let i = 0; i < plies.length; i++) out[i] = policySurprise(t.policies, t.priors, a, plies[i] * a, plies[i] * a);
  return out;
}

/**
 * The value surprise of each sample: (z − v)², z the outcome the value target is built from (the
 * game result, or its λ-return) and v the network's value, both for the sample's mover.
 */
export function valueSurprises(returns: Float32Array, networkValues: Float32Array, plies: Int32Array): Float32Array {
  const out = new Float32Array(plies.length);
  for (let i = 0; i < plies.length; i++) {
    const miss = returns[plies[i]] - networkValues[plies[i]];
    out[i] = miss * miss;
  }
  return out;
}

/**
 * Fills `copies[0..n)` with how many times each of a game's `n` recorded positions is written, from
 * their policy surprises and value surprises (any non-negative scores). A share whose scores are
 * all zero is spread uniformly instead. With both shares 0 every position is written once.
 */
export function surpriseCopies(
  policyScores: Float32Array,
  valueScores: Float32Array,
  n: number,
  policyShare: number,
  valueShare: number,
  rng: Rng,
  copies: Int32Array,
): number {
  let policySum = 0;
  let valueSum = 0;
  for (let i = 0; i < n; i++) {
    policySum += policyScores[i];
    valueSum += valueScores[i];
  }
  const p = policySum > 0 ? policyShare : 0;
  const v = valueSum > 0 ? valueShare : 0;
  const uniform = 1 - p - v;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = uniform + (p > 0 ? (p * n * policyScores[i]) / policySum : 0) + (v > 0 ? (v * n * valueScores[i]) / valueSum : 0);
    const whole = Math.floor(w);
    const k = whole + (rng.next() < w - whole ? 1 : 0);
    copies[i] = k;
    total += k;
  }
  return total;
}
