import type { Rng } from '../core/index.js';
import { ACTION_UNPROVEN, type SearchResult } from './search.js';

/**
 * The move to play from a search result in self-play: for the first `temperatureMoves` moves,
 * sample with probability proportional to visits^(1/temperature) (AlphaZero), never a move proven
 * lost while another exists; afterwards, and whenever a win is proven, `bestAction`. A Gumbel
 * root's `bestAction` is already a sample (Gumbel-top-k), so it is returned as is.
 */
export function selectMove(result: SearchResult, moveNumber: number, rng: Rng): number {
  const { temperature, temperatureMoves, sampled } = result.sampling;
  if (sampled || result.proven === 1 || temperature <= 0 || moveNumber >= temperatureMoves) return result.bestAction;
  const visits = result.visits;
  let anySafe = false;
  for (let a = 0; a < visits.length; a++) {
    if (visits[a] > 0 && result.actionProven[a] !== -1) anySafe = true;
  }
  let max = 0;
  for (let a = 0; a < visits.length; a++) if (visits[a] > max) max = visits[a];
  if (max === 0) return result.bestAction;
  const power = 1 / temperature;
  let total = 0;
  const weight = (a: number): number => {
    if (visits[a] <= 0) return 0;
    if (anySafe && result.actionProven[a] === -1) return 0;
    // Dividing by the max first keeps visits^(1/T) finite for small temperatures.
    return Math.pow(visits[a] / max, power);
  };
  for (let a = 0; a < visits.length; a++) total += weight(a);
  if (!(total > 0)) return result.bestAction;
  let u = rng.next() * total;
  for (let a = 0; a < visits.length; a++) {
    const w = weight(a);
    if (w === 0) continue;
    u -= w;
    if (u < 0) return a;
  }
  return result.bestAction;
}

export { ACTION_UNPROVEN };
