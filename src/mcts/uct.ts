import { PROVEN_NONE, PROVEN_LOSS, PROVEN_DRAW } from './proven.js';
import type { SelectionRule } from './rules.js';
import type { Tree } from './tree.js';

/**
 * UCT (Kocsis & Szepesvari, ECML 2006): UCB1 on the children,
 *   score(a) = Q(a) + c * sqrt(ln N / n(a)),
 * every unvisited child first (in action order). Priors are ignored; with random rollouts as the
 * evaluator this is the classic Monte-Carlo tree search baseline.
 */
export class UctRule implements SelectionRule {
  constructor(readonly c: number) {}

  select(tree: Tree, node: number): number {
    const { visits, virtualLoss, valueSum, proven } = tree;
    const first = tree.firstChild[node];
    const end = first + tree.numChildren[node];
    const logN = Math.log(Math.max(1, visits[node] + virtualLoss[node]));
    const c = this.c;
    let best = first;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = first; i < end; i++) {
      const p = proven[i];
      const n = visits[i] + virtualLoss[i];
      let q: number;
      if (p !== PROVEN_NONE) {
        if (p === PROVEN_LOSS) continue;
        q = p - PROVEN_DRAW;
      } else {
        if (n === 0) return i;
        q = (valueSum[i] - virtualLoss[i]) / n;
      }
      const score = n > 0 ? q + c * Math.sqrt(logN / n) : q;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}
