import type { Game, State } from '../../core/index.js';
import type { Primitive, Position, ProgramContext } from '../types.js';
import { clampInt, pastDeadline, perGame } from './budget.js';
import { terminalValue } from './terminal.js';

/**
 * Monte-Carlo evaluation by random playouts (Abramson 1990; Brügmann 1993): the mean result, for
 * the player to move, of n games played on from the position with uniformly random moves from
 * the program's seeded stream. Each playout spends one simulation of the call's budget; when the
 * simulations or the deadline run out the mean of the playouts finished so far is returned (0 if
 * none finished). n is rounded and clamped to 1..1,000,000.
 */

export const MAX_ROLLOUTS = 1_000_000;

interface RolloutScratch {
  readonly state: State;
  readonly legal: Int32Array;
}

const scratchOf = perGame((game: Game): RolloutScratch => ({ state: game.newInitialState(), legal: new Int32Array(game.numActions) }));

/** One uniformly random playout from `pos`; the result for `player`. Allocates nothing. */
export function randomPlayout(ctx: ProgramContext, pos: Position, player: number): number {
  const { state, legal } = scratchOf(ctx.game);
  const rng = ctx.rng;
  state.copyFrom(pos);
  for (;;) {
    const n = state.legalActions(legal);
    if (n === 0) break;
    state.apply(legal[rng.int(n)]);
  }
  return state.returnOf(player);
}

function rollouts(ctx: ProgramContext, pos: Position, count: number): number {
  if (pos.isTerminal()) return terminalValue(pos);
  const budget = ctx.budget;
  const wanted = clampInt(count, 1, MAX_ROLLOUTS);
  const player = pos.currentPlayer();
  let sum = 0;
  let done = 0;
  while (done < wanted && budget.simulations >= 1 && !pastDeadline(ctx)) {
    budget.simulations -= 1;
    sum += randomPlayout(ctx, pos, player);
    done++;
  }
  return done > 0 ? sum / done : 0;
}

export const rolloutPrimitives: readonly Primitive[] = [
  {
    name: 'rollouts',
    args: ['position', 'number'],
    result: 'value',
    pure: false,
    doc: '(rollouts pos n): mean result for the player to move of n uniformly random playouts (one simulation each; fewer when the budget runs out)',
    fn: rollouts as Primitive['fn'],
  },
];
