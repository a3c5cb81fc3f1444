import { GenericSolver } from '../../solvers/index.js';
import type { Game } from '../../core/index.js';
import type { Primitive, Position, ProgramContext } from '../types.js';
import { pastDeadline, perGame } from './budget.js';
import { terminalValue } from './terminal.js';

/**
 * A bounded exact solve: the generic solver (src/solvers/generic.ts: negamax with alpha-beta and
 * a transposition table, Knuth & Moore 1975) given the call's node budget. Its answer is the
 * exact result for the player to move, +1 win, 0 draw, -1 loss; past the budget (or the deadline)
 * it is "unknown", which the language sees through a separate boolean: `solve` answers 0 and
 * `solved?` false. So `(if (solved? pos) (solve pos) (some-estimate pos))` reads as it should,
 * and a value never carries a NaN into arithmetic.
 *
 * One solver per game, its table kept between calls: bounds proved once (in any call, finished
 * or not) stay valid, so asking about the same or nearby positions again is cheap. The node budget
 * is spent in chunks so the deadline is checked between them; a chunk that runs out resumes from
 * the table. A position already over answers its final result with `solved?` true.
 */

/** Nodes per chunk between deadline checks. */
const CHUNK = 4096;
/** 2^18 entries x 16 bytes = 4 MB of table per game. */
const TABLE_BITS = 18;

interface SolveMemo {
  readonly solver: GenericSolver;
  /** The last position asked about, its answer (NaN: unknown), and the nodes an unknown answer was found with. */
  hash: number;
  result: number;
  triedNodes: number;
}

const memoOf = perGame((game: Game): SolveMemo => ({ solver: new GenericSolver(game, { tableBits: TABLE_BITS }), hash: -1, result: Number.NaN, triedNodes: 0 }));

/** +1/0/-1 for the player to move, or NaN when the budget ran out first. */
export function boundedSolve(ctx: ProgramContext, pos: Position): number {
  if (pos.isTerminal()) {
    return terminalValue(pos);
  }
  const memo = memoOf(ctx.game);
  const hash = pos.hash();
  const budget = ctx.budget;
  if (memo.hash === hash && (!Number.isNaN(memo.result) || budget.nodes <= memo.triedNodes)) return memo.result;
  const solver = memo.solver;
  let result = Number.NaN;
  let spent = 0;
  while (budget.nodes >= 1 && !pastDeadline(ctx)) {
    const before = solver.nodes;
    const score = solver.solveBounded(pos, Math.min(CHUNK, Math.floor(budget.nodes)));
    spent += solver.nodes - before;
    budget.nodes = Math.max(0, budget.nodes - (solver.nodes - before));
    if (score !== null) {
      result = Math.sign(score);
      break;
    }
  }
  memo.hash = hash;
  memo.result = result;
  // An unknown answer is final only for budgets no larger than the nodes really spent on it (a
  // deadline may have stopped the solve early).
  memo.triedNodes = spent;
  return result;
}

export const solvePrimitives: readonly Primitive[] = [
  {
    name: 'solve',
    args: ['position'],
    result: 'value',
    pure: false,
    doc: 'exact result for the player to move (+1 win, 0 draw, -1 loss) by a solver with the node budget; 0 when unknown (see solved?)',
    fn: ((ctx: ProgramContext, pos: Position) => {
      const r = boundedSolve(ctx, pos);
      return Number.isNaN(r) ? 0 : r;
    }) as Primitive['fn'],
  },
  {
    name: 'solved?',
    args: ['position'],
    result: 'boolean',
    pure: false,
    doc: 'whether the bounded solve of the position finishes within the node budget (the solve is shared with `solve`)',
    fn: ((ctx: ProgramContext, pos: Position) => !Number.isNaN(boundedSolve(ctx, pos))) as Primitive['fn'],
  },
];
