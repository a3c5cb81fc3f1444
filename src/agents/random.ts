import { createRng, defineAgent } from '../core/index.js';

/** Uniformly random legal moves, from a seeded stream. */
export const randomAgent = defineAgent({
  name: 'random',
  description: 'a uniformly random legal move',
  params: {},
  create: (_params, { game, seed }, spec) => {
    let rng = createRng(seed);
    const actions = new Int32Array(game.numActions);
    return {
      name: spec,
      selectAction: async (state) => {
        const n = state.legalActions(actions);
        if (n === 0) throw new Error('random agent asked to move in a finished game');
        return actions[rng.int(n)];
      },
      reseed: (next) => {
        rng = createRng(next);
      },
    };
  },
});
