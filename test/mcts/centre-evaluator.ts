import type { State, Evaluator } from '../../src/core/index.js';
import { writeUniformPolicy } from '../../src/mcts/index.js';

/**
 * Connect Four from the empty board: the net puts 0.76 on the centre column and 0.04 on each
 * other, and values every position after a first move off the centre at −offCentre for the first
 * player (+offCentre for the second); the rest is even (0).
 */
export class CentreEvaluator implements Evaluator {
  readonly name = 'centre';
  private readonly legal = new Int32Array(7);
  constructor(private readonly offCentre: number) {}
  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    for (let i = 0; i < count; i++) {
      const s = states[i];
      if (s.moveNumber() === 0) for (let a = 0; a < 7; a++) policy[i * 7 + a] = a === 3 ? 0.76 : 0.04;
      else writeUniformPolicy(s, this.legal, policy, i * 7, 7);
      const lost = s.moveNumber() >= 1 && s.actionAt(0) !== 3;
      value[i] = lost ? (s.currentPlayer() === 0 ? -this.offCentre : this.offCentre) : 0;
    }
  }
  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}
