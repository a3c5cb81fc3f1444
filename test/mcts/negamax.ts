import type { State } from '../../src/core/index.js';

/** Exact game value for the player to move (memoised negamax): an independent reference for the tests. */
export function negamax(state: State, memo = new Map<number, number>()): number {
  if (state.isTerminal()) throw new Error('negamax on a terminal state');
  const key = state.hash();
  const known = memo.get(key);
  if (known !== undefined) return known;
  const me = state.currentPlayer();
  const actions = new Int32Array(state.game.numActions);
  const n = state.legalActions(actions);
  let best = -2;
  for (let i = 0; i < n && best < 1; i++) {
    const child = state.clone();
    child.apply(actions[i]);
    const v = child.isTerminal() ? child.returnOf(me) : child.currentPlayer() === me ? negamax(child, memo) : -negamax(child, memo);
    if (v > best) best = v;
  }
  memo.set(key, best);
  return best;
}

/** Value for the mover of each legal action (win 1, draw 0, loss -1). */
export function actionValues(state: State): Map<number, number> {
  const out = new Map<number, number>();
  const me = state.currentPlayer();
  const actions = new Int32Array(state.game.numActions);
  const n = state.legalActions(actions);
  for (let i = 0; i < n; i++) {
    const child = state.clone();
    child.apply(actions[i]);
    out.set(actions[i], child.isTerminal() ? child.returnOf(me) : child.currentPlayer() === me ? negamax(child) : -negamax(child));
  }
  return out;
}
