import type { Game } from '../../core/index.js';
import type { ProgramContext } from '../types.js';

/**
 * How primitives spend a call's budget (types.ts ProgramBudget). Search primitives (solve,
 * alpha-beta, rollouts, MCTS) take what they need up front, stop when it is gone and give back
 * what they did not use; the bounded board primitives (line counts, win/lose checks) charge the
 * positions they visit but always finish, since their work is small and known in advance.
 */

/** Charges `n` nodes (never below zero: a bounded primitive does not fail a program). */
export function chargeNodes(ctx: ProgramContext, n: number): void {
  const left = ctx.budget.nodes - n;
  ctx.budget.nodes = left > 0 ? left : 0;
}

/** True once the call's wall-clock deadline has passed. */
export function pastDeadline(ctx: ProgramContext): boolean {
  const deadline = ctx.budget.deadline;
  return deadline !== Number.POSITIVE_INFINITY && performance.now() >= deadline;
}

/** `n` as a whole number in [lo, hi]; NaN counts as `lo` (program arithmetic may produce anything). */
export function clampInt(n: number, lo: number, hi: number): number {
  if (!(n >= lo)) return lo;
  if (n >= hi) return hi;
  return Math.round(n);
}

/**
 * Reusable scratch objects (search stacks, trees) for primitives that call back into a program:
 * a value function may itself run the same primitive (alpha-beta inside alpha-beta), so each
 * active call takes its own object and returns it. After the first calls at each nesting depth
 * nothing is allocated.
 */
export class ScratchPool<T> {
  private readonly free: T[] = [];
  constructor(private readonly make: () => T) {}

  acquire(): T {
    return this.free.pop() ?? this.make();
  }

  release(item: T): void {
    this.free.push(item);
  }
}

/** One pool per game, in a WeakMap so games and their scratch are collected together. */
export function perGame<T>(make: (game: Game) => T): (game: Game) => T {
  const cache = new WeakMap<Game, T>();
  return (game) => {
    let value = cache.get(game);
    if (value === undefined) {
      value = make(game);
      cache.set(game, value);
    }
    return value;
  };
}
