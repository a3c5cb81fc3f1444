import { createRng, type Game, type State } from '../../core/index.js';

/**
 * The fixed sample of positions observational equivalence compares programs on: for each, a
 * seeded random game is played to its end and a ply drawn uniformly from it, so the sample spans
 * the opening to the last move before the end, where tactics (a win in one, a threat to block)
 * are common. Two programs that agree on all of them very likely act alike (Udupa et al.,
 * TRANSIT, PLDI 2013; Albarghouthi et al., ESCHER, CAV 2013); a sample of opening positions only
 * would merge `(threats pos (own))` with the count of winning moves, which differ later.
 */
export function samplePositions(game: Game, count: number, seed: string): State[] {
  const rng = createRng(seed);
  const actions = new Int32Array(game.numActions);
  const out: State[] = [];
  const played: number[] = [];
  while (out.length < count) {
    const state = game.newInitialState();
    played.length = 0;
    while (!state.isTerminal()) {
      const n = state.legalActions(actions);
      const a = actions[rng.int(n)];
      played.push(a);
      state.apply(a);
    }
    const ply = rng.int(played.length);
    const sample = game.newInitialState();
    for (let i = 0; i < ply; i++) sample.apply(played[i]);
    out.push(sample);
  }
  return out;
}
