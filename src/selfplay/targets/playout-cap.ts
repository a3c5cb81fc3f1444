import type { Trajectory } from '../trajectory.js';

/**
 * Playout cap randomization (Wu, "Accelerating Self-Play Learning in Go" (KataGo), 2019, §3.1):
 * only full searches give training samples. A cheap search exists to move the game on quickly;
 * its few visits make a poor policy target, so it gives none (and no position to train on), but
 * its root value still counts for the λ-returns of earlier moves (./lambda-returns.ts).
 * Returns the plies of the full searches, in order.
 */
export function sampledPlies(t: Trajectory): Int32Array {
  let n = 0;
  for (let i = 0; i < t.plies; i++) n += t.full[i];
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < t.plies; i++) if (t.full[i]) out[k++] = i;
  return out;
}
