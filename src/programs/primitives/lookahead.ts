import type { Game, State } from '../../core/index.js';
import type { Primitive, Position, ProgramContext } from '../types.js';
import { clampInt, pastDeadline, perGame, ScratchPool } from './budget.js';
import { terminalValue } from './terminal.js';

/**
 * Bounded alpha-beta lookahead over a value function (negamax with alpha-beta pruning, Knuth &
 * Moore 1975, deepened iteratively so that a search cut short by its budget still has an answer:
 * the best root move of the deepest iteration that searched the previous best move). The value
 * function is a program argument of type (position) -> value, arriving as a JS function; it is
 * asked only at the leaves (depth reached), finished games count their real result.
 *
 * Budget: one node per position visited; the search stops when the call's nodes run out or its
 * deadline passes (read every 64 nodes and after every leaf evaluation), and answers the best found so far (with no node at all: value 0 and the first
 * legal move). Depth is clamped to 0..64 and rounded; depth 0 is the value function itself.
 */

export type ValueFunction = (pos: Position) => number;

export const MAX_DEPTH = 64;
/** Deadline checks every this many nodes (performance.now() costs more than a node). */
const DEADLINE_EVERY = 64;

/** Thrown to unwind a search whose budget ran out; never escapes this module. */
const OUT_OF_BUDGET = new Error('alpha-beta: budget spent');

/** A value function's answer as a value: NaN (unknown) counts as 0, the rest is clamped to [-1, 1]. */
export function asValue(v: number): number {
  if (!(v === v)) return 0;
  return v > 1 ? 1 : v < -1 ? -1 : v;
}

export class AlphaBeta {
  private readonly stack: State[];
  private readonly moves: Int32Array[];
  private ctx: ProgramContext | null = null;
  private value: ValueFunction | null = null;
  private visited = 0;
  /** Root result of the last `search`. */
  bestMove = -1;
  bestValue = 0;

  constructor(game: Game) {
    const levels = Math.min(game.maxGameLength, MAX_DEPTH) + 2;
    this.stack = Array.from({ length: levels }, () => game.newInitialState());
    this.moves = Array.from({ length: levels }, () => new Int32Array(game.numActions));
  }

  /** Searches `pos` to `depth` plies with `value` at the leaves; the answer is in bestMove/bestValue. */
  search(ctx: ProgramContext, pos: Position, depth: number, value: ValueFunction): void {
    this.bestMove = -1;
    this.bestValue = 0;
    if (pos.isTerminal()) {
      this.bestValue = terminalValue(pos);
      return;
    }
    const root = this.stack[0];
    root.copyFrom(pos);
    const rootMoves = this.moves[0];
    const n = root.legalActions(rootMoves);
    this.bestMove = rootMoves[0];
    const maxDepth = Math.min(clampInt(depth, 0, MAX_DEPTH), this.stack.length - 2);
    this.ctx = ctx;
    this.value = value;
    this.visited = 0;
    try {
      if (maxDepth === 0) {
        this.spend();
        this.bestValue = asValue(value(pos));
        return;
      }
      const mover = root.currentPlayer();
      const child = this.stack[1];
      for (let d = 1; d <= maxDepth; d++) {
        let alpha = -Infinity;
        let iterationMove = -1;
        try {
          for (let i = 0; i < n; i++) {
            const a = rootMoves[i];
            child.copyFrom(root);
            child.apply(a);
            const v = this.childValue(1, d - 1, mover, alpha, Infinity);
            if (v > alpha) {
              alpha = v;
              iterationMove = a;
            }
          }
        } catch (e) {
          if (e !== OUT_OF_BUDGET) throw e;
          // Cut short: root moves are tried previous-best first, so the moves finished in this
          // iteration include that one and their best is at least as well founded.
          if (iterationMove >= 0) {
            this.bestMove = iterationMove;
            this.bestValue = alpha;
          }
          return;
        }
        this.bestMove = iterationMove;
        this.bestValue = alpha;
        if (alpha >= 1) return; // a win: deeper search cannot do better
        // Previous best first in the next iteration.
        for (let i = 0; i < n; i++) {
          if (rootMoves[i] === iterationMove) {
            rootMoves[i] = rootMoves[0];
            rootMoves[0] = iterationMove;
            break;
          }
        }
      }
    } catch (e) {
      if (e !== OUT_OF_BUDGET) throw e;
    } finally {
      this.ctx = null;
      this.value = null;
    }
  }

