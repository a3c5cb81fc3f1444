import { ArborError } from '../../envs/index.js';
import type { Connect4State } from '../../envs/connect4/index.js';
import { BitLayout, moreThanOneBit, popcount32, shlHi, shrLo } from './bitboard.js';
import type { OpeningBook } from './book.js';

/**
 * Exact Connect Four solver on bitboards, after Pascal Pons, "Solving Connect 4: how to build a
 * perfect AI" (blog.gamesolver.org, 2017) and John Tromp's Fhourstones: negamax with alpha-beta,
 * a transposition table, centre-first move ordering refined by the number of winning threats a
 * move creates, null-window searches that bisect the score range, early detection of forced
 * losses (two threats of the opponent, or only moves that play under one) and an optional
 * opening book.
 *
 * Scores (Pons' convention, for the player to move): a win scores K minus the number of stones
 * the winner has played when the game ends, with K = ceil(cells / 2) + 1 (22 on 6x7); a draw 0;
 * a loss the negative of the opponent's win. So the sign is the outcome and a larger magnitude a
 * faster win.
 */
export interface Connect4SolverOptions {
  /** log2 of the transposition table entries (10 bytes each): 22 = 40 MB. */
  readonly tableBits?: number;
  /** Exact scores of shallow positions, consulted up to the book's depth. */
  readonly book?: OpeningBook | null;
}

const DEFAULT_TABLE_BITS = 22;

/** Thrown when a search passes its node limit. */
export class SearchAborted extends Error {
  constructor(limit: number) {
    super(`search passed its limit of ${limit} nodes`);
    this.name = 'SearchAborted';
  }
}

export class Connect4Solver {
  readonly layout: BitLayout;
  readonly rows: number;
  readonly cols: number;
  readonly cells: number;
  /** ceil(cells / 2) + 1: the score of a win with one stone. */
  readonly scoreBase: number;
  /** Nodes searched since construction (for benchmarks). */
  nodes = 0;
  /** A search that passes this node count throws SearchAborted (bounds stored so far stay valid). */
  nodeLimit = Number.POSITIVE_INFINITY;
  private book: OpeningBook | null;
  /** Columns centre first: centre columns take part in more lines (Pons, part 4). */
  private readonly order: Int32Array;
  // Transposition table: exact keys (position + mask, unique thanks to the sentinel row), and a
  // lower and an upper bound of the score, so both fail-high and fail-low results are reused.
  private readonly tableShift: number;
  private readonly keyLo: Int32Array;
  private readonly keyHi: Int32Array;
  private readonly lower: Int8Array;
  private readonly upper: Int8Array;
  // Per-ply move lists (no allocation in the search).
  private readonly moveLo: Int32Array;
  private readonly moveHi: Int32Array;
  private readonly moveScore: Int32Array;
  // Output registers of `winning` (a 64-bit result without allocating a pair).
  private wLo = 0;
  private wHi = 0;

  constructor(rows: number, cols: number, options: Connect4SolverOptions = {}) {
    if (!BitLayout.fits(rows, cols)) {
      throw new ArborError(`connect4 solver: a ${rows}x${cols} board needs ${(rows + 1) * cols} bits; boards up to (rows+1)*cols <= 56 are supported (e.g. 6x7, 7x7, 6x8)`);
    }
    this.layout = new BitLayout(rows, cols);
    this.rows = rows;
    this.cols = cols;
    this.cells = rows * cols;
    this.scoreBase = ((this.cells + 1) >> 1) + 1;
    this.book = options.book ?? null;
    if (this.book && (this.book.rows !== rows || this.book.cols !== cols)) {
      throw new ArborError(`connect4 solver: the opening book is for ${this.book.rows}x${this.book.cols}, not ${rows}x${cols}`);
    }
    this.order = new Int32Array(cols);
    for (let i = 0; i < cols; i++) this.order[i] = (cols >> 1) + (1 - 2 * (i % 2)) * ((i + 1) >> 1);
    const bits = options.tableBits ?? DEFAULT_TABLE_BITS;
    this.tableShift = 32 - bits;
    this.keyLo = new Int32Array(1 << bits);
    this.keyHi = new Int32Array(1 << bits);
    this.lower = new Int8Array(1 << bits);
    this.upper = new Int8Array(1 << bits);
    this.moveLo = new Int32Array((this.cells + 1) * cols);
    this.moveHi = new Int32Array((this.cells + 1) * cols);
    this.moveScore = new Int32Array((this.cells + 1) * cols);
  }

