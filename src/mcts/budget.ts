import { ArborError } from '../core/index.js';

/** How much search one `run` may spend: simulations, wall-clock milliseconds, or both (whichever ends first). */
export interface Budget {
  simulations?: number;
  timeMs?: number;
}

/** Checks a budget; missing limits become Infinity. Zero, negative or non-numeric limits are errors, never a hang. */
export function resolveBudget(budget: Budget | undefined): { simulations: number; timeMs: number } {
  const sims = budget?.simulations;
  const ms = budget?.timeMs;
  if (sims === undefined && ms === undefined) {
    throw new ArborError('search budget is empty; give simulations (e.g. { simulations: 800 }) or timeMs (e.g. { timeMs: 1000 })');
  }
  if (sims !== undefined && !(Number.isInteger(sims) && sims >= 1)) {
    throw new ArborError(`search budget simulations=${sims} must be a positive integer`);
  }
  if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) {
    throw new ArborError(`search budget timeMs=${ms} must be a positive number of milliseconds`);
  }
  return { simulations: sims ?? Number.POSITIVE_INFINITY, timeMs: ms ?? Number.POSITIVE_INFINITY };
}
