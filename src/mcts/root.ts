import type { Rng } from '../envs/index.js';
import type { SelectionRule } from './rules.js';
import { PROVEN_LOSS } from './rules.js';
import { type Tree, UNPROVEN } from './tree.js';

/**
 * How the root is searched and how its result is read (mctx's root action selection plus the
 * policy-output part of `policies.py`). One search loop serves every root policy.
 */
export interface RootPolicy {
  /** Called once per run after the root is expanded; `simulations` may be Infinity (time budget). */
  begin(tree: Tree, root: number, simulations: number, rng: Rng): void;
  /** The root child simulation number `simIndex` (0-based within this run) goes through. */
  select(tree: Tree, root: number, simIndex: number): number;
  /** A simulation through `child` was abandoned (it collided with a leaf already in the batch). */
  cancel(tree: Tree, root: number, child: number): void;
  /** Writes the policy target (length numActions, zero on illegal actions) and returns the move to play. */
  finish(tree: Tree, root: number, policy: Float32Array): number;
}

/**
 * The child to play at `node`: a proven win first; otherwise the most visited child that is not a
 * proven loss (if any other exists), ties broken by Q then by prior.
 */
export function bestChild(tree: Tree, node: number): number {
  const { visits, proven, prior } = tree;
  const first = tree.firstChild[node];
  const end = first + tree.numChildren[node];
  let best = -1;
  for (let c = first; c < end; c++) {
    if (proven[c] === 3) {
      if (best < 0 || proven[best] !== 3 || visits[c] > visits[best]) best = c;
      continue;
    }
    if (best < 0) {
      best = c;
      continue;
    }
    if (proven[best] === 3) continue;
    const bestLoses = proven[best] === PROVEN_LOSS;
    const cLoses = proven[c] === PROVEN_LOSS;
    if (bestLoses !== cLoses) {
      if (bestLoses) best = c;
      continue;
    }
    if (visits[c] > visits[best]) best = c;
    else if (visits[c] === visits[best]) {
      const qc = tree.q(c);
      const qb = tree.q(best);
      if (qc > qb || (qc === qb && prior[c] > prior[best])) best = c;
    }
  }
  return best;
}

/** Classic root: the selection rule chooses, the visit distribution is the policy target, the most visited move is played. */
export class VisitsRoot implements RootPolicy {
  constructor(private readonly rule: SelectionRule) {}

  begin(): void {}

  select(tree: Tree, root: number): number {
    return this.rule.select(tree, root);
  }

  cancel(): void {}

  finish(tree: Tree, root: number, policy: Float32Array): number {
    const first = tree.firstChild[root];
    const end = first + tree.numChildren[root];
    policy.fill(0);
    const best = bestChild(tree, root);
    if (tree.proven[best] === 3) {
      // A proven win is the whole target (it may have no visits: decisive moves are proven unvisited).
      policy[tree.action[best]] = 1;
      return tree.action[best];
    }
    let total = 0;
    for (let c = first; c < end; c++) total += tree.visits[c];
    for (let c = first; c < end; c++) policy[tree.action[c]] = total > 0 ? tree.visits[c] / total : tree.prior[c];
    return tree.action[best];
  }
}

/** Whether child c of an expanded node is a proven loss for the player choosing there. */
export function isProvenLoss(tree: Tree, c: number): boolean {
  return tree.proven[c] === PROVEN_LOSS;
}

export { UNPROVEN };