  /** Value for `mover` of stack[level] (just reached by one of mover's moves). */
  private childValue(level: number, depthLeft: number, mover: number, alpha: number, beta: number): number {
    const s = this.stack[level];
    if (s.isTerminal()) {
      this.spend();
      return Math.sign(s.returnOf(mover));
    }
    return s.currentPlayer() === mover ? this.negamax(level, depthLeft, alpha, beta) : -this.negamax(level, depthLeft, -beta, -alpha);
  }

  /** Negamax value of stack[level] for its player to move (not terminal). */
  private negamax(level: number, depthLeft: number, alpha: number, beta: number): number {
    this.spend();
    const s = this.stack[level];
    if (depthLeft === 0) {
      const v = asValue((this.value as ValueFunction)(s));
      // A value function may be costly (a network's forward pass): read the clock after each one.
      if (pastDeadline(this.ctx as ProgramContext)) throw OUT_OF_BUDGET;
      return v;
    }
    const mover = s.currentPlayer();
    const list = this.moves[level];
    const n = s.legalActions(list);
    const child = this.stack[level + 1];
    let best = -Infinity;
    for (let i = 0; i < n; i++) {
      child.copyFrom(s);
      child.apply(list[i]);
      const v = this.childValue(level + 1, depthLeft - 1, mover, alpha, beta);
      if (v > best) best = v;
      if (v > alpha) alpha = v;
      if (alpha >= beta) break;
    }
    return best;
  }

  private spend(): void {
    const ctx = this.ctx as ProgramContext;
    if (ctx.budget.nodes < 1) throw OUT_OF_BUDGET;
    ctx.budget.nodes -= 1;
    if (++this.visited % DEADLINE_EVERY === 0 && pastDeadline(ctx)) throw OUT_OF_BUDGET;
  }
}

const pools = perGame((game: Game) => new ScratchPool(() => new AlphaBeta(game)));

/** Runs one alpha-beta search with a pooled searcher (value functions may search again inside). */
function withSearch<T>(ctx: ProgramContext, pos: Position, depth: number, value: ValueFunction, read: (s: AlphaBeta) => T): T {
  const pool = pools(ctx.game);
  const searcher = pool.acquire();
  try {
    searcher.search(ctx, pos, depth, value);
    return read(searcher);
  } finally {
    pool.release(searcher);
  }
}

const readValue = (s: AlphaBeta) => s.bestValue;
const readMove = (s: AlphaBeta) => s.bestMove;

const VALUE_FUNCTION = { args: ['position' as const], result: 'value' as const };

export const lookaheadPrimitives: readonly Primitive[] = [
  {
    name: 'alphabeta',
    args: ['position', 'number', VALUE_FUNCTION],
    result: 'value',
    pure: false,
    doc: '(alphabeta pos depth f): negamax value of pos searched depth plies with value function f at the leaves (best so far when the node budget runs out)',
    fn: ((ctx: ProgramContext, pos: Position, depth: number, f: ValueFunction) => withSearch(ctx, pos, depth, f, readValue)) as Primitive['fn'],
  },
  {
    name: 'alphabeta-move',
    args: ['position', 'number', VALUE_FUNCTION],
    result: 'move',
    pure: false,
    doc: '(alphabeta-move pos depth f): the best move of that search (-1 in a finished game)',
    fn: ((ctx: ProgramContext, pos: Position, depth: number, f: ValueFunction) => withSearch(ctx, pos, depth, f, readMove)) as Primitive['fn'],
  },
];
