import { createRng, type Game, type State } from '../../core/index.js';

/**
 * The fixed sample of positions observational equivalence compares programs on: positions of
 * seeded random play, every one unfinished, from the opening to deep in the game, so that two
 * programs that agree on all of them very likely act alike (Udupa et al., TRANSIT, PLDI 2013;
 * Albarghouthi et al., ESCHER, CAV 2013).
 */
export function samplePositions(game: Game, count: number, seed: string): State[] {
  const rng = createRng(seed);
  const actions = new Int32Array(game.numActions);
  const out: State[] = [];
  // The longest random game seen so far bounds how deep a sample may be drawn.
  let longest = 8;
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    const target = rng.int(longest + 1);
    const state = game.newInitialState();
    let plies = 0;
    while (!state.isTerminal() && plies < target) {
      const n = state.legalActions(actions);
      state.apply(actions[rng.int(n)]);
      plies++;
    }
    if (state.isTerminal()) {
      longest = Math.max(longest, plies);
      continue;
    }
    if (plies === target) longest = Math.max(longest, plies + 1);
    out.push(state);
  }
  return out;
}