  setBook(book: OpeningBook | null): void {
    this.book = book;
  }

  /** Forgets every stored bound (they stay true across positions, so this is only for timing). */
  clearTable(): void {
    this.keyHi.fill(0);
  }

  /**
   * Cells (empty) where the side with stones `p` would complete four, given all stones `m`;
   * result in (wLo, wHi). Pons' `compute_winning_position`: for each direction d (vertical 1,
   * horizontal rows+1, the diagonals rows and rows+2) an empty cell wins when three stones lie
   * on one side of it or two plus one around it.
   */
  private winning(pLo: number, pHi: number, mLo: number, mHi: number): void {
    const L = this.layout;
    let rLo = (pLo << 1) & (pLo << 2) & (pLo << 3);
    let rHi = shlHi(pLo, pHi, 1) & shlHi(pLo, pHi, 2) & shlHi(pLo, pHi, 3);
    for (let d = this.rows; d <= this.rows + 2; d++) {
      const d2 = d + d;
      const d3 = d2 + d;
      const l1Lo = pLo << d, l1Hi = shlHi(pLo, pHi, d);
      const l2Lo = pLo << d2, l2Hi = shlHi(pLo, pHi, d2);
      const l3Lo = pLo << d3, l3Hi = shlHi(pLo, pHi, d3);
      const r1Lo = shrLo(pLo, pHi, d), r1Hi = pHi >>> d;
      const r2Lo = shrLo(pLo, pHi, d2), r2Hi = pHi >>> d2;
      const r3Lo = shrLo(pLo, pHi, d3), r3Hi = pHi >>> d3;
      rLo |= l1Lo & l2Lo & (l3Lo | r1Lo);
      rHi |= l1Hi & l2Hi & (l3Hi | r1Hi);
      rLo |= r1Lo & r2Lo & (l1Lo | r3Lo);
      rHi |= r1Hi & r2Hi & (l1Hi | r3Hi);
    }
    this.wLo = rLo & (L.boardLo ^ mLo);
    this.wHi = rHi & (L.boardHi ^ mHi);
  }

  /** Whether the side to move (stones c, all stones m) can win with its next stone. */
  private canWinNext(cLo: number, cHi: number, mLo: number, mHi: number): boolean {
    const L = this.layout;
    const sum = (mLo >>> 0) + (L.bottomLo >>> 0);
    const pLo = sum & L.boardLo;
    const pHi = (mHi + L.bottomHi + (sum > 0xffffffff ? 1 : 0)) & L.boardHi;
    this.winning(cLo, cHi, mLo, mHi);
    return ((this.wLo & pLo) | (this.wHi & pHi)) !== 0;
  }

