import type { Game, Evaluator } from '../core/index.js';
import { Search, type SearchResult } from '../mcts/index.js';
import type { TrainConfig } from './config.js';
import { moveTemperature } from './temperature.js';

/**
 * The search as self-play uses it: one Search per game slot with tree reuse, PUCT or a Gumbel
 * root, and root Dirichlet noise on full-budget moves only (playout cap randomization, Wu 2019
 * §3.1: cheap moves exist to advance the game and must not be perturbed). Gumbel roots draw their
 * own Gumbel noise and take no Dirichlet noise (Danihelka et al. 2022). Forced playouts with policy
 * target pruning (Wu 2019 §3.2) go with the noise: full-budget PUCT moves only, as does the root
 * policy temperature (KataGo's rootPolicyTemperature, decaying over the game).
 */
export interface SelfPlaySearch {
  reset(): void;
  run(state: Parameters<Search['run']>[0], simulations: number, full: boolean): Promise<SearchResult>;
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
    dirichlet: noise,
    reuseTree: true,
    seed,
  });
  return {
    reset: () => search.reset(),
    advance: (action) => search.advance(action),
    run: (state, simulations, full) => {
      // The noise setting is read at the start of each run; switching it per move is what
      // playout cap randomization needs (no per-run option exists for it).
      search.options.dirichlet = full ? noise : null;
      search.options.forcedPlayouts = full ? forced : 0;
      search.options.rootPolicyTemperature = full && s.root === 'puct' ? moveTemperature(s.rootPolicyTemperature, state.moveNumber()) : 1;
      return search.run(state, { simulations });
    },
  };
}
