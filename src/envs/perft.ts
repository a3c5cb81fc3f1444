import type { State } from '../core/index.js';

/**
 * Counts move sequences of exactly length 1..depth from `start` (a finished game is not
 * extended, so it is not counted again at greater depths; the published Othello table does
 * count games that ended at ply 9 as leaves at ply 10, so the two agree through depth 9). Walks with one preallocated state and action buffer per depth, so it allocates
 * nothing while counting. By default the last level is counted from the legal list without
 * playing it ("bulk counting"); `applyLeaves` plays every counted move, which is what a
 * throughput benchmark should time.
 */
export function perft(start: State, depth: number, options: { applyLeaves?: boolean } = {}): number[] {
  const applyLeaves = options.applyLeaves ?? false;
  const counts = new Array<number>(depth).fill(0);
  if (depth <= 0) return counts;
  const stack: State[] = [];
  const buffers: Int32Array[] = [];
  for (let d = 0; d <= depth; d++) {
    stack.push(start.clone());
    buffers.push(new Int32Array(start.game.numActions));
  }
  const walk = (d: number): void => {
    const s = stack[d];
    const buf = buffers[d];
    const n = s.legalActions(buf);
    counts[d] += n;
    const last = d + 1 >= depth;
    if (last && !applyLeaves) return;
    const next = stack[d + 1];
    for (let i = 0; i < n; i++) {
      next.copyFrom(s);
      next.apply(buf[i]);
      if (!last) walk(d + 1);
    }
  };
  walk(0);
  return counts;
}