  /**
   * Negamax with alpha-beta on a position where the side to move cannot win at once (checked by
   * the caller). Returns the exact score if it lies in (alpha, beta), else a bound on the side
   * that failed (fail-hard, as in Pons' solver).
   */
  private negamax(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number, beta: number): number {
    if (++this.nodes > this.nodeLimit) throw new SearchAborted(this.nodeLimit);
    const L = this.layout;
    // Playable cells: adding the bottom row carries each column's stones up to its first hole.
    const sum = (mLo >>> 0) + (L.bottomLo >>> 0);
    let possLo = sum & L.boardLo;
    let possHi = (mHi + L.bottomHi + (sum > 0xffffffff ? 1 : 0)) & L.boardHi;
    // Early detection of forced losses: the opponent's winning cells.
    this.winning(cLo ^ mLo, cHi ^ mHi, mLo, mHi);
    const oLo = this.wLo;
    const oHi = this.wHi;
    const forcedLo = possLo & oLo;
    const forcedHi = possHi & oHi;
    const K1 = this.scoreBase - 1;
    if ((forcedLo | forcedHi) !== 0) {
      // Two cells to block at once: the opponent wins with his next stone.
      if (moreThanOneBit(forcedLo, forcedHi)) return -(K1 - ((moves + 1) >> 1));
      possLo = forcedLo;
      possHi = forcedHi;
    }
    // Never play directly under a cell where the opponent would win.
    const nextLo = possLo & ~shrLo(oLo, oHi, 1);
    const nextHi = possHi & ~(oHi >>> 1);
    if ((nextLo | nextHi) === 0) return -(K1 - ((moves + 1) >> 1));
    if (moves >= this.cells - 2) return 0;

    // Neither side can win at its next stone, so the score lies within these bounds.
    const min = -(K1 - 1 - ((moves + 1) >> 1));
    if (alpha < min) {
      alpha = min;
      if (alpha >= beta) return alpha;
    }
    const max = K1 - 1 - (moves >> 1);
    if (beta > max) {
      beta = max;
      if (alpha >= beta) return beta;
    }

    // Transposition table (the key is position + mask, unique per position).
    const kSum = (cLo >>> 0) + (mLo >>> 0);
    const kLo = kSum | 0;
    const kHi = (cHi + mHi + (kSum > 0xffffffff ? 1 : 0)) | 0x80000000;
    const slot = Math.imul(kLo ^ Math.imul(kHi, 0x85ebca6b), 0x9e3779b1) >>> this.tableShift;
    const hit = this.keyLo[slot] === kLo && this.keyHi[slot] === kHi;
    if (hit) {
      const lo = this.lower[slot];
      if (alpha < lo) {
        alpha = lo;
        if (alpha >= beta) return alpha;
      }
      const up = this.upper[slot];
      if (beta > up) {
        beta = up;
        if (alpha >= beta) return beta;
      }
    }
    if (this.book !== null && moves <= this.book.depth) {
      const v = this.book.lookup(this.layout, kLo, kHi & 0x7fffffff);
      if (v !== undefined) return v;
    }

    // Move ordering: centre first, then by the number of winning cells the move creates
    // (stable insertion sort; the list is read from its end).
    const base = moves * this.cols;
    let n = 0;
    for (let i = this.cols - 1; i >= 0; i--) {
      const c = this.order[i];
      const bLo = nextLo & L.colLo[c];
      const bHi = nextHi & L.colHi[c];
      if ((bLo | bHi) === 0) continue;
      this.winning(cLo | bLo, cHi | bHi, mLo, mHi);
      const score = popcount32(this.wLo) + popcount32(this.wHi);
      let pos = n++;
      while (pos > 0 && this.moveScore[base + pos - 1] > score) {
        this.moveScore[base + pos] = this.moveScore[base + pos - 1];
        this.moveLo[base + pos] = this.moveLo[base + pos - 1];
        this.moveHi[base + pos] = this.moveHi[base + pos - 1];
        pos--;
      }
      this.moveScore[base + pos] = score;
      this.moveLo[base + pos] = bLo;
      this.moveHi[base + pos] = bHi;
    }

    const childCLo = cLo ^ mLo;
    const childCHi = cHi ^ mHi;
    for (let i = n - 1; i >= 0; i--) {
      const score = -this.negamax(childCLo, childCHi, mLo | this.moveLo[base + i], mHi | this.moveHi[base + i], moves + 1, -beta, -alpha);
      if (score >= beta) {
        this.store(slot, kLo, kHi, hit, score, 127);
        return score;
      }
      if (score > alpha) alpha = score;
    }
    this.store(slot, kLo, kHi, hit, -128, alpha);
    return alpha;
  }

  /** Records a lower and/or upper bound, keeping the other bound of the same position. */
  private store(slot: number, kLo: number, kHi: number, hit: boolean, lo: number, up: number): void {
    const same = hit || (this.keyLo[slot] === kLo && this.keyHi[slot] === kHi);
    if (!same) {
      this.keyLo[slot] = kLo;
      this.keyHi[slot] = kHi;
      this.lower[slot] = lo;
      this.upper[slot] = up;
      return;
    }
    if (lo > this.lower[slot]) this.lower[slot] = lo;
    if (up < this.upper[slot]) this.upper[slot] = up;
  }

