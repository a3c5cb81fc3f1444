import { ArborError, type Game, type State } from '../core/index.js';

/**
 * Exact solver for small games through the Game interface only: negamax with alpha-beta
 * (Knuth & Moore 1975), a transposition table keyed by `state.hash()` holding a lower and an
 * upper bound plus the best move found, and move ordering that tries the stored best move first
 * (the "hash move" of chess programs) and moves that win at once before the rest.
 *
 * Scores are for the player to move and prefer fast wins: a win that ends the game after `m`
 * moves in all scores `maxGameLength + 1 - m`, a loss the negative, a draw 0. The sign is the
 * outcome for any two-player game whose returns are +1/0/-1; a game where the same player moves
 * twice in a row (passes) is handled by not negating across such a move.
 */
export interface GenericSolverOptions {
  /** log2 of the transposition table entries (16 bytes each): 20 = 16 MB. */
  readonly tableBits?: number;
}

/** Thrown inside the search when the node limit is reached; it unwinds without storing partial bounds. */
const OUT_OF_NODES = new Error('generic solver: node limit reached');

export class GenericSolver {
  readonly game: Game;
  nodes = 0;
  /** `nodes` at which a bounded solve gives up (Infinity while unbounded). */
  private nodeLimit = Number.POSITIVE_INFINITY;
  private readonly horizon: number;
  private readonly mask: number;
  private readonly keys: Float64Array;
  private readonly lower: Int16Array;
  private readonly upper: Int16Array;
  private readonly best: Int16Array;
  private readonly stack: State[];
  private readonly actions: Int32Array[];

  constructor(game: Game, options: GenericSolverOptions = {}) {
    if (game.numPlayers !== 2) throw new ArborError(`generic solver: ${game.spec} has ${game.numPlayers} players; only two-player games can be solved`);
    this.game = game;
    this.horizon = game.maxGameLength + 1;
    const bits = options.tableBits ?? 20;
    this.mask = (1 << bits) - 1;
    this.keys = new Float64Array(1 << bits).fill(-1);
    this.lower = new Int16Array(1 << bits);
    this.upper = new Int16Array(1 << bits);
    this.best = new Int16Array(1 << bits);
    this.stack = Array.from({ length: game.maxGameLength + 2 }, () => game.newInitialState());
    this.actions = Array.from({ length: game.maxGameLength + 2 }, () => new Int32Array(game.numActions));
  }

  /** The exact score of `state` for the player to move; throws ArborError if the game is over. */
  solve(state: State): number {
    this.checkOpen(state);
    this.stack[0].copyFrom(state);
    return this.negamax(0, -this.horizon, this.horizon);
  }

  /**
   * `solve` spending at most `maxNodes` nodes: the exact score, or null when the limit was reached
   * first. Bounds stored by the subtrees finished before that stay in the table (they are exact),
   * so asking again with a larger budget resumes rather than restarts.
   */
  solveBounded(state: State, maxNodes: number): number | null {
    this.checkOpen(state);
    this.stack[0].copyFrom(state);
    this.nodeLimit = this.nodes + maxNodes;
    try {
      return this.negamax(0, -this.horizon, this.horizon);
    } catch (e) {
      if (e === OUT_OF_NODES) return null;
      throw e;
    } finally {
      this.nodeLimit = Number.POSITIVE_INFINITY;
    }
  }

  /** `scores[a]`: the exact score of playing action a, for the player to move (NaN if illegal). */
  analyze(state: State): number[] {
    this.checkOpen(state);
    const scores = new Array<number>(this.game.numActions).fill(Number.NaN);
    const mover = state.currentPlayer();
    const legal = new Int32Array(this.game.numActions);
    const n = state.legalActions(legal);
    for (let i = 0; i < n; i++) {
      const child = this.stack[1];
      child.copyFrom(state);
      child.apply(legal[i]);
      if (child.isTerminal()) {
        scores[legal[i]] = this.terminalScore(child, mover);
        continue;
      }
      const sameMover = child.currentPlayer() === mover;
      this.stack[0].copyFrom(child); // the search below overwrites stack[1]
      const v = this.negamax(0, -this.horizon, this.horizon);
      scores[legal[i]] = sameMover ? v : 0 - v;
    }
    return scores;
  }

  private checkOpen(state: State): void {
    if (state.game.spec !== this.game.spec) throw new ArborError(`generic solver: built for ${this.game.spec}, given a ${state.game.spec} position`);
    if (state.isTerminal()) throw new ArborError(`${this.game.id}: the position ${state.toMoveString() || '(empty)'} is already over; only positions before the end can be solved`);
  }

  /** Score of a finished game for `player`. */
  private terminalScore(s: State, player: number): number {
    const r = s.returnOf(player);
    if (r === 0) return 0;
    const v = this.horizon - s.moveNumber();
    return r > 0 ? v : -v;
  }

  private negamax(depth: number, alpha: number, beta: number): number {
    if (++this.nodes > this.nodeLimit) throw OUT_OF_NODES;
    const s = this.stack[depth];
    const mover = s.currentPlayer();
    const moves = s.moveNumber();
    // Nobody can win before the next move ends the game, so |score| < horizon - moves.
    const bound = this.horizon - moves - 1;
    if (alpha < -bound) alpha = -bound;
    if (beta > bound) beta = bound;
    if (alpha >= beta) return alpha;

    const hash = s.hash();
    const slot = (hash >>> 0) & this.mask;
    const hit = this.keys[slot] === hash;
    let hashMove = -1;
    if (hit) {
      hashMove = this.best[slot];
      if (this.lower[slot] > alpha) alpha = this.lower[slot];
      if (this.upper[slot] < beta) beta = this.upper[slot];
      if (alpha >= beta) return alpha;
    }
    const alpha0 = alpha;
    const list = this.actions[depth];
    const n = s.legalActions(list);
    const child = this.stack[depth + 1];
    // Ordering: the hash move first, then any move that wins at once (found on the way).
    if (hashMove >= 0) {
      for (let i = 0; i < n; i++) {
        if (list[i] === hashMove) {
          list[i] = list[0];
          list[0] = hashMove;
          break;
        }
      }
    }
    let bestScore = -this.horizon - 1;
    let bestMove = list[0];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        const a = list[i];
        if (a < 0) continue;
        child.copyFrom(s);
        child.apply(a);
        let v: number;
        if (child.isTerminal()) {
          v = this.terminalScore(child, mover);
        } else if (pass === 0 && (i !== 0 || hashMove < 0)) {
          continue; // non-terminal moves wait for the second pass (only the hash move goes before the wins)
        } else {
          v = child.currentPlayer() === mover ? this.negamax(depth + 1, alpha, beta) : 0 - this.negamax(depth + 1, -beta, -alpha);
        }
        list[i] = -1 - a; // searched
        if (v > bestScore) {
          bestScore = v;
          bestMove = a;
        }
        if (v > alpha) alpha = v;
        if (alpha >= beta) break;
      }
      if (alpha >= beta) break;
    }
    // Fail-soft bounds: <= alpha0 is an upper bound, >= beta a lower bound, else exact.
    const lo = bestScore >= beta ? bestScore : bestScore > alpha0 ? bestScore : -this.horizon;
    const up = bestScore <= alpha0 ? bestScore : bestScore < beta ? bestScore : this.horizon;
    if (!hit) {
      this.keys[slot] = hash;
      this.lower[slot] = lo;
      this.upper[slot] = up;
    } else {
      if (lo > this.lower[slot]) this.lower[slot] = lo;
      if (up < this.upper[slot]) this.upper[slot] = up;
    }
    this.best[slot] = bestMove;
    return bestScore;
  }
}
