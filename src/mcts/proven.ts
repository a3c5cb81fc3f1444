/**
 * What the MCTS-solver (Winands et al., 2008) has proven about a node, stored in one byte per
 * node (`Tree.proven`): the proven value for the node's mover (-1 loss, 0 draw, +1 win) plus
 * PROVEN_DRAW, or PROVEN_NONE while nothing is proven. The codes order like the results, so a
 * code converts to its value and back by subtracting or adding PROVEN_DRAW. The search's hot
 * loops write that arithmetic inline (`code - PROVEN_DRAW`): calls to the helpers below were
 * not always inlined there and measured ~8% fewer tic-tac-toe simulations per second; the
 * helpers are for readers of `Search.treeView`.
 */
export const PROVEN_NONE = 0;
export const PROVEN_LOSS = 1;
export const PROVEN_DRAW = 2;
export const PROVEN_WIN = 3;

/** The code of a proven value (-1, 0 or 1, for the node's mover). */
export function provenCode(value: number): number {
  return value + PROVEN_DRAW;
}

/** The value (-1, 0 or 1, for the node's mover) of a code other than PROVEN_NONE. */
export function provenValue(code: number): number {
  return code - PROVEN_DRAW;
}
