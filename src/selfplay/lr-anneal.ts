import type { TrainConfig } from './config.js';

/**
 * Learning-rate annealing over a run's budget. AlphaZero and AlphaGo Zero drop the learning rate
 * in steps late in training (Silver et al. 2017/2018), KataGo lowers it for its final networks;
 * a run of arbor has a budget in minutes or iterations rather than a known step count, so the
 * multiplier follows the share of the budget used: 1 until `start`, then a half-cosine down to
 * `finalFactor` at the end of the budget.
 */
export function learningRateFactor(decay: TrainConfig['training']['learningRateDecay'], progress: number): number {
  if (progress <= decay.start || decay.start >= 1) return 1;
  const t = Math.min(1, (progress - decay.start) / (1 - decay.start));
  return decay.finalFactor + (1 - decay.finalFactor) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** Share of the stop rule used (the larger of the time and iteration shares; 0 without a limit). */
export function budgetProgress(stop: { iterations: number; minutes: number }, iterationsDone: number, elapsedMs: number): number {
  const byIterations = stop.iterations > 0 ? iterationsDone / stop.iterations : 0;
  const byTime = stop.minutes > 0 ? elapsedMs / (stop.minutes * 60_000) : 0;
  return Math.min(1, Math.max(byIterations, byTime));
}
