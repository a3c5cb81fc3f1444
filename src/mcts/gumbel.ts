import type { Rng } from '../core/index.js';
import { sampleGumbel } from './noise.js';
import { childLogits, completedScaledQ, softmaxSum } from './qtransforms.js';
import type { RootPolicy } from './root.js';
import { PROVEN_LOSS, PROVEN_WIN } from './proven.js';
import type { SelectionRule } from './rules.js';
import type { Tree } from './tree.js';

/**
 * Gumbel MuZero's root (Danihelka, Guez, Schrittwieser & Silver, "Policy improvement by planning
 * with Gumbel", ICLR 2022): sample k actions without replacement by Gumbel-top-k on the prior
 * logits, share the simulations among them by Sequential Halving (Karnin et al., 2013), and play
 * the survivor argmax g(a) + logits(a) + sigma(completed q(a)). The policy target is
 * softmax(logits + sigma(completed q)) over all legal actions. Works down to 2 simulations.
 */

/**
 * The visit count the action chosen at simulation i must have, for k considered actions and n
 * simulations (the paper's Sequential Halving written as one sequence, as mctx's seq_halving does):
 * each phase gives every remaining action max(1, floor(n / (ceil(log2 k) * remaining))) more visits,
 * then keeps the better half (at least 2).
 */
export function consideredVisitSequence(k: number, n: number): Int32Array {
  const out = new Int32Array(n);
  if (k <= 1) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  const log2k = Math.ceil(Math.log2(k));
  const visits = new Int32Array(k);
  let considered = k;
  let len = 0;
  while (len < n) {
    const extra = Math.max(1, Math.floor(n / (log2k * considered)));
    for (let e = 0; e < extra && len < n; e++) {
      for (let i = 0; i < considered && len < n; i++) out[len++] = visits[i];
      for (let i = 0; i < considered; i++) visits[i]++;
    }
    considered = Math.max(2, considered >> 1);
  }
  return out;
}

/** The root policy (Gumbel-top-k + Sequential Halving + completed Q). */
export class GumbelRoot implements RootPolicy {
  private gumbel: Float64Array;
  private logits: Float64Array;
  private sigmaQ: Float64Array;
  private probs: Float64Array;
  /** Visits each root child received in this run: Sequential Halving counts these, so a reused root still works. */
  private runVisits: Int32Array;
  private sequence: Int32Array = new Int32Array(0);
  private sequenceKey = '';

  constructor(
    numActions: number,
    readonly consideredActions: number,
    readonly cVisit: number,
    readonly cScale: number,
    readonly scale: number,
  ) {
    this.gumbel = new Float64Array(numActions);
    this.logits = new Float64Array(numActions);
    this.sigmaQ = new Float64Array(numActions);
    this.probs = new Float64Array(numActions);
    this.runVisits = new Int32Array(numActions);
  }

  begin(tree: Tree, root: number, simulations: number, rng: Rng): void {
    const n = tree.numChildren[root];
    sampleGumbel(rng, this.scale, n, this.gumbel);
    childLogits(tree, root, this.logits);
    this.runVisits.fill(0);
    const k = Math.min(this.consideredActions, n);
    const key = `${k}/${simulations}`;
    if (key !== this.sequenceKey) {
      this.sequence = consideredVisitSequence(k, simulations);
      this.sequenceKey = key;
    }
  }

  select(tree: Tree, root: number, simIndex: number): number {
    const n = tree.numChildren[root];
    const first = tree.firstChild[root];
    completedScaledQ(tree, root, this.cVisit, this.cScale, this.sigmaQ);
    const seq = this.sequence;
    const considered = seq.length > 0 ? seq[Math.min(simIndex, seq.length - 1)] : 0;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    // Fallback if no child has the required count (after collisions): the least visited, by score.
    let fallback = -1;
    let fallbackVisits = Number.POSITIVE_INFINITY;
    let fallbackScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (tree.proven[first + i] === PROVEN_LOSS) continue;
      const score = this.gumbel[i] + this.logits[i] + this.sigmaQ[i];
      if (this.runVisits[i] === considered && score > bestScore) {
        bestScore = score;
        best = i;
      }
      if (this.runVisits[i] < fallbackVisits || (this.runVisits[i] === fallbackVisits && score > fallbackScore)) {
        fallback = i;
        fallbackVisits = this.runVisits[i];
        fallbackScore = score;
      }
    }
    const chosen = best >= 0 ? best : fallback >= 0 ? fallback : 0;
    this.runVisits[chosen]++;
    return first + chosen;
  }

  cancel(tree: Tree, root: number, child: number): void {
    this.runVisits[child - tree.firstChild[root]]--;
  }

  finish(tree: Tree, root: number, policy: Float32Array): number {
    const n = tree.numChildren[root];
    const first = tree.firstChild[root];
    completedScaledQ(tree, root, this.cVisit, this.cScale, this.sigmaQ);
    softmaxSum(this.logits, this.sigmaQ, n, this.probs);
    policy.fill(0);
    for (let i = 0; i < n; i++) policy[tree.action[first + i]] = this.probs[i];
    // A proven win is played at once.
    for (let i = 0; i < n; i++) if (tree.proven[first + i] === PROVEN_WIN) return tree.action[first + i];
    let maxVisits = -1;
    let allLose = true;
    for (let i = 0; i < n; i++) {
      if (tree.proven[first + i] !== PROVEN_LOSS) allLose = false;
    }
    for (let i = 0; i < n; i++) {
      if (!allLose && tree.proven[first + i] === PROVEN_LOSS) continue;
      if (this.runVisits[i] > maxVisits) maxVisits = this.runVisits[i];
    }
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (!allLose && tree.proven[first + i] === PROVEN_LOSS) continue;
      if (this.runVisits[i] !== maxVisits) continue;
      const score = this.gumbel[i] + this.logits[i] + this.sigmaQ[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return tree.action[first + best];
  }
}

/**
 * Gumbel MuZero's interior rule (paper, section 5; deterministic, no exploration constant):
 *   argmax_a  pi'(a) - N(a) / (1 + sum_b N(b)),   pi' = softmax(logits + sigma(completed q))
 * which makes the visit distribution track the improved policy pi'.
 */
export class GumbelInteriorRule implements SelectionRule {
  private logits: Float64Array;
  private sigmaQ: Float64Array;
  private probs: Float64Array;

  constructor(numActions: number, readonly cVisit: number, readonly cScale: number) {
    this.logits = new Float64Array(numActions);
    this.sigmaQ = new Float64Array(numActions);
    this.probs = new Float64Array(numActions);
  }

  select(tree: Tree, node: number): number {
    const n = tree.numChildren[node];
    const first = tree.firstChild[node];
    childLogits(tree, node, this.logits);
    completedScaledQ(tree, node, this.cVisit, this.cScale, this.sigmaQ);
    softmaxSum(this.logits, this.sigmaQ, n, this.probs);
    let sumN = 0;
    for (let i = 0; i < n; i++) sumN += tree.visits[first + i] + tree.virtualLoss[first + i];
    let best = first;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const c = first + i;
      if (tree.proven[c] === PROVEN_LOSS) continue;
      const score = this.probs[i] - (tree.visits[c] + tree.virtualLoss[c]) / (1 + sumN);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }
}
