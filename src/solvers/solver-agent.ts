import { createRng, type State, type Agent, defineAgent } from '../core/index.js';
import type { Connect4Game, Connect4State } from '../envs/index.js';
import { connect4SolverFits, createConnect4Solver, type Connect4Solver } from './connect4/index.js';
import { createSolver } from './solver.js';

/**
 * Perfect play from the game's exact solver (src/solvers): the agent plays one of the moves with
 * the best exact score, i.e. it keeps the best outcome, wins as fast and loses as slowly as
 * possible; ties are broken at random from the agent's seed (uniformly over the best moves in
 * column order). Games without a solver get an ArborError that lists the games that have one.
 */

/**
 * One Connect Four solver per board size and book setting per thread, shared by every solver
 * agent of the thread across moves and games: its transposition table holds bounds that stay true
 * in any position, so each move starts from everything earlier moves and games proved (as
 * engines keep their hash table between moves). Agents run one at a time per thread, so sharing
 * needs no locking.
 */
const sharedSolvers = new Map<string, Connect4Solver>();

function sharedConnect4Solver(game: Connect4Game, book: boolean): Connect4Solver {
  const key = `${game.rows}x${game.cols}:${book}`;
  let solver = sharedSolvers.get(key);
  if (!solver) {
    solver = createConnect4Solver(game, { book });
    sharedSolvers.set(key, solver);
  }
  return solver;
}

/**
 * The columns with the best exact score for the side to move, in column order, into `out`;
 * returns how many. The same set as the maxima of `solver.analyze`, found with far less search:
 * a move that wins at once is always best; otherwise the position's own score v is solved once,
 * and a column c is among the best exactly when its child scores at most -v for the opponent,
 * which one null-window search on the child decides (instead of a full bisection of every
 * child's score range; Pons, "Solving Connect 4", parts 7 and 10). The children's searches reuse
 * what the root solve stored in the transposition table.
 */
export function connect4BestColumns(solver: Connect4Solver, state: Connect4State, out: Int32Array): number {
  const b = solver.bitsOf(state);
  const stride = solver.layout.stride;
  const [winLo, winHi] = solver.winningCells(b.cLo, b.cHi, b.mLo, b.mHi);
  let count = 0;
  for (let c = 0; c < solver.cols; c++) {
    const h = state.height(c);
    if (h >= solver.rows) continue;
    const bit = c * stride + h;
    if (bit < 32 ? (winLo & (1 << bit)) !== 0 : (winHi & (1 << (bit - 32))) !== 0) out[count++] = c;
  }
  if (count > 0) return count;
  const v = solver.solveBits(b.cLo, b.cHi, b.mLo, b.mHi, b.moves);
  const oLo = b.cLo ^ b.mLo;
  const oHi = b.cHi ^ b.mHi;
  for (let c = 0; c < solver.cols; c++) {
    const h = state.height(c);
    if (h >= solver.rows) continue;
    const bit = c * stride + h;
    const mLo = bit < 32 ? b.mLo | (1 << bit) : b.mLo;
    const mHi = bit < 32 ? b.mHi : b.mHi | (1 << (bit - 32));
    if (solver.testBits(oLo, oHi, mLo, mHi, b.moves + 1, -v) <= -v) out[count++] = c;
  }
  return count;
}

export const solverAgent = defineAgent({
  name: 'solver',
  description: 'perfect play (exact solver; fastest win, slowest loss, seeded random tie-break)',
  params: {
    book: { type: 'bool', default: true, description: 'use the shipped Connect Four opening book' },
  },
  create: (params, { game, seed }, spec) => {
    const book = params.book;
    const c4 = game.id === 'connect4' && connect4SolverFits((game as Connect4Game).rows, (game as Connect4Game).cols)
      ? sharedConnect4Solver(game as Connect4Game, book)
      : null;
    // Other games: the generic solver, one per agent (their games are small), scoring every move.
    const solver = c4
      ? { solveWeak: (s: State) => c4.solveWeak(s as Connect4State), analyze: (s: State) => c4.analyze(s as Connect4State) }
      : createSolver(game, { book });
    let rng = createRng(seed);
    const best = new Int32Array(game.numActions);
    /** The best moves of a game without the Connect Four shortcut: the maxima of analyze. */
    const bestByAnalysis = (state: State): number => {
      const scores = solver.analyze(state);
      let top = -Infinity;
      let count = 0;
      for (let a = 0; a < scores.length; a++) {
        const v = scores[a];
        if (Number.isNaN(v) || v < top) continue;
        if (v > top) {
          top = v;
          count = 0;
        }
        best[count++] = a;
      }
      return count;
    };
    const agent: Agent & { value(state: State): Promise<number>; analyze(state: State): number[] } = {
      name: spec,
      selectAction: async (state) => {
        if (state.isTerminal()) throw new Error('solver agent asked to move in a finished game');
        const count = c4 ? connect4BestColumns(c4, state as Connect4State, best) : bestByAnalysis(state);
        if (count === 0) throw new Error('solver agent found no legal move');
        return best[rng.int(count)];
      },
      reseed: (next) => {
        rng = createRng(next);
      },
      /** The exact outcome for the player to move: +1, 0 or -1. */
      value: async (state) => solver.solveWeak(state),
      analyze: (state) => solver.analyze(state),
    };
    return agent;
  },
});
