import { defineAgent, deriveSeed } from '../core/index.js';
import { RolloutEvaluator, Search } from '../mcts/index.js';
import { commonRenames, searchAgent } from './mcts.js';

/** Classic UCT: UCB1 selection and one random rollout per simulation, with the MCTS-solver on. */
export const uctAgent = defineAgent({
  name: 'uct',
  description: 'Monte-Carlo tree search with UCB1 and random rollouts (no network)',
  params: {
    simulations: { type: 'int', default: 1000, min: 1, max: 100_000_000, description: 'simulations (rollouts) per move' },
    cUct: { type: 'float', default: 1.4, min: 0, max: 100, description: 'UCB1 exploration constant on [-1, 1] returns' },
    leafBatch: { type: 'int', default: 1, min: 1, max: 1024, description: 'leaves per evaluator call (virtual loss); 1 = sequential' },
    timeMs: { type: 'int', default: 0, min: 0, max: 3_600_000, description: 'time cap per move in milliseconds (0 = none)' },
    solver: { type: 'bool', default: true, description: 'MCTS-solver: play proven wins, avoid proven losses' },
  },
  renamedParams: { ...commonRenames, c: 'cUct' },
  create: (params, { game, seed }, spec) => {
    const search = new Search(game, new RolloutEvaluator(game, deriveSeed(seed, 'rollout')), {
      rule: 'uct',
      cUct: params.cUct,
      leafBatch: params.leafBatch,
      solver: params.solver,
      seed: deriveSeed(seed, 'search'),
    });
    return searchAgent(spec, search, params.simulations, params.timeMs);
  },
});
