import type { Rng, State } from '../core/index.js';
import { overrunAllowance, type CompiledProgram } from './compile.js';
import { ProgramRuntimeError } from './errors.js';
import type { ProgramBudget } from './types.js';

/**
 * How a compiled program picks a move, for agents:
 * - a policy program yielding a `move` plays it (an illegal one is a run-time error);
 * - a policy program yielding a `policy` plays its most probable legal move (ties: seeded random);
 * - a value program looks one ply ahead: it plays the move whose resulting position is best for
 *   the mover (a won end +2, a lost one -2, a draw 0, else the program's value of the child,
 *   negated when the opponent moves there), ties broken at random from the seed.
 * One budget covers the whole move (every child's evaluation draws from it).
 */
export class ProgramPlayer {
  private readonly actions: Int32Array;
  private readonly best: Int32Array;
  private readonly child: State;
  private readonly left: ProgramBudget = { nodes: 0, simulations: 0, deadline: Infinity };

  constructor(
    readonly compiled: CompiledProgram,
    private readonly rng: () => Rng,
  ) {
    const game = compiled.game;
    this.actions = new Int32Array(game.numActions);
    this.best = new Int32Array(game.numActions);
    this.child = game.newInitialState();
  }

  chooseMove(state: State, budget: ProgramBudget): number {
    const n = state.legalActions(this.actions);
    if (n === 0 || state.isTerminal()) throw new ProgramRuntimeError('asked to move in a finished game');
    const compiled = this.compiled;
    if (compiled.program.yields === 'value') return this.onePly(state, n, budget);
    const result = compiled.run(state, budget);
    if (compiled.resultType === 'move') {
      const move = result as number;
      if (!Number.isInteger(move) || !state.isLegal(move)) throw new ProgramRuntimeError(`the program chose ${move}, which is not a legal move in ${state.toMoveString() || 'the initial position'}`);
      return move;
    }
    const policy = result as Float32Array;
    let top = -Infinity;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const p = policy[this.actions[i]];
      if (Number.isNaN(p)) throw new ProgramRuntimeError('the program\'s policy is not a number');
      if (p > top) {
        top = p;
        count = 0;
      }
      if (p === top) this.best[count++] = this.actions[i];
    }
    return this.best[count === 1 ? 0 : this.rng().int(count)];
  }

  private onePly(state: State, n: number, budget: ProgramBudget): number {
    const left = this.left;
    left.nodes = budget.nodes;
    left.simulations = budget.simulations;
    left.deadline = budget.deadline;
    // One allowance for the whole move, not one per child's run (which would shrink as the deadline nears).
    left.grace = budget.grace ?? (budget.deadline === Infinity ? undefined : overrunAllowance(budget.deadline - performance.now()));
    const mover = state.currentPlayer();
    const child = this.child;
    let top = -Infinity;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const move = this.actions[i];
      child.copyFrom(state);
      child.apply(move);
      let score: number;
      if (child.isTerminal()) {
        score = 2 * child.returnOf(mover);
      } else {
        const value = this.compiled.run(child, left) as number;
        if (Number.isNaN(value)) throw new ProgramRuntimeError('the program\'s value is not a number');
        const spent = this.compiled.budget;
        left.nodes = spent.nodes;
        left.simulations = spent.simulations;
        score = child.currentPlayer() === mover ? value : -value;
      }
      if (score > top) {
        top = score;
        count = 0;
      }
      if (score === top) this.best[count++] = move;
    }
    return this.best[count === 1 ? 0 : this.rng().int(count)];
  }
}
