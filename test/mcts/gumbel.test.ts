import { describe, expect, it } from 'vitest';
import { isArborError, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { RolloutEvaluator, Search, UniformEvaluator } from '../../src/mcts/index.js';
import { consideredVisitSequence } from '../../src/mcts/gumbel.js';
import { actionValues, negamax } from './negamax.js';

const ttt = createGame('tictactoe');
const c4 = createGame('connect4');

/** Whether the opponent can win on the next move after `action`. */
function givesImmediateWin(state: State, action: number): boolean {
  const after = state.clone();
  after.apply(action);
  const acts = new Int32Array(9);
  const n = after.legalActions(acts);
  for (let i = 0; i < n; i++) {
    const reply = after.clone();
    reply.apply(acts[i]);
    if (reply.isTerminal() && reply.returnOf(after.currentPlayer()) > 0) return true;
  }
  return false;
}

/**
 * Every reachable tic-tac-toe position won for the player to move whose losing moves all lose at
 * once (the opponent then wins on the next move): the losses 16 simulations can see. Losses that
 * only show three plies deep (forks) need a value signal that the uniform evaluator lacks.
 */
function wonPositionsWithLosingMoves(): string[] {
  const out: string[] = [];
  const walk = (moves: string[]) => {
    const state = ttt.parseState(moves.join(' '));
    if (state.isTerminal()) return;
    const values = moves.length >= 2 && negamax(state) === 1 ? [...actionValues(state)] : [];
    const losing = values.filter(([, v]) => v === -1).map(([a]) => a);
    if (losing.length > 0 && losing.every((a) => givesImmediateWin(state, a))) out.push(moves.join(' '));
    if (moves.length >= 5) return;
    const acts = new Int32Array(9);
    const n = state.legalActions(acts);
    for (let i = 0; i < n; i++) walk([...moves, ttt.actionToString(acts[i])]);
  };
  walk([]);
  return out;
}

describe('Gumbel root (Danihelka et al. 2022)', () => {
  it('Sequential Halving schedule: 16 simulations over 4 actions visit each twice, then the best 2 four more times', () => {
    // log2(4) = 2 phases; phase 1: floor(16 / (2*4)) = 2 visits each; phase 2: the rest to 2 actions.
    expect(Array.from(consideredVisitSequence(4, 16))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(consideredVisitSequence(16, 2))).toEqual([0, 0]);
    expect(Array.from(consideredVisitSequence(1, 3))).toEqual([0, 1, 2]);
  });

  it('with 16 simulations never picks a losing move in a won tic-tac-toe position', async () => {
    const positions = wonPositionsWithLosingMoves();
    expect(positions.length).toBeGreaterThan(20);
    for (const moves of positions) {
      const state = ttt.parseState(moves);
      const values = actionValues(state);
      for (const seed of [1, 2, 3]) {
        const search = new Search(ttt, new UniformEvaluator(ttt), { root: 'gumbel', seed, reuseTree: false });
        const r = await search.run(state, { simulations: 16 });
        expect(values.get(r.bestAction), `${moves} seed ${seed}`).not.toBe(-1);
      }
    }
  });

  it('its improved policy is a probability distribution over the legal actions, even with 2 simulations', async () => {
    for (const sims of [2, 3, 16, 100]) {
      const state = c4.parseState('44');
      const search = new Search(c4, new RolloutEvaluator(c4, 1), { root: 'gumbel', seed: 2, reuseTree: false });
      const r = await search.run(state, { simulations: sims });
      let total = 0;
      for (const p of r.policy) {
        expect(p).toBeGreaterThanOrEqual(0);
        total += p;
      }
      expect(total).toBeCloseTo(1, 5);
      expect(r.visits.reduce((a, b) => a + b, 0)).toBe(sims);
      expect(state.isLegal(r.bestAction)).toBe(true);
    }
    const full = ttt.parseState('a1 b1 c1 a2 b2 c2 b3');
    const r = await new Search(ttt, new UniformEvaluator(ttt), { root: 'gumbel', reuseTree: false }).run(full, { simulations: 4 });
    expect(r.policy[ttt.parseAction('a1')]).toBe(0);
    expect(r.policy[ttt.parseAction('a3')] + r.policy[ttt.parseAction('c3')]).toBeCloseTo(1, 5);
  });

  it('the improved policy moves mass to the better move as Q-values come in', async () => {
    // X to move; c1 wins at once, every other move lets the game go on.
    const state = ttt.parseState('a1 a2 b1 b2');
    const search = new Search(ttt, new UniformEvaluator(ttt), { root: 'gumbel', solver: false, seed: 1, reuseTree: false });
    const r = await search.run(state, { simulations: 32 });
    const win = ttt.parseAction('c1');
    expect(r.bestAction).toBe(win);
    for (let a = 0; a < 9; a++) if (a !== win) expect(r.policy[win]).toBeGreaterThan(r.policy[a]);
  });

  it('needs a simulation budget', async () => {
    const search = new Search(c4, new UniformEvaluator(c4), { root: 'gumbel' });
    let err: unknown;
    try {
      await search.run(c4.newInitialState(), { timeMs: 10 });
    } catch (e) {
      err = e;
    }
    expect(isArborError(err)).toBe(true);
  });
});
