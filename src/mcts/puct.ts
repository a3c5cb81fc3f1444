import { PROVEN_NONE, PROVEN_LOSS, PROVEN_DRAW } from './proven.js';
import type { SelectionRule } from './rules.js';
import { perspective } from './solver.js';
import type { Tree } from './tree.js';

/**
 * PUCT in AlphaZero's form (Silver et al., Science 2018; the constant as in MuZero's pseudocode):
 *   score(a) = Q(a) + cPuct * P(a) * sqrt(N) / (1 + n(a))
 * with N the parent's visits (its own evaluation included, so the priors already order the first
 * choice) and Q of an unvisited child given by first-play urgency: the parent's Q minus a reduction
 * (Leela Zero) or an absolute value.
 */
export class PuctRule implements SelectionRule {
  constructor(
    readonly cPuct: number,
    readonly fpuMode: 'reduction' | 'absolute',
    readonly fpuValue: number,
  ) {}

  select(tree: Tree, node: number): number {
    const { visits, virtualLoss, valueSum, prior, proven } = tree;
    const first = tree.firstChild[node];
    const end = first + tree.numChildren[node];
    const parentVisits = visits[node] + virtualLoss[node];
    const scale = this.cPuct * Math.sqrt(parentVisits);
    const fpu = this.fpuMode === 'absolute'
      ? this.fpuValue
      : perspective(tree.q(node), tree.mover[node], tree.mover[first]) - this.fpuValue;
    let best = first;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = first; c < end; c++) {
      const p = proven[c];
      let q: number;
      const n = visits[c] + virtualLoss[c];
      if (p !== PROVEN_NONE) {
        if (p === PROVEN_LOSS) continue;
        q = p - PROVEN_DRAW;
      } else {
        q = n > 0 ? (valueSum[c] - virtualLoss[c]) / n : fpu;
      }
      const score = q + (scale * prior[c]) / (1 + n);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }
}
