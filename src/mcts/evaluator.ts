import { createRng, type Evaluator, type Game, type Rng, type State } from '../core/index.js';

/** Writes a uniform distribution over the legal actions of `state` into policy[offset..offset+numActions). */
export function writeUniformPolicy(state: State, legal: Int32Array, policy: Float32Array, offset: number, numActions: number): void {
  policy.fill(0, offset, offset + numActions);
  const n = state.legalActions(legal);
  const p = n > 0 ? 1 / n : 0;
  for (let i = 0; i < n; i++) policy[offset + legal[i]] = p;
}

/** Uniform priors and value 0: the search then measures only its own overhead (and plain PUCT explores evenly). */
export class UniformEvaluator implements Evaluator {
  readonly name = 'uniform';
  private readonly legal: Int32Array;
  private readonly numActions: number;

  constructor(game: Game) {
    this.numActions = game.numActions;
    this.legal = new Int32Array(game.numActions);
  }

  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    for (let i = 0; i < count; i++) {
      writeUniformPolicy(states[i], this.legal, policy, i * this.numActions, this.numActions);
      value[i] = 0;
    }
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}

/**
 * Uniform priors and the result of one uniformly random playout to the end of the game, for the
 * player to move: the Monte-Carlo estimate of classic UCT (Kocsis & Szepesvari, 2006). Seeded,
 * so a search with rollouts replays exactly.
 */
export class RolloutEvaluator implements Evaluator {
  readonly name = 'rollout';
  private readonly rng: Rng;
  private readonly legal: Int32Array;
  private readonly scratch: State;
  private readonly numActions: number;

  constructor(game: Game, seed: string | number = 0) {
    this.numActions = game.numActions;
    this.rng = createRng(seed);
    this.legal = new Int32Array(game.numActions);
    this.scratch = game.newInitialState();
  }

  /** Plays random moves from `state` to the end on a scratch copy; returns the result for `player`. */
  playout(state: State, player: number): number {
    const s = this.scratch;
    s.copyFrom(state);
    const legal = this.legal;
    const rng = this.rng;
    for (;;) {
      const n = s.legalActions(legal);
      if (n === 0) break;
      s.apply(legal[(rng.next() * n) | 0]);
    }
    return s.returnOf(player);
  }

  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    for (let i = 0; i < count; i++) {
      const state = states[i];
      writeUniformPolicy(state, this.legal, policy, i * this.numActions, this.numActions);
      value[i] = this.playout(state, state.currentPlayer());
    }
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}
