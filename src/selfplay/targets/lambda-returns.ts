/**
 * TD(λ) returns (Sutton, "Learning to predict by the methods of temporal differences", 1988,
 * forward view) of one two-player game, bootstrapped from the root search values of the later
 * moves rather than a value network, as KataGo's short-term value targets are
 * (lightvector/KataGo, docs/KataGoMethods.md, "Short-term Value and Score Targets"). For searched
 * move t with mover m_t: G_last = z (the outcome for its mover), and
 * G_t = (1 − λ)·v_{t+1} + λ·G_{t+1}, both read from m_t's side (negated when the next mover is the
 * opponent). So G_t = (1 − λ)·Σ_k λ^(k−1)·v_{t+k} + λ^(T−1−t)·z: λ = 1 is the game result z alone
 * (AlphaZero), smaller λ trusts the searches of the next ~1/(1 − λ) moves more than the mistakes
 * played after them. Every searched move counts, cheap ones too; a resigned game's last search
 * ends it at the resignation's result.
 *
 * @param values root value of each searched move for its mover (Trajectory.rootValues)
 * @param players mover of each searched move
 * @param plies number of searched moves
 * @param outcome return of each player
 * @returns G_t for t in 0..plies, each for its own mover
 */
export function lambdaReturns(values: Float32Array, players: Int8Array, plies: number, outcome: readonly number[], lambda: number): Float32Array {
  const out = new Float32Array(plies);
  if (plies === 0) return out;
  // g stays a double through the recursion; only what is stored is rounded to float32.
  let g = outcome[players[plies - 1]];
  out[plies - 1] = g;
  for (let t = plies - 2; t >= 0; t--) {
    const next = (1 - lambda) * values[t + 1] + lambda * g;
    g = players[t] === players[t + 1] ? next : 0 - next;
    out[t] = g;
  }
  return out;
}
