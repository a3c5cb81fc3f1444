import type { Connect4Game, Connect4State } from '../../envs/connect4/index.js';
import { canonicalBookKey, OpeningBook } from './book.js';
import type { Connect4Solver } from './solver.js';

/**
 * Turns what a long solve learned about the first plies into an opening book: after the solver
 * has proven a position (e.g. `analyzeWeak` of the empty board), its transposition table holds
 * bounds on the positions the proof visited. Walking the game tree from `root` down to `depth`
 * stones and probing the table for each position (and its mirror image, which the table holds
 * under its own key) gives those bounds back; they become book entries (Pons, "Solving Connect
 * 4", part 12, keeps exact scores; bounds are what a win/draw/loss proof yields, and the solver
 * applies them the same way). With the book, the same proof replays in a few nodes.
 *
 * The solver should have run with `reserveTable()` and `keepEarlierSolves` set, so that the
 * table kept the shallow positions of every search of the proof.
 */
/** The position + mask key of a state as int32 halves (the key of the solver's table and the book). */
export function positionKey(solver: Connect4Solver, s: Connect4State): { kLo: number; kHi: number } {
  const b = solver.bitsOf(s);
  const kLo = (b.cLo + b.mLo) | 0;
  return { kLo, kHi: (b.cHi + b.mHi + ((kLo >>> 0) < (b.cLo >>> 0) ? 1 : 0)) | 0 };
}

/** The canonical book key of a state: the smaller of its key and its mirror image's. */
export function canonicalKeyOf(solver: Connect4Solver, s: Connect4State): number {
  const k = positionKey(solver, s);
  return canonicalBookKey(solver.rows + 1, solver.cols, k.kLo, k.kHi);
}

export function bookFromTable(game: Connect4Game, solver: Connect4Solver, root: Connect4State, depth: number): OpeningBook {
  const entries = new Map<number, [number, number]>();
  const seen = new Set<number>();
  const walk = (s: Connect4State): void => {
    if (s.isTerminal()) return;
    const k = canonicalKeyOf(solver, s);
    if (seen.has(k)) return;
    seen.add(k);
    const b = solver.bitsOf(s);
    const v = solver.probeBounds(b.cLo, b.cHi, b.mLo, b.mHi);
    if (v >= 0) {
      const lo = (v << 24) >> 24;
      const hi = (v << 16) >> 24;
      // Both mirror images may hold bounds: both are true, so keep the tighter of each.
      const had = entries.get(k);
      entries.set(k, had ? [Math.max(had[0], lo), Math.min(had[1], hi)] : [lo, hi]);
    }
    if (s.moveNumber() >= depth) return;
    for (let c = 0; c < game.cols; c++) {
      if (!s.isLegal(c)) continue;
      const child = s.clone() as Connect4State;
      child.apply(c);
      walk(child);
    }
  };
  walk(root);
  seen.clear();
  const mirrored = [...root.toMoveString()].map((ch) => String(game.cols + 1 - Number(ch))).join('');
  walk(game.parseState(mirrored) as Connect4State);
  return OpeningBook.fromMap(game.rows, game.cols, depth, entries);
}
