import { createRng, type State } from '../envs/index.js';
import { createSolver } from '../solvers/index.js';
import type { Agent, AgentDefinition } from './types.js';

/**
 * Perfect play from the game's exact solver (src/solvers): every legal move is scored, and the
 * agent plays one of the best-scoring moves, i.e. it keeps the best outcome, wins as fast and
 * loses as slowly as possible; ties are broken at random from the agent's seed. Games without a
 * solver get an ArborError that lists the games that have one.
 */
export const solverAgent: AgentDefinition = {
  name: 'solver',
  description: 'perfect play (exact solver; fastest win, slowest loss, seeded random tie-break)',
  params: {
    book: { type: 'bool', default: true, description: 'use the shipped Connect Four opening book' },
  },
  create: (params, { game, seed }, spec) => {
    const solver = createSolver(game, { book: params.book as boolean });
    const rng = createRng(seed);
    const agent: Agent & { value(state: State): Promise<number>; analyze(state: State): number[] } = {
      name: spec,
      selectAction: async (state) => {
        const scores = solver.analyze(state);
        let best = -Infinity;
        let ties = 0;
        for (const v of scores) {
          if (Number.isNaN(v)) continue;
          if (v > best) {
            best = v;
            ties = 1;
          } else if (v === best) ties++;
        }
        let pick = rng.int(ties);
        for (let a = 0; a < scores.length; a++) {
          if (scores[a] === best && pick-- === 0) return a;
        }
        throw new Error('solver agent asked to move in a finished game');
      },
      /** The exact outcome for the player to move: +1, 0 or -1. */
      value: async (state) => Math.sign(solver.solve(state)),
      analyze: (state) => solver.analyze(state),
    };
    return agent;
  },
};