  /**
   * The exact score of a position given as bitboards (side to move `c`, all stones `m`), where
   * nobody has won yet. Null-window searches bisect the score range, probing near 0 first
   * because most positions' scores are small (Pons, part 10: iterative deepening on the score).
   */
  solveBits(cLo: number, cHi: number, mLo: number, mHi: number, moves: number): number {
    const K1 = this.scoreBase - 1;
    if (this.canWinNext(cLo, cHi, mLo, mHi)) return K1 - (moves >> 1);
    if (moves >= this.cells) return 0;
    let min = -(K1 - ((moves + 1) >> 1));
    let max = K1 - 1 - (moves >> 1);
    while (min < max) {
      let med = min + Math.trunc((max - min) / 2);
      if (med <= 0 && Math.trunc(min / 2) < med) med = Math.trunc(min / 2);
      else if (med >= 0 && Math.trunc(max / 2) > med) med = Math.trunc(max / 2);
      const r = this.negamax(cLo, cHi, mLo, mHi, moves, med, med + 1);
      if (r <= med) max = r;
      else min = r;
    }
    return min | 0; // never -0
  }

  /** The score of a position (the side to move's view). Throws ArborError if the game is over. */
  solve(state: Connect4State): number {
    const b = this.bitsOf(state);
    return this.solveBits(b.cLo, b.cHi, b.mLo, b.mHi, b.moves);
  }

  /**
   * The score of every column for the side to move: `scores[c]` is the score of playing c
   * (from the mover's view), NaN where c is full.
   */
  analyze(state: Connect4State): number[] {
    const b = this.bitsOf(state);
    return this.analyzeBits(b.cLo, b.cHi, b.mLo, b.mHi, b.moves);
  }

  analyzeBits(cLo: number, cHi: number, mLo: number, mHi: number, moves: number): number[] {
    const L = this.layout;
    const scores = new Array<number>(this.cols).fill(Number.NaN);
    const sum = (mLo >>> 0) + (L.bottomLo >>> 0);
    const pLo = sum & L.boardLo;
    const pHi = (mHi + L.bottomHi + (sum > 0xffffffff ? 1 : 0)) & L.boardHi;
    this.winning(cLo, cHi, mLo, mHi);
    const winLo = this.wLo;
    const winHi = this.wHi;
    for (let c = 0; c < this.cols; c++) {
      const bLo = pLo & L.colLo[c];
      const bHi = pHi & L.colHi[c];
      if ((bLo | bHi) === 0) continue;
      if (((bLo & winLo) | (bHi & winHi)) !== 0) scores[c] = this.scoreBase - 1 - (moves >> 1);
      else scores[c] = 0 - this.solveBits(cLo ^ mLo, cHi ^ mHi, mLo | bLo, mHi | bHi, moves + 1);
    }
    return scores;
  }

  /** Bitboards of a Connect4State (the side to move's stones and all stones). */
  bitsOf(state: Connect4State): { cLo: number; cHi: number; mLo: number; mHi: number; moves: number } {
    const g = state.game;
    if (g.rows !== this.rows || g.cols !== this.cols) {
      throw new ArborError(`connect4 solver: built for ${this.rows}x${this.cols}, given a ${g.rows}x${g.cols} position`);
    }
    if (state.isTerminal()) throw new ArborError(`connect4: the position ${state.toMoveString() || '(empty)'} is already over; only positions before the end can be solved`);
    const moves = state.moveNumber();
    const own = (moves & 1) + 1;
    let cLo = 0, cHi = 0, mLo = 0, mHi = 0;
    for (let c = 0; c < this.cols; c++) {
      const h = state.height(c);
      for (let r = 0; r < h; r++) {
        const bit = c * this.layout.stride + r;
        const lo = bit < 32 ? 1 << bit : 0;
        const hi = bit < 32 ? 0 : 1 << (bit - 32);
        mLo |= lo;
        mHi |= hi;
        if (state.cellAt(this.rows - 1 - r, c) === own) {
          cLo |= lo;
          cHi |= hi;
        }
      }
    }
    return { cLo, cHi, mLo, mHi, moves };
  }
}
