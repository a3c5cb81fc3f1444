import type { Tree } from './tree.js';

/**
 * A selection rule picks the child of an expanded, unproven node to descend into (mctx's
 * `action_selection`). Rules see virtual losses: a child with v simulations in flight counts as
 * n + v visits whose v extra results were losses for its mover, which spreads a batch of leaves.
 * Children proven lost for the player choosing (MCTS-solver) are skipped while another exists.
 */
export interface SelectionRule {
  select(tree: Tree, node: number): number;
}
