import { ArborError, type Game, type State } from '../core/index.js';
import type { Connect4Game, Connect4State } from '../envs/index.js';
import { connect4SolverFits, createConnect4Solver, type Connect4Solver } from './connect4/index.js';
import { GenericSolver } from './generic.js';

/**
 * An exact solver of one game. Scores are for the player to move: positive a win, 0 a draw,
 * negative a loss, and a larger magnitude a faster win (Connect Four: Pons' convention; other
 * games: maxGameLength + 1 minus the moves played when the game ends).
 */
export interface ExactSolver {
  readonly game: Game;
  /** `connect4-bitboard` or `generic`. */
  readonly kind: string;
  /** Score of the position (throws ArborError if the game is over). */
  solve(state: State): number;
  /** Score of every action (NaN for illegal ones), for the player to move. */
  analyze(state: State): number[];
  /** Win/draw/loss (+1, 0, -1) of the position for the player to move: cheaper than `solve` early on. */
  solveWeak(state: State): number;
  /** Win/draw/loss of every action (NaN for illegal ones), for the player to move. */
  analyzeWeak(state: State): number[];
  /** Nodes searched so far. */
  nodes(): number;
}

/** Games the generic solver finishes in seconds (tictactoe, connect4 <= 25 cells, gomoku 4x4, hex <= 4x4). */
function genericFits(game: Game): boolean {
  const cells = game.shape.rows * game.shape.cols;
  switch (game.id) {
    case 'tictactoe':
      return true;
    case 'connect4':
      return cells <= 25;
    case 'gomoku':
    case 'hex':
      return cells <= 16;
    default:
      return false;
  }
}

export const SOLVABLE_GAMES = 'tictactoe, connect4 with (rows+1)*cols <= 56 (6x7, 7x7, ...), gomoku up to 16 cells (e.g. gomoku:size=4,k=3), hex up to hex:size=4';

/** Whether `createSolver(game)` succeeds. */
export function hasSolver(game: Game): boolean {
  if (game.id === 'connect4') {
    const g = game as Connect4Game;
    if (connect4SolverFits(g.rows, g.cols)) return true;
  }
  return genericFits(game);
}

/** The exact solver of a game, or an ArborError naming the games that have one. */
export function createSolver(game: Game, options: { book?: boolean; tableBits?: number } = {}): ExactSolver {
  if (game.id === 'connect4') {
    const g = game as Connect4Game;
    if (connect4SolverFits(g.rows, g.cols)) return wrapConnect4(g, createConnect4Solver(g, options));
  }
  if (genericFits(game)) {
    const solver = new GenericSolver(game, { tableBits: options.tableBits });
    // The generic solver's games are small: the class is the sign of the exact score.
    return {
      game,
      kind: 'generic',
      solve: (s) => solver.solve(s),
      analyze: (s) => solver.analyze(s),
      solveWeak: (s) => Math.sign(solver.solve(s)) | 0,
      analyzeWeak: (s) => solver.analyze(s).map((v) => (Number.isNaN(v) ? v : Math.sign(v) | 0)),
      nodes: () => solver.nodes,
    };
  }
  throw new ArborError(`no solver for ${game.spec}: exact solvers exist for ${SOLVABLE_GAMES}`);
}

function wrapConnect4(game: Connect4Game, solver: Connect4Solver): ExactSolver {
  return {
    game,
    kind: 'connect4-bitboard',
    solve: (s) => solver.solve(s as Connect4State),
    analyze: (s) => solver.analyze(s as Connect4State),
    solveWeak: (s) => solver.solveWeak(s as Connect4State),
    analyzeWeak: (s) => solver.analyzeWeak(s as Connect4State),
    nodes: () => solver.nodes,
  };
}
