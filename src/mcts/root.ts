import type { Rng } from '../core/index.js';
import { PROVEN_NONE, PROVEN_LOSS, PROVEN_DRAW, PROVEN_WIN } from './proven.js';
import type { RunSettings } from './run-overrides.js';
import type { SelectionRule } from './rules.js';
import type { Tree } from './tree.js';

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
    if (proven[c] === PROVEN_WIN) {
      if (best < 0 || proven[best] !== PROVEN_WIN || visits[c] > visits[best]) best = c;
      continue;
    }
    if (best < 0) {
      best = c;
      continue;
    }
    if (proven[best] === PROVEN_WIN) continue;
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
  /**
   * `run` holds the root settings of the run in progress (the search refills it at each run), so
   * a run can switch forced playouts on, as self-play does for full searches only.
   */
  constructor(
    private readonly rule: SelectionRule,
    private readonly cPuct: number,
    private readonly run: Pick<RunSettings, 'forcedPlayouts'>,
  ) {}

  begin(): void {}

  select(tree: Tree, root: number): number {
    const k = this.run.forcedPlayouts;
    return k > 0 ? forcedChild(tree, root, k) ?? this.rule.select(tree, root) : this.rule.select(tree, root);
  }

  cancel(): void {}

  finish(tree: Tree, root: number, policy: Float32Array): number {
    const first = tree.firstChild[root];
    const end = first + tree.numChildren[root];
    policy.fill(0);
    const best = bestChild(tree, root);
    if (tree.proven[best] === PROVEN_WIN) {
      // A proven win is the whole target (it may have no visits: decisive moves are proven unvisited).
      policy[tree.action[best]] = 1;
      return tree.action[best];
    }
    const k = this.run.forcedPlayouts;
    // Policy target pruning (k > 0) reads the children's visits (N of n_forced), the PUCT scale and c*'s score.
    let visited = 0;
    let scale = 0;
    let bestScore = 0;
    if (k > 0) {
      for (let c = first; c < end; c++) visited += tree.visits[c];
      scale = this.cPuct * Math.sqrt(tree.visits[root]);
      bestScore = childQ(tree, best) + (scale * tree.prior[best]) / (1 + tree.visits[best]);
    }
    let total = 0;
    for (let c = first; c < end; c++) {
      const n = k > 0 && c !== best ? prunedVisits(tree, c, k, visited, scale, bestScore) : tree.visits[c];
      policy[tree.action[c]] = n;
      total += n;
    }
    for (let c = first; c < end; c++) {
      const a = tree.action[c];
      policy[a] = total > 0 ? policy[a] / total : tree.prior[c];
    }
    return tree.action[best];
  }
}

/** The value PUCT reads for a visited child (proven children: their proven result), for the player choosing. */
function childQ(tree: Tree, c: number): number {
  return tree.proven[c] !== PROVEN_NONE ? tree.proven[c] - PROVEN_DRAW : tree.valueSum[c] / tree.visits[c];
}

/**
 * Forced playouts (Wu 2019, §3.2): a root child below n_forced = sqrt(k P(c) N) visits, N the
 * children's visits so far, is chosen before PUCT is asked, so a move the noise made look
 * promising is searched enough to show whether it is. The child furthest below its count goes
 * first; proven losses are never forced.
 */
function forcedChild(tree: Tree, root: number, k: number): number | null {
  const { visits, virtualLoss, prior } = tree;
  const first = tree.firstChild[root];
  const end = first + tree.numChildren[root];
  let total = 0;
  for (let c = first; c < end; c++) total += visits[c] + virtualLoss[c];
  let chosen = -1;
  let deficit = 0;
  for (let c = first; c < end; c++) {
    if (isProvenLoss(tree, c)) continue;
    const d = Math.sqrt(k * prior[c] * total) - (visits[c] + virtualLoss[c]);
    if (d > deficit) {
      deficit = d;
      chosen = c;
    }
  }
  return chosen >= 0 ? chosen : null;
}

/**
 * Policy target pruning (Wu 2019, §3.2): child c gives back up to its n_forced visits as long as
 * its PUCT score with the reduced count stays below that of the most visited child c*, and a child
 * left with a single visit is dropped. The visits PUCT would have spent anyway stay in the target;
 * the ones the forcing added do not, so the target is not flattened by the noise.
 */
function prunedVisits(tree: Tree, c: number, k: number, visited: number, scale: number, bestScore: number): number {
  const n = tree.visits[c];
  if (n === 0) return 0;
  const gap = bestScore - childQ(tree, c);
  if (gap <= 0) return n;
  // PUCT(c, m) = Q(c) + scale P(c) / (1 + m) < bestScore  <=>  m > scale P(c) / gap - 1
  const threshold = (scale * tree.prior[c]) / gap - 1;
  const fewest = threshold < 0 ? 0 : Math.floor(threshold) + 1;
  const kept = Math.min(n, Math.max(n - Math.floor(Math.sqrt(k * tree.prior[c] * visited)), fewest));
  return kept <= 1 ? 0 : kept;
}

/** Whether child c of an expanded node is a proven loss for the player choosing there. */
function isProvenLoss(tree: Tree, c: number): boolean {
  return tree.proven[c] === PROVEN_LOSS;
}

