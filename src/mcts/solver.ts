import { PROVEN_NONE, PROVEN_DRAW } from './proven.js';
import type { Tree } from './tree.js';

/**
 * MCTS-Solver (Winands, Bjornsson & Saito, "Monte-Carlo Tree Search Solver", CG 2008): terminal
 * results are exact, and they propagate up the tree. For the player to move at a node, one child
 * proven won proves the node won; the node is proven once every child is proven, at the best of
 * their values (a loss if all lose, a draw if the best is a draw). Proven values are stored for
 * `mover[i]` like every value in the tree.
 */

/**
 * Value for player `to` of a value for player `from`: two-player zero-sum. This is the one place a
 * perspective flips; an n-player game would pass return vectors instead.
 */
export function perspective(value: number, from: number, to: number): number {
  return from === to ? value : 0 - value; // 0 - x, not -x: a draw stays +0
}

/** Tries to prove an expanded node from its children; returns true if it became proven. */
export function solveNode(tree: Tree, node: number): boolean {
  const first = tree.firstChild[node];
  const n = tree.numChildren[node];
  if (first < 0 || n === 0) return false;
  const proven = tree.proven;
  let best = -2; // a value below every result (-1, 0, 1)
  let all = true;
  for (let i = first; i < first + n; i++) {
    const p = proven[i];
    if (p === PROVEN_NONE) {
      all = false;
      continue;
    }
    const v = p - PROVEN_DRAW;
    if (v > best) best = v;
    if (best === 1) break;
  }
  if (best !== 1 && !all) return false;
  proven[node] = perspective(best, tree.mover[first], tree.mover[node]) + PROVEN_DRAW;
  return true;
}

/** The proven result of node for `player` (-1, 0, 1), or null. */
export function provenFor(tree: Tree, node: number, player: number): -1 | 0 | 1 | null {
  const p = tree.proven[node];
  if (p === PROVEN_NONE) return null;
  return perspective(p - PROVEN_DRAW, tree.mover[node], player) as -1 | 0 | 1;
}
