import type { Evaluator, Game, State } from '../../core/index.js';
import { Search, writeUniformPolicy, type SearchResult } from '../../mcts/index.js';
import type { Primitive, Position, ProgramContext } from '../types.js';
import { clampInt, perGame, ScratchPool } from './budget.js';
import { asValue, type ValueFunction } from './lookahead.js';
import { terminalValue } from './terminal.js';

/**
 * Monte-Carlo tree search with a value program as its evaluator: arbor's own search
 * (src/mcts/search.ts, PUCT with the MCTS-solver, Winands et al. 2008), run synchronously
 * (`Search.runNow`) with an evaluator that gives uniform priors and the value function's value
 * of each leaf, as AlphaZero's search uses a network (Silver et al. 2018) but with a program in
 * the network's place.
 *
 * Budget: the search runs min(n, simulations left) simulations and stops at the call's deadline;
 * the simulations done are charged. With no simulation to spend the answer is the first legal
 * move, the uniform policy, value 0. n is rounded and clamped to 1..100,000. A finished game
 * answers move -1, an all-zero policy and its result.
 */

export const MAX_MCTS_SIMULATIONS = 100_000;

/** Uniform priors and a value function's value: a program standing in for the network. */
export class ValueFunctionEvaluator implements Evaluator {
  readonly name = 'program-value';
  /** The value function of the search in progress. */
  value: ValueFunction | null = null;
  private readonly legal: Int32Array;
  private readonly numActions: number;

  constructor(game: Game) {
    this.numActions = game.numActions;
    this.legal = new Int32Array(game.numActions);
  }

  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    const f = this.value as ValueFunction;
    for (let i = 0; i < count; i++) {
      writeUniformPolicy(states[i], this.legal, policy, i * this.numActions, this.numActions);
      value[i] = asValue(f(states[i]));
    }
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}

interface ProgramSearch {
  readonly search: Search;
  readonly evaluator: ValueFunctionEvaluator;
}

const pools = perGame(
  (game: Game) =>
    new ScratchPool((): ProgramSearch => {
      const evaluator = new ValueFunctionEvaluator(game);
      const search = new Search(game, evaluator, { rule: 'puct', solver: true, reuseTree: false });
      return { search, evaluator };
    }),
);

/** Runs the search, or returns null when there is no simulation or time to spend. */
function runSearch<T>(ctx: ProgramContext, pos: Position, simulations: number, value: ValueFunction, read: (r: SearchResult) => T): T | null {
  const budget = ctx.budget;
  const sims = Math.min(clampInt(simulations, 1, MAX_MCTS_SIMULATIONS), Math.floor(budget.simulations));
  const timeMs = budget.deadline === Number.POSITIVE_INFINITY ? undefined : budget.deadline - performance.now();
  if (sims < 1 || (timeMs !== undefined && timeMs <= 0)) return null;
  const pool = pools(ctx.game);
  const ps = pool.acquire();
  ps.evaluator.value = value;
  try {
    const result = ps.search.runNow(pos, timeMs === undefined ? { simulations: sims } : { simulations: sims, timeMs });
    budget.simulations = Math.max(0, budget.simulations - result.stats.simulations);
    return read(result);
  } finally {
    ps.evaluator.value = null;
    ps.search.reset();
    pool.release(ps);
  }
}

function firstLegal(ctx: ProgramContext, pos: Position): number {
  const legal = legalBuffer(ctx.game);
  return pos.legalActions(legal) > 0 ? legal[0] : -1;
}

const legalBuffer = perGame((game: Game) => new Int32Array(game.numActions));

function mctsMove(ctx: ProgramContext, pos: Position, simulations: number, value: ValueFunction): number {
  if (pos.isTerminal()) return -1;
  return runSearch(ctx, pos, simulations, value, (r) => r.bestAction) ?? firstLegal(ctx, pos);
}

function mctsPolicy(ctx: ProgramContext, pos: Position, simulations: number, value: ValueFunction): Float32Array {
  const A = ctx.game.numActions;
  if (pos.isTerminal()) return new Float32Array(A);
  const searched = runSearch(ctx, pos, simulations, value, (r) => r.policy);
  if (searched) return searched;
  const uniform = new Float32Array(A);
  writeUniformPolicy(pos, legalBuffer(ctx.game), uniform, 0, A);
  return uniform;
}

function mctsValue(ctx: ProgramContext, pos: Position, simulations: number, value: ValueFunction): number {
  if (pos.isTerminal()) return terminalValue(pos);
  return runSearch(ctx, pos, simulations, value, (r) => r.value) ?? 0;
}

const VALUE_FUNCTION = { args: ['position' as const], result: 'value' as const };

export const mctsPrimitives: readonly Primitive[] = [
  {
    name: 'mcts-move',
    args: ['position', 'number', VALUE_FUNCTION],
    result: 'move',
    pure: false,
    doc: '(mcts-move pos n f): the most visited move of an n-simulation PUCT search with uniform priors and value function f at the leaves',
    fn: mctsMove as Primitive['fn'],
  },
  {
    name: 'mcts-policy',
    args: ['position', 'number', VALUE_FUNCTION],
    result: 'policy',
    pure: false,
    doc: '(mcts-policy pos n f): the visit distribution of that search',
    fn: mctsPolicy as Primitive['fn'],
  },
  {
    name: 'mcts-value',
    args: ['position', 'number', VALUE_FUNCTION],
    result: 'value',
    pure: false,
    doc: '(mcts-value pos n f): the root value of that search, for the player to move',
    fn: mctsValue as Primitive['fn'],
  },
];
