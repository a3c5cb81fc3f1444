import type { Game, Evaluator, State } from '../core/index.js';
import { Search, type RunOverrides, type SearchResult } from '../mcts/index.js';
import type { TrainConfig } from './config.js';
import { moveTemperature } from './temperature.js';

/**
 * The search as self-play uses it: one Search per game slot with tree reuse, PUCT or a Gumbel
 * root, and root Dirichlet noise on full-budget moves only (playout cap randomization, Wu 2019
 * §3.1: cheap moves exist to advance the game and must not be perturbed). Gumbel roots draw their
 * own Gumbel noise and take no Dirichlet noise (Danihelka et al. 2022). Forced playouts with policy
 * target pruning (Wu 2019 §3.2) go with the noise: full-budget PUCT moves only, as does the root
 * policy temperature (KataGo's rootPolicyTemperature, decaying over the game). Every result
 * carries the move-sampling temperature of its move (KataGo's chosenMoveTemperature decay), so
 * `selectMove` samples the played move from it.
 */
export interface SelfPlaySearch {
  reset(): void;
  run(state: State, simulations: number, full: boolean): Promise<SearchResult>;
  advance(action: number): void;
}

export function createSelfPlaySearch(game: Game, evaluator: Evaluator, s: TrainConfig['selfplay'], seed: string): SelfPlaySearch {
  const noise = s.root === 'puct' && s.dirichletEpsilon > 0 ? { alpha: s.dirichletAlpha, epsilon: s.dirichletEpsilon } : null;
  // Forced playouts go with the noise they exist for (KataGo forces them at the noised root only).
  const forced = noise ? s.forcedPlayouts : 0;
  const search = new Search(game, evaluator, {
    root: s.root === 'gumbel' ? 'gumbel' : 'visits',
    cPuct: s.cPuct,
    leafBatch: s.leafBatch,
    gumbel: { consideredActions: s.consideredActions },
    dirichlet: null,
    reuseTree: true,
    seed,
  });
  // One overrides record per kind of move, refilled per move: a run allocates nothing for them.
  const full: RunOverrides = { dirichlet: noise, forcedPlayouts: forced, rootPolicyTemperature: 1, temperature: 0, temperatureMoves: Infinity };
  const cheap: RunOverrides = { dirichlet: null, forcedPlayouts: 0, rootPolicyTemperature: 1, temperature: 0, temperatureMoves: Infinity };
  return {
    reset: () => search.reset(),
    advance: (action) => search.advance(action),
    run: (state, simulations, isFull) => {
      const moveNumber = state.moveNumber();
      const overrides = isFull ? full : cheap;
      overrides.temperature = moveTemperature(s.temperature, moveNumber);
      if (isFull && s.root === 'puct') overrides.rootPolicyTemperature = moveTemperature(s.rootPolicyTemperature, moveNumber);
      return search.run(state, { simulations }, overrides);
    },
  };
}
