import { ArborError } from '../../core/index.js';
import type { Connect4State } from '../../envs/connect4/index.js';
import { BitLayout } from './bitboard.js';
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
 *
 * Speed: a 64-bit board is a pair of int32 halves (lo = bits 0..31, hi = bits 32..), and the
 * whole node (playable cells, threat masks, move ordering, table probe) is written out inline in
 * `negamax` with int32 locals only, so V8 keeps it in registers: no allocation, no calls, no
 * polymorphism inside the recursion. The threat mask (`winning` in bitboard terms, Pons'
 * `compute_winning_position`) is repeated inline, once for the opponent and once per candidate
 * move; the copies are generated (see the comment at each) rather than factored into a helper
 * because a helper returning two halves would cost a call or a heap store per use.
 */
export interface Connect4SolverOptions {
  /**
   * log2 of the most transposition table entries (8 bytes each), 18..27: 23 = 64 MB. The table
   * starts at 2^18 entries (2 MB, cache-friendly) and grows 4x at a time, keeping its entries,
   * when one solve has searched more than 8 nodes per entry.
   */
  readonly tableBits?: number;
  /** Exact scores of shallow positions, consulted up to the book's depth. */
  readonly book?: OpeningBook | null;
}

const DEFAULT_TABLE_BITS = 23;
const MIN_TABLE_BITS = 18;
/**
 * Positions with at most this many stones get the whole table at once: their searches run for
 * minutes, and a table that only grows between searches would stay small through the first.
 */
const EARLY_STONES = 4;

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
  /** Solves so far mod 64: table entries of earlier solves are the first to go. */
  private generation = 0;
  /** Nodes searched since construction (for benchmarks). */
  nodes = 0;
  /**
   * When set, every solve counts as the same one for the table's replacement scheme, so bounds
   * on shallow positions from earlier solves are kept as if they were this solve's (for
   * scripts/make-book.ts, which keeps what a series of solves learned).
   */
  keepEarlierSolves = false;
  /** A search that passes this node count throws SearchAborted (bounds stored so far stay valid). */
  nodeLimit = Number.POSITIVE_INFINITY;
  private book: OpeningBook | null;
  /** Positions with at most this many stones are looked up in the book (-1: no book). */
  private bookDepth = -1;
  /** The book's hash table (OpeningBook.slots), its slot mask and hash shift, read inline by the kernels. */
  private bookSlots: Int32Array = new Int32Array(3).fill(-1);
  private bookMask = 0;
  private bookShift = 31;
  /** Columns centre first: centre columns take part in more lines (Pons, part 4). */
  private readonly order: Int32Array;
  // Board masks (int32 halves).
  private readonly boardLo: number;
  private readonly boardHi: number;
  private readonly bottomLo: number;
  private readonly bottomHi: number;
  private readonly colLo: Int32Array;
  private readonly colHi: Int32Array;
  // Shift amounts of the three non-vertical directions (A: down-right diagonal = rows,
  // B: horizontal = rows + 1, C: up-right diagonal = rows + 2), times 1, 2, 3.
  private readonly shifts: Int32Array;
  // Transposition table (Pons, part 6) of 2^tableBits 8-byte entries in one Int32Array, in
  // buckets of two entries (16 bytes, one cache line per probe; see `store` for which entry a
  // new position takes). Entry: [0] = bits tableBits-1..tableBits+29 of the key, [1] = the
  // lower bound (byte 0) and upper bound (byte 1) of the score, 1 + the column of the best or
  // refuting move found (bits 16..19, 0 if none; tried first when the position comes back: the
  // "hash move" of chess programs), the stones played (bits 20..25) and the solve's generation
  // (bits 26..31). The key (position + mask) is
  // unique per position thanks to the sentinel row; the slot is a bijection of the key's low
  // bits mixed with its high bits, so (bucket, stored high bits) give the whole key back and a
  // hit is exact without storing the key in full (the idea of Pons' Chinese-remainder keys, with
  // a power-of-two table). Boards wider than tableBits + 30 key bits keep the rest in `tableTop`.
  private tableBits: number;
  private readonly maxTableBits: number;
  private table: Int32Array;
  private tableTop: Uint8Array | null;
  // Per-ply move lists (no allocation in the search).
  private readonly moveLo: Int32Array;
  private readonly moveHi: Int32Array;
  private readonly moveScore: Int32Array;
  private readonly moveCol: Int32Array;
  /** Per move: the mover's winning cells after it (handed to the child as its opponent's). */
  private readonly moveWLo: Int32Array;
  private readonly moveWHi: Int32Array;

  constructor(rows: number, cols: number, options: Connect4SolverOptions = {}) {
    if (!BitLayout.fits(rows, cols)) {
      throw new ArborError(`connect4 solver: a ${rows}x${cols} board does not fit the bitboard; boards need (rows+1)*cols <= 56 and rows <= 8 (e.g. 6x7, 7x7, 6x8)`);
    }
    const L = new BitLayout(rows, cols);
    this.layout = L;
    this.rows = rows;
    this.cols = cols;
    this.cells = rows * cols;
    this.scoreBase = ((this.cells + 1) >> 1) + 1;
    this.boardLo = L.boardLo;
    this.boardHi = L.boardHi;
    this.bottomLo = L.bottomLo;
    this.bottomHi = L.bottomHi;
    this.colLo = L.colLo;
    this.colHi = L.colHi;
    this.shifts = new Int32Array(9);
    for (let d = 0; d < 3; d++) for (let k = 1; k <= 3; k++) this.shifts[d * 3 + k - 1] = k * (rows + d);
    this.book = null;
    this.setBook(options.book ?? null);
    this.order = new Int32Array(cols);
    for (let i = 0; i < cols; i++) this.order[i] = (cols >> 1) + (1 - 2 * (i % 2)) * ((i + 1) >> 1);
    const bits = options.tableBits ?? DEFAULT_TABLE_BITS;
    if (!Number.isInteger(bits) || bits < 18 || bits > 27) throw new ArborError(`connect4 solver: tableBits must be an integer 18..27, not ${bits}`);
    this.maxTableBits = bits;
    this.tableBits = Math.min(bits, MIN_TABLE_BITS);
    this.table = new Int32Array(2 << this.tableBits);
    this.tableTop = this.needsTop(this.tableBits) ? new Uint8Array(1 << this.tableBits) : null;
    this.clearTable();
    this.moveLo = new Int32Array((this.cells + 1) * cols);
    this.moveHi = new Int32Array((this.cells + 1) * cols);
    this.moveScore = new Int32Array((this.cells + 1) * cols);
    this.moveCol = new Int32Array((this.cells + 1) * cols);
    this.moveWLo = new Int32Array((this.cells + 1) * cols);
    this.moveWHi = new Int32Array((this.cells + 1) * cols);
  }

  setBook(book: OpeningBook | null): void {
    if (book && (book.rows !== this.rows || book.cols !== this.cols)) {
      throw new ArborError(`connect4 solver: the opening book is for ${book.rows}x${book.cols}, not ${this.rows}x${this.cols}`);
    }
    this.book = book;
    this.bookDepth = book ? book.depth : -1;
    this.bookSlots = book ? book.slots : new Int32Array(3).fill(-1);
    this.bookMask = book ? (1 << book.slotBits) - 1 : 0;
    this.bookShift = book ? 32 - book.slotBits : 31;
  }

  /** Entries the transposition table has now (it grows up to 2^tableBits). */
  tableEntries(): number {
    return 1 << this.tableBits;
  }

  /** Positions in the opening book (0 without one). */
  bookSize(): number {
    return this.book ? this.book.size : 0;
  }

  /**
   * Grows the transposition table to its largest size now. The table otherwise starts small and
   * grows between searches, which leaves one very long search (an early position) with the
   * small table for all of its length.
   */
  reserveTable(): void {
    if (this.tableBits < this.maxTableBits) this.growTable(this.maxTableBits);
  }

  /** Forgets every stored bound (they stay true across positions, so this is only for timing). */
  clearTable(): void {
    for (let i = 0; i < this.table.length; i += 2) this.table[i] = -1; // stored key bits are 31 bits, never -1
  }

  // BEGIN GENERATED KERNELS (scripts/gen-connect4-kernel.ts; edit there)

  /**
   * Negamax with alpha-beta on a position where the side to move cannot win at once (checked by
   * the caller). Returns the exact score if it lies in (alpha, beta), else a bound
   * on the side that failed (fail-hard, as in Pons' solver). Side to move: stones (cLo, cHi);
   * all stones (mLo, mHi); `moves` stones played; (tLo, tHi): the opponent's winning cells
   * if the caller has them (it computed them to order its moves: they are the threats of its
   * own stones after the move), else tHi = -1.
   */
  private negamax(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number, beta: number, tLo: number, tHi: number): number {
    if (++this.nodes > this.nodeLimit) throw new SearchAborted(this.nodeLimit);
    const sh = this.shifts;
    const sA1 = sh[0], sA2 = sh[1], sA3 = sh[2], sB1 = sh[3], sB2 = sh[4], sB3 = sh[5], sC1 = sh[6], sC2 = sh[7], sC3 = sh[8];
    const nA1 = 32 - sA1, nA2 = 32 - sA2, nA3 = 32 - sA3, nB1 = 32 - sB1, nB2 = 32 - sB2, nB3 = 32 - sB3, nC1 = 32 - sC1, nC2 = 32 - sC2, nC3 = 32 - sC3;
    const boardLo = this.boardLo;
    const boardHi = this.boardHi;
    const emptyLo = boardLo ^ mLo;
    const emptyHi = boardHi ^ mHi;
    // Playable cells (Pons' `possible`): adding the bottom row carries each column's stones up
    // to its first empty cell; the carry between the halves is computed by hand.
    const sumLo = (mLo + this.bottomLo) | 0;
    const playLo = sumLo & boardLo;
    const playHi = (mHi + this.bottomHi + ((sumLo >>> 0) < (mLo >>> 0) ? 1 : 0)) & boardHi;
    let possLo = playLo;
    let possHi = playHi;
    // The opponent's winning cells.
    const oppLo = cLo ^ mLo;
    const oppHi = cHi ^ mHi;
    let oLo = tLo;
    let oHi = tHi;
    if (tHi === -1) {
      let qLo = (oppLo << 1) & (oppLo << 2) & (oppLo << 3);
      let qHi = ((oppHi << 1) | (oppLo >>> 31)) & ((oppHi << 2) | (oppLo >>> 30)) & ((oppHi << 3) | (oppLo >>> 29));
      {
        const l1Lo = oppLo << sA1, l1Hi = (oppHi << sA1) | (oppLo >>> nA1);
        const l2Lo = oppLo << sA2, l2Hi = (oppHi << sA2) | (oppLo >>> nA2);
        const r1Lo = (oppLo >>> sA1) | (oppHi << nA1), r1Hi = oppHi >>> sA1;
        const r2Lo = (oppLo >>> sA2) | (oppHi << nA2), r2Hi = oppHi >>> sA2;
        qLo |= (l1Lo & l2Lo & ((oppLo << sA3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> sA3) | (oppHi << nA3)));
        qHi |= (l1Hi & l2Hi & ((oppHi << sA3) | (oppLo >>> nA3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> sA3)));
      }
      {
        const l1Lo = oppLo << sB1, l1Hi = (oppHi << sB1) | (oppLo >>> nB1);
        const l2Lo = oppLo << sB2, l2Hi = (oppHi << sB2) | (oppLo >>> nB2);
        const r1Lo = (oppLo >>> sB1) | (oppHi << nB1), r1Hi = oppHi >>> sB1;
        const r2Lo = (oppLo >>> sB2) | (oppHi << nB2), r2Hi = oppHi >>> sB2;
        qLo |= (l1Lo & l2Lo & ((oppLo << sB3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> sB3) | (oppHi << nB3)));
        qHi |= (l1Hi & l2Hi & ((oppHi << sB3) | (oppLo >>> nB3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> sB3)));
      }
      {
        const l1Lo = oppLo << sC1, l1Hi = (oppHi << sC1) | (oppLo >>> nC1);
        const l2Lo = oppLo << sC2, l2Hi = (oppHi << sC2) | (oppLo >>> nC2);
        const r1Lo = (oppLo >>> sC1) | (oppHi << nC1), r1Hi = oppHi >>> sC1;
        const r2Lo = (oppLo >>> sC2) | (oppHi << nC2), r2Hi = oppHi >>> sC2;
        qLo |= (l1Lo & l2Lo & ((oppLo << sC3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> sC3) | (oppHi << nC3)));
        qHi |= (l1Hi & l2Hi & ((oppHi << sC3) | (oppLo >>> nC3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> sC3)));
      }
      oLo = qLo & emptyLo;
      oHi = qHi & emptyHi;
    }
    const K1 = this.scoreBase - 1;
    // Early detection of forced losses (Pons, part 9: `possibleNonLosingMoves`).
    const forcedLo = possLo & oLo;
    const forcedHi = possHi & oHi;
    if ((forcedLo | forcedHi) !== 0) {
      // Two cells to block at once: the opponent wins with his next stone.
      if ((forcedLo & (forcedLo - 1)) !== 0 || (forcedHi & (forcedHi - 1)) !== 0 || (forcedLo !== 0 && forcedHi !== 0)) return -(K1 - ((moves + 1) >> 1));
      possLo = forcedLo;
      possHi = forcedHi;
    }
    // Never play directly under a cell where the opponent would win.
    const nextLo = possLo & ~((oLo >>> 1) | (oHi << 31));
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

    // Transposition table probe (see the field comment): key = position + mask; the bucket's two
    // entries (one cache line) are both checked.
    const kLo = (cLo + mLo) | 0;
    const kHi = (cHi + mHi + ((kLo >>> 0) < (cLo >>> 0) ? 1 : 0)) | 0;
    const tb1 = this.tableBits - 1;
    const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
    const topKey = kHi >>> (tb1 - 1);
    const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
    const table = this.table;
    const top = this.tableTop;
    let e = -1;
    if (table[b4] === up && (top === null || top[b4 >> 1] === topKey)) e = b4;
    else if (table[b4 + 2] === up && (top === null || top[(b4 >> 1) + 1] === topKey)) e = b4 + 2;
    let hashCol = -1;
    if (e >= 0) {
      const v = table[e + 1];
      hashCol = ((v >>> 16) & 15) - 1;
      const lower = (v << 24) >> 24;
      const upper = (v << 16) >> 24;
      if (alpha < lower) {
        alpha = lower;
        if (alpha >= beta) return alpha;
      }
      if (beta > upper) {
        beta = upper;
        if (alpha >= beta) return beta;
      }
    }

    const alpha0 = alpha;
    let bestCol = -1;
    const colLo = this.colLo;
    const colHi = this.colHi;
    // The stored best move first, before paying for the ordering of the others: when it
    // refutes again (the usual case in the repeated null-window searches), that is all.
    let skipLo = 0;
    let skipHi = 0;
    if (hashCol >= 0 && ((nextLo & colLo[hashCol]) | (nextHi & colHi[hashCol])) !== 0) {
      skipLo = nextLo & colLo[hashCol];
      skipHi = nextHi & colHi[hashCol];
      const score = -this.negamax(oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1);
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, hashCol);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = hashCol;
      }
    }

    // Move ordering: centre first, then by the number of winning cells the move creates
    // (Pons, part 10; stable insertion sort, the list is read from its end).
    const cols = this.cols;
    const base = moves * cols;
    const order = this.order;
    const moveLo = this.moveLo;
    const moveHi = this.moveHi;
    const moveScore = this.moveScore;
    const moveCol = this.moveCol;
    const moveWLo = this.moveWLo;
    const moveWHi = this.moveWHi;
    const restLo = nextLo ^ skipLo;
    const restHi = nextHi ^ skipHi;
    let n = 0;
    if (((restLo & (restLo - 1)) | (restHi & (restHi - 1))) === 0 && (restLo === 0 || restHi === 0)) {
      // At most one move left: nothing to order.
      if ((restLo | restHi) !== 0) {
        moveLo[base] = restLo;
        moveHi[base] = restHi;
        moveCol[base] = -1;
        moveWLo[base] = 0;
        moveWHi[base] = -1;
        n = 1;
      }
    } else {
      for (let i = cols - 1; i >= 0; i--) {
        const c = order[i];
        const bLo = restLo & colLo[c];
        const bHi = restHi & colHi[c];
        if ((bLo | bHi) === 0) continue;
        const ownLo = cLo | bLo;
        const ownHi = cHi | bHi;
        // Threat mask of the side to move after the move.
        let wLo = (ownLo << 1) & (ownLo << 2) & (ownLo << 3);
        let wHi = ((ownHi << 1) | (ownLo >>> 31)) & ((ownHi << 2) | (ownLo >>> 30)) & ((ownHi << 3) | (ownLo >>> 29));
        {
          const l1Lo = ownLo << sA1, l1Hi = (ownHi << sA1) | (ownLo >>> nA1);
          const l2Lo = ownLo << sA2, l2Hi = (ownHi << sA2) | (ownLo >>> nA2);
          const r1Lo = (ownLo >>> sA1) | (ownHi << nA1), r1Hi = ownHi >>> sA1;
          const r2Lo = (ownLo >>> sA2) | (ownHi << nA2), r2Hi = ownHi >>> sA2;
          wLo |= (l1Lo & l2Lo & ((ownLo << sA3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sA3) | (ownHi << nA3)));
          wHi |= (l1Hi & l2Hi & ((ownHi << sA3) | (ownLo >>> nA3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sA3)));
        }
        {
          const l1Lo = ownLo << sB1, l1Hi = (ownHi << sB1) | (ownLo >>> nB1);
          const l2Lo = ownLo << sB2, l2Hi = (ownHi << sB2) | (ownLo >>> nB2);
          const r1Lo = (ownLo >>> sB1) | (ownHi << nB1), r1Hi = ownHi >>> sB1;
          const r2Lo = (ownLo >>> sB2) | (ownHi << nB2), r2Hi = ownHi >>> sB2;
          wLo |= (l1Lo & l2Lo & ((ownLo << sB3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sB3) | (ownHi << nB3)));
          wHi |= (l1Hi & l2Hi & ((ownHi << sB3) | (ownLo >>> nB3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sB3)));
        }
        {
          const l1Lo = ownLo << sC1, l1Hi = (ownHi << sC1) | (ownLo >>> nC1);
          const l2Lo = ownLo << sC2, l2Hi = (ownHi << sC2) | (ownLo >>> nC2);
          const r1Lo = (ownLo >>> sC1) | (ownHi << nC1), r1Hi = ownHi >>> sC1;
          const r2Lo = (ownLo >>> sC2) | (ownHi << nC2), r2Hi = ownHi >>> sC2;
          wLo |= (l1Lo & l2Lo & ((ownLo << sC3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sC3) | (ownHi << nC3)));
          wHi |= (l1Hi & l2Hi & ((ownHi << sC3) | (ownLo >>> nC3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sC3)));
        }
        wLo &= emptyLo;
        wHi &= emptyHi;
        // A move that leaves two winning cells the opponent cannot both stop (two playable ones,
        // or a playable one right under another) wins with the mover's stone after next, the
        // best score still possible here (neither side wins at its next stone), so the node is
        // solved. The opponent cannot win first: `next` leaves him no playable winning cell.
        const aLo = wLo & ((playLo & ~bLo) | (bLo << 1));
        const aHi = wHi & ((playHi & ~bHi) | (bHi << 1) | (bLo >>> 31));
        if ((aLo | aHi) !== 0 && (((aLo & (aLo - 1)) | (aHi & (aHi - 1))) !== 0 || (aLo !== 0 && aHi !== 0) || ((aLo & ((wLo >>> 1) | (wHi << 31))) | (aHi & (wHi >>> 1))) !== 0)) {
          this.store(b4, up, topKey, moves, max, max, c);
          return max;
        }
        // popcount of both halves (SWAR, Hacker's Delight 5-1).
        let x = wLo - ((wLo >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        let y = wHi - ((wHi >>> 1) & 0x55555555);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        y = (y + (y >>> 4)) & 0x0f0f0f0f;
        const score = (Math.imul(x, 0x01010101) >>> 24) + (Math.imul(y, 0x01010101) >>> 24);
        let pos = base + n++;
        while (pos > base && moveScore[pos - 1] > score) {
          moveScore[pos] = moveScore[pos - 1];
          moveLo[pos] = moveLo[pos - 1];
          moveHi[pos] = moveHi[pos - 1];
          moveCol[pos] = moveCol[pos - 1];
          moveWLo[pos] = moveWLo[pos - 1];
          moveWHi[pos] = moveWHi[pos - 1];
          pos--;
        }
        moveScore[pos] = score;
        moveLo[pos] = bLo;
        moveHi[pos] = bHi;
        moveCol[pos] = c;
        moveWLo[pos] = wLo;
        moveWHi[pos] = wHi;
      }
    }

    for (let i = base + n - 1; i >= base; i--) {
      const score = -this.negamax(oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]);
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, moveCol[i]);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = moveCol[i];
      }
    }
    // alpha is exact if it rose above alpha0, else an upper bound.
    this.store(b4, up, topKey, moves, alpha > alpha0 ? alpha : -128, alpha, bestCol);
    return alpha;
  }

  /**
   * Negamax with alpha-beta on a position where the side to move cannot win at once (checked by
   * the caller), for 6-row boards. Returns the exact score if it lies in (alpha, beta), else a bound
   * on the side that failed (fail-hard, as in Pons' solver). Side to move: stones (cLo, cHi);
   * all stones (mLo, mHi); `moves` stones played; (tLo, tHi): the opponent's winning cells
   * if the caller has them (it computed them to order its moves: they are the threats of its
   * own stones after the move), else tHi = -1.
   */
  private negamax6(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number, beta: number, tLo: number, tHi: number): number {
    if (++this.nodes > this.nodeLimit) throw new SearchAborted(this.nodeLimit);
    const boardLo = this.boardLo;
    const boardHi = this.boardHi;
    const emptyLo = boardLo ^ mLo;
    const emptyHi = boardHi ^ mHi;
    // Playable cells (Pons' `possible`): adding the bottom row carries each column's stones up
    // to its first empty cell; the carry between the halves is computed by hand.
    const sumLo = (mLo + this.bottomLo) | 0;
    const playLo = sumLo & boardLo;
    const playHi = (mHi + this.bottomHi + ((sumLo >>> 0) < (mLo >>> 0) ? 1 : 0)) & boardHi;
    let possLo = playLo;
    let possHi = playHi;
    // The opponent's winning cells.
    const oppLo = cLo ^ mLo;
    const oppHi = cHi ^ mHi;
    let oLo = tLo;
    let oHi = tHi;
    if (tHi === -1) {
      let qLo = (oppLo << 1) & (oppLo << 2) & (oppLo << 3);
      let qHi = ((oppHi << 1) | (oppLo >>> 31)) & ((oppHi << 2) | (oppLo >>> 30)) & ((oppHi << 3) | (oppLo >>> 29));
      {
        const l1Lo = oppLo << 6, l1Hi = (oppHi << 6) | (oppLo >>> 26);
        const l2Lo = oppLo << 12, l2Hi = (oppHi << 12) | (oppLo >>> 20);
        const r1Lo = (oppLo >>> 6) | (oppHi << 26), r1Hi = oppHi >>> 6;
        const r2Lo = (oppLo >>> 12) | (oppHi << 20), r2Hi = oppHi >>> 12;
        qLo |= (l1Lo & l2Lo & ((oppLo << 18) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> 18) | (oppHi << 14)));
        qHi |= (l1Hi & l2Hi & ((oppHi << 18) | (oppLo >>> 14) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> 18)));
      }
      {
        const l1Lo = oppLo << 7, l1Hi = (oppHi << 7) | (oppLo >>> 25);
        const l2Lo = oppLo << 14, l2Hi = (oppHi << 14) | (oppLo >>> 18);
        const r1Lo = (oppLo >>> 7) | (oppHi << 25), r1Hi = oppHi >>> 7;
        const r2Lo = (oppLo >>> 14) | (oppHi << 18), r2Hi = oppHi >>> 14;
        qLo |= (l1Lo & l2Lo & ((oppLo << 21) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> 21) | (oppHi << 11)));
        qHi |= (l1Hi & l2Hi & ((oppHi << 21) | (oppLo >>> 11) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> 21)));
      }
      {
        const l1Lo = oppLo << 8, l1Hi = (oppHi << 8) | (oppLo >>> 24);
        const l2Lo = oppLo << 16, l2Hi = (oppHi << 16) | (oppLo >>> 16);
        const r1Lo = (oppLo >>> 8) | (oppHi << 24), r1Hi = oppHi >>> 8;
        const r2Lo = (oppLo >>> 16) | (oppHi << 16), r2Hi = oppHi >>> 16;
        qLo |= (l1Lo & l2Lo & ((oppLo << 24) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> 24) | (oppHi << 8)));
        qHi |= (l1Hi & l2Hi & ((oppHi << 24) | (oppLo >>> 8) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> 24)));
      }
      oLo = qLo & emptyLo;
      oHi = qHi & emptyHi;
    }
    const K1 = this.scoreBase - 1;
    // Early detection of forced losses (Pons, part 9: `possibleNonLosingMoves`).
    const forcedLo = possLo & oLo;
    const forcedHi = possHi & oHi;
    if ((forcedLo | forcedHi) !== 0) {
      // Two cells to block at once: the opponent wins with his next stone.
      if ((forcedLo & (forcedLo - 1)) !== 0 || (forcedHi & (forcedHi - 1)) !== 0 || (forcedLo !== 0 && forcedHi !== 0)) return -(K1 - ((moves + 1) >> 1));
      possLo = forcedLo;
      possHi = forcedHi;
    }
    // Never play directly under a cell where the opponent would win.
    const nextLo = possLo & ~((oLo >>> 1) | (oHi << 31));
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

    // Transposition table probe (see the field comment): key = position + mask; the bucket's two
    // entries (one cache line) are both checked.
    const kLo = (cLo + mLo) | 0;
    const kHi = (cHi + mHi + ((kLo >>> 0) < (cLo >>> 0) ? 1 : 0)) | 0;
    const tb1 = this.tableBits - 1;
    const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
    const topKey = kHi >>> (tb1 - 1);
    const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
    const table = this.table;
    const top = this.tableTop;
    let e = -1;
    if (table[b4] === up && (top === null || top[b4 >> 1] === topKey)) e = b4;
    else if (table[b4 + 2] === up && (top === null || top[(b4 >> 1) + 1] === topKey)) e = b4 + 2;
    let hashCol = -1;
    if (e >= 0) {
      const v = table[e + 1];
      hashCol = ((v >>> 16) & 15) - 1;
      const lower = (v << 24) >> 24;
      const upper = (v << 16) >> 24;
      if (alpha < lower) {
        alpha = lower;
        if (alpha >= beta) return alpha;
      }
      if (beta > upper) {
        beta = upper;
        if (alpha >= beta) return beta;
      }
    }

    const alpha0 = alpha;
    let bestCol = -1;
    const colLo = this.colLo;
    const colHi = this.colHi;
    // The stored best move first, before paying for the ordering of the others: when it
    // refutes again (the usual case in the repeated null-window searches), that is all.
    let skipLo = 0;
    let skipHi = 0;
    if (hashCol >= 0 && ((nextLo & colLo[hashCol]) | (nextHi & colHi[hashCol])) !== 0) {
      skipLo = nextLo & colLo[hashCol];
      skipHi = nextHi & colHi[hashCol];
      const score = -this.negamax6(oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1);
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, hashCol);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = hashCol;
      }
    }

    // Move ordering: centre first, then by the number of winning cells the move creates
    // (Pons, part 10; stable insertion sort, the list is read from its end).
    const cols = this.cols;
    const base = moves * cols;
    const order = this.order;
    const moveLo = this.moveLo;
    const moveHi = this.moveHi;
    const moveScore = this.moveScore;
    const moveCol = this.moveCol;
    const moveWLo = this.moveWLo;
    const moveWHi = this.moveWHi;
    const restLo = nextLo ^ skipLo;
    const restHi = nextHi ^ skipHi;
    let n = 0;
    if (((restLo & (restLo - 1)) | (restHi & (restHi - 1))) === 0 && (restLo === 0 || restHi === 0)) {
      // At most one move left: nothing to order.
      if ((restLo | restHi) !== 0) {
        moveLo[base] = restLo;
        moveHi[base] = restHi;
        moveCol[base] = -1;
        moveWLo[base] = 0;
        moveWHi[base] = -1;
        n = 1;
      }
    } else {
      for (let i = cols - 1; i >= 0; i--) {
        const c = order[i];
        const bLo = restLo & colLo[c];
        const bHi = restHi & colHi[c];
        if ((bLo | bHi) === 0) continue;
        const ownLo = cLo | bLo;
        const ownHi = cHi | bHi;
        // Threat mask of the side to move after the move.
        let wLo = (ownLo << 1) & (ownLo << 2) & (ownLo << 3);
        let wHi = ((ownHi << 1) | (ownLo >>> 31)) & ((ownHi << 2) | (ownLo >>> 30)) & ((ownHi << 3) | (ownLo >>> 29));
        {
          const l1Lo = ownLo << 6, l1Hi = (ownHi << 6) | (ownLo >>> 26);
          const l2Lo = ownLo << 12, l2Hi = (ownHi << 12) | (ownLo >>> 20);
          const r1Lo = (ownLo >>> 6) | (ownHi << 26), r1Hi = ownHi >>> 6;
          const r2Lo = (ownLo >>> 12) | (ownHi << 20), r2Hi = ownHi >>> 12;
          wLo |= (l1Lo & l2Lo & ((ownLo << 18) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> 18) | (ownHi << 14)));
          wHi |= (l1Hi & l2Hi & ((ownHi << 18) | (ownLo >>> 14) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> 18)));
        }
        {
          const l1Lo = ownLo << 7, l1Hi = (ownHi << 7) | (ownLo >>> 25);
          const l2Lo = ownLo << 14, l2Hi = (ownHi << 14) | (ownLo >>> 18);
          const r1Lo = (ownLo >>> 7) | (ownHi << 25), r1Hi = ownHi >>> 7;
          const r2Lo = (ownLo >>> 14) | (ownHi << 18), r2Hi = ownHi >>> 14;
          wLo |= (l1Lo & l2Lo & ((ownLo << 21) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> 21) | (ownHi << 11)));
          wHi |= (l1Hi & l2Hi & ((ownHi << 21) | (ownLo >>> 11) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> 21)));
        }
        {
          const l1Lo = ownLo << 8, l1Hi = (ownHi << 8) | (ownLo >>> 24);
          const l2Lo = ownLo << 16, l2Hi = (ownHi << 16) | (ownLo >>> 16);
          const r1Lo = (ownLo >>> 8) | (ownHi << 24), r1Hi = ownHi >>> 8;
          const r2Lo = (ownLo >>> 16) | (ownHi << 16), r2Hi = ownHi >>> 16;
          wLo |= (l1Lo & l2Lo & ((ownLo << 24) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> 24) | (ownHi << 8)));
          wHi |= (l1Hi & l2Hi & ((ownHi << 24) | (ownLo >>> 8) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> 24)));
        }
        wLo &= emptyLo;
        wHi &= emptyHi;
        // A move that leaves two winning cells the opponent cannot both stop (two playable ones,
        // or a playable one right under another) wins with the mover's stone after next, the
        // best score still possible here (neither side wins at its next stone), so the node is
        // solved. The opponent cannot win first: `next` leaves him no playable winning cell.
        const aLo = wLo & ((playLo & ~bLo) | (bLo << 1));
        const aHi = wHi & ((playHi & ~bHi) | (bHi << 1) | (bLo >>> 31));
        if ((aLo | aHi) !== 0 && (((aLo & (aLo - 1)) | (aHi & (aHi - 1))) !== 0 || (aLo !== 0 && aHi !== 0) || ((aLo & ((wLo >>> 1) | (wHi << 31))) | (aHi & (wHi >>> 1))) !== 0)) {
          this.store(b4, up, topKey, moves, max, max, c);
          return max;
        }
        // popcount of both halves (SWAR, Hacker's Delight 5-1).
        let x = wLo - ((wLo >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        let y = wHi - ((wHi >>> 1) & 0x55555555);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        y = (y + (y >>> 4)) & 0x0f0f0f0f;
        const score = (Math.imul(x, 0x01010101) >>> 24) + (Math.imul(y, 0x01010101) >>> 24);
        let pos = base + n++;
        while (pos > base && moveScore[pos - 1] > score) {
          moveScore[pos] = moveScore[pos - 1];
          moveLo[pos] = moveLo[pos - 1];
          moveHi[pos] = moveHi[pos - 1];
          moveCol[pos] = moveCol[pos - 1];
          moveWLo[pos] = moveWLo[pos - 1];
          moveWHi[pos] = moveWHi[pos - 1];
          pos--;
        }
        moveScore[pos] = score;
        moveLo[pos] = bLo;
        moveHi[pos] = bHi;
        moveCol[pos] = c;
        moveWLo[pos] = wLo;
        moveWHi[pos] = wHi;
      }
    }

    for (let i = base + n - 1; i >= base; i--) {
      const score = -this.negamax6(oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]);
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, moveCol[i]);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = moveCol[i];
      }
    }
    // alpha is exact if it rose above alpha0, else an upper bound.
    this.store(b4, up, topKey, moves, alpha > alpha0 ? alpha : -128, alpha, bestCol);
    return alpha;
  }

  /**
   * Negamax with alpha-beta on a position where the side to move cannot win at once (checked by
   * the caller). Returns the exact score if it lies in (alpha, beta), else a bound
   * on the side that failed (fail-hard, as in Pons' solver). Side to move: stones (cLo, cHi);
   * all stones (mLo, mHi); `moves` stones played; (tLo, tHi): the opponent's winning cells
   * if the caller has them (it computed them to order its moves: they are the threats of its
   * own stones after the move), else tHi = -1.
   */
  private negamaxBook(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number, beta: number, tLo: number, tHi: number): number {
    if (++this.nodes > this.nodeLimit) throw new SearchAborted(this.nodeLimit);
    const sh = this.shifts;
    const sA1 = sh[0], sA2 = sh[1], sA3 = sh[2], sB1 = sh[3], sB2 = sh[4], sB3 = sh[5], sC1 = sh[6], sC2 = sh[7], sC3 = sh[8];
    const nA1 = 32 - sA1, nA2 = 32 - sA2, nA3 = 32 - sA3, nB1 = 32 - sB1, nB2 = 32 - sB2, nB3 = 32 - sB3, nC1 = 32 - sC1, nC2 = 32 - sC2, nC3 = 32 - sC3;
    const boardLo = this.boardLo;
    const boardHi = this.boardHi;
    const emptyLo = boardLo ^ mLo;
    const emptyHi = boardHi ^ mHi;
    // Playable cells (Pons' `possible`): adding the bottom row carries each column's stones up
    // to its first empty cell; the carry between the halves is computed by hand.
    const sumLo = (mLo + this.bottomLo) | 0;
    const playLo = sumLo & boardLo;
    const playHi = (mHi + this.bottomHi + ((sumLo >>> 0) < (mLo >>> 0) ? 1 : 0)) & boardHi;
    let possLo = playLo;
    let possHi = playHi;
    // The opponent's winning cells.
    const oppLo = cLo ^ mLo;
    const oppHi = cHi ^ mHi;
    let oLo = tLo;
    let oHi = tHi;
    if (tHi === -1) {
      let qLo = (oppLo << 1) & (oppLo << 2) & (oppLo << 3);
      let qHi = ((oppHi << 1) | (oppLo >>> 31)) & ((oppHi << 2) | (oppLo >>> 30)) & ((oppHi << 3) | (oppLo >>> 29));
      {
        const l1Lo = oppLo << sA1, l1Hi = (oppHi << sA1) | (oppLo >>> nA1);
        const l2Lo = oppLo << sA2, l2Hi = (oppHi << sA2) | (oppLo >>> nA2);
        const r1Lo = (oppLo >>> sA1) | (oppHi << nA1), r1Hi = oppHi >>> sA1;
        const r2Lo = (oppLo >>> sA2) | (oppHi << nA2), r2Hi = oppHi >>> sA2;
        qLo |= (l1Lo & l2Lo & ((oppLo << sA3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> sA3) | (oppHi << nA3)));
        qHi |= (l1Hi & l2Hi & ((oppHi << sA3) | (oppLo >>> nA3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> sA3)));
      }
      {
        const l1Lo = oppLo << sB1, l1Hi = (oppHi << sB1) | (oppLo >>> nB1);
        const l2Lo = oppLo << sB2, l2Hi = (oppHi << sB2) | (oppLo >>> nB2);
        const r1Lo = (oppLo >>> sB1) | (oppHi << nB1), r1Hi = oppHi >>> sB1;
        const r2Lo = (oppLo >>> sB2) | (oppHi << nB2), r2Hi = oppHi >>> sB2;
        qLo |= (l1Lo & l2Lo & ((oppLo << sB3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> sB3) | (oppHi << nB3)));
        qHi |= (l1Hi & l2Hi & ((oppHi << sB3) | (oppLo >>> nB3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> sB3)));
      }
      {
        const l1Lo = oppLo << sC1, l1Hi = (oppHi << sC1) | (oppLo >>> nC1);
        const l2Lo = oppLo << sC2, l2Hi = (oppHi << sC2) | (oppLo >>> nC2);
        const r1Lo = (oppLo >>> sC1) | (oppHi << nC1), r1Hi = oppHi >>> sC1;
        const r2Lo = (oppLo >>> sC2) | (oppHi << nC2), r2Hi = oppHi >>> sC2;
        qLo |= (l1Lo & l2Lo & ((oppLo << sC3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> sC3) | (oppHi << nC3)));
        qHi |= (l1Hi & l2Hi & ((oppHi << sC3) | (oppLo >>> nC3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> sC3)));
      }
      oLo = qLo & emptyLo;
      oHi = qHi & emptyHi;
    }
    const K1 = this.scoreBase - 1;
    // Early detection of forced losses (Pons, part 9: `possibleNonLosingMoves`).
    const forcedLo = possLo & oLo;
    const forcedHi = possHi & oHi;
    if ((forcedLo | forcedHi) !== 0) {
      // Two cells to block at once: the opponent wins with his next stone.
      if ((forcedLo & (forcedLo - 1)) !== 0 || (forcedHi & (forcedHi - 1)) !== 0 || (forcedLo !== 0 && forcedHi !== 0)) return -(K1 - ((moves + 1) >> 1));
      possLo = forcedLo;
      possHi = forcedHi;
    }
    // Never play directly under a cell where the opponent would win.
    const nextLo = possLo & ~((oLo >>> 1) | (oHi << 31));
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

    // Transposition table probe (see the field comment): key = position + mask; the bucket's two
    // entries (one cache line) are both checked.
    const kLo = (cLo + mLo) | 0;
    const kHi = (cHi + mHi + ((kLo >>> 0) < (cLo >>> 0) ? 1 : 0)) | 0;
    const tb1 = this.tableBits - 1;
    const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
    const topKey = kHi >>> (tb1 - 1);
    const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
    const table = this.table;
    const top = this.tableTop;
    let e = -1;
    if (table[b4] === up && (top === null || top[b4 >> 1] === topKey)) e = b4;
    else if (table[b4 + 2] === up && (top === null || top[(b4 >> 1) + 1] === topKey)) e = b4 + 2;
    let hashCol = -1;
    if (e >= 0) {
      const v = table[e + 1];
      hashCol = ((v >>> 16) & 15) - 1;
      const lower = (v << 24) >> 24;
      const upper = (v << 16) >> 24;
      if (alpha < lower) {
        alpha = lower;
        if (alpha >= beta) return alpha;
      }
      if (beta > upper) {
        beta = upper;
        if (alpha >= beta) return beta;
      }
    }
    if (moves <= this.bookDepth) {
      // Book entries are bounds too (exact scores have equal bounds; a win/draw/loss book
      // stores the class's range), applied like the table's. The book's hash table is probed
      // here inline (see OpeningBook.slots): a method call at this point measured a 3x slower
      // search in some runs (V8 deoptimising the kernel).
      const bs = this.bookSlots;
      let bi = Math.imul(kLo ^ Math.imul(kHi, 0x85ebca6b), 0x9e3779b1) >>> this.bookShift;
      for (;;) {
        const v = bs[3 * bi + 2];
        if (v === -1) break;
        if (bs[3 * bi] === kLo && bs[3 * bi + 1] === kHi) {
          const lower = (v << 24) >> 24;
          const upper = (v << 16) >> 24;
          if (alpha < lower) {
            alpha = lower;
            if (alpha >= beta) return alpha;
          }
          if (beta > upper) {
            beta = upper;
            if (alpha >= beta) return beta;
          }
          break;
        }
        bi = (bi + 1) & this.bookMask;
      }
    }

    const alpha0 = alpha;
    let bestCol = -1;
    const colLo = this.colLo;
    const colHi = this.colHi;
    // The stored best move first, before paying for the ordering of the others: when it
    // refutes again (the usual case in the repeated null-window searches), that is all.
    let skipLo = 0;
    let skipHi = 0;
    if (hashCol >= 0 && ((nextLo & colLo[hashCol]) | (nextHi & colHi[hashCol])) !== 0) {
      skipLo = nextLo & colLo[hashCol];
      skipHi = nextHi & colHi[hashCol];
      const score = -(moves + 1 <= this.bookDepth ? this.negamaxBook(oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1) : this.negamax(oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1));
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, hashCol);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = hashCol;
      }
    }

    // Move ordering: centre first, then by the number of winning cells the move creates
    // (Pons, part 10; stable insertion sort, the list is read from its end).
    const cols = this.cols;
    const base = moves * cols;
    const order = this.order;
    const moveLo = this.moveLo;
    const moveHi = this.moveHi;
    const moveScore = this.moveScore;
    const moveCol = this.moveCol;
    const moveWLo = this.moveWLo;
    const moveWHi = this.moveWHi;
    const restLo = nextLo ^ skipLo;
    const restHi = nextHi ^ skipHi;
    let n = 0;
    if (((restLo & (restLo - 1)) | (restHi & (restHi - 1))) === 0 && (restLo === 0 || restHi === 0)) {
      // At most one move left: nothing to order.
      if ((restLo | restHi) !== 0) {
        moveLo[base] = restLo;
        moveHi[base] = restHi;
        moveCol[base] = -1;
        moveWLo[base] = 0;
        moveWHi[base] = -1;
        n = 1;
      }
    } else {
      for (let i = cols - 1; i >= 0; i--) {
        const c = order[i];
        const bLo = restLo & colLo[c];
        const bHi = restHi & colHi[c];
        if ((bLo | bHi) === 0) continue;
        const ownLo = cLo | bLo;
        const ownHi = cHi | bHi;
        // Threat mask of the side to move after the move.
        let wLo = (ownLo << 1) & (ownLo << 2) & (ownLo << 3);
        let wHi = ((ownHi << 1) | (ownLo >>> 31)) & ((ownHi << 2) | (ownLo >>> 30)) & ((ownHi << 3) | (ownLo >>> 29));
        {
          const l1Lo = ownLo << sA1, l1Hi = (ownHi << sA1) | (ownLo >>> nA1);
          const l2Lo = ownLo << sA2, l2Hi = (ownHi << sA2) | (ownLo >>> nA2);
          const r1Lo = (ownLo >>> sA1) | (ownHi << nA1), r1Hi = ownHi >>> sA1;
          const r2Lo = (ownLo >>> sA2) | (ownHi << nA2), r2Hi = ownHi >>> sA2;
          wLo |= (l1Lo & l2Lo & ((ownLo << sA3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sA3) | (ownHi << nA3)));
          wHi |= (l1Hi & l2Hi & ((ownHi << sA3) | (ownLo >>> nA3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sA3)));
        }
        {
          const l1Lo = ownLo << sB1, l1Hi = (ownHi << sB1) | (ownLo >>> nB1);
          const l2Lo = ownLo << sB2, l2Hi = (ownHi << sB2) | (ownLo >>> nB2);
          const r1Lo = (ownLo >>> sB1) | (ownHi << nB1), r1Hi = ownHi >>> sB1;
          const r2Lo = (ownLo >>> sB2) | (ownHi << nB2), r2Hi = ownHi >>> sB2;
          wLo |= (l1Lo & l2Lo & ((ownLo << sB3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sB3) | (ownHi << nB3)));
          wHi |= (l1Hi & l2Hi & ((ownHi << sB3) | (ownLo >>> nB3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sB3)));
        }
        {
          const l1Lo = ownLo << sC1, l1Hi = (ownHi << sC1) | (ownLo >>> nC1);
          const l2Lo = ownLo << sC2, l2Hi = (ownHi << sC2) | (ownLo >>> nC2);
          const r1Lo = (ownLo >>> sC1) | (ownHi << nC1), r1Hi = ownHi >>> sC1;
          const r2Lo = (ownLo >>> sC2) | (ownHi << nC2), r2Hi = ownHi >>> sC2;
          wLo |= (l1Lo & l2Lo & ((ownLo << sC3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sC3) | (ownHi << nC3)));
          wHi |= (l1Hi & l2Hi & ((ownHi << sC3) | (ownLo >>> nC3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sC3)));
        }
        wLo &= emptyLo;
        wHi &= emptyHi;
        // A move that leaves two winning cells the opponent cannot both stop (two playable ones,
        // or a playable one right under another) wins with the mover's stone after next, the
        // best score still possible here (neither side wins at its next stone), so the node is
        // solved. The opponent cannot win first: `next` leaves him no playable winning cell.
        const aLo = wLo & ((playLo & ~bLo) | (bLo << 1));
        const aHi = wHi & ((playHi & ~bHi) | (bHi << 1) | (bLo >>> 31));
        if ((aLo | aHi) !== 0 && (((aLo & (aLo - 1)) | (aHi & (aHi - 1))) !== 0 || (aLo !== 0 && aHi !== 0) || ((aLo & ((wLo >>> 1) | (wHi << 31))) | (aHi & (wHi >>> 1))) !== 0)) {
          this.store(b4, up, topKey, moves, max, max, c);
          return max;
        }
        // popcount of both halves (SWAR, Hacker's Delight 5-1).
        let x = wLo - ((wLo >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        let y = wHi - ((wHi >>> 1) & 0x55555555);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        y = (y + (y >>> 4)) & 0x0f0f0f0f;
        const score = (Math.imul(x, 0x01010101) >>> 24) + (Math.imul(y, 0x01010101) >>> 24);
        let pos = base + n++;
        while (pos > base && moveScore[pos - 1] > score) {
          moveScore[pos] = moveScore[pos - 1];
          moveLo[pos] = moveLo[pos - 1];
          moveHi[pos] = moveHi[pos - 1];
          moveCol[pos] = moveCol[pos - 1];
          moveWLo[pos] = moveWLo[pos - 1];
          moveWHi[pos] = moveWHi[pos - 1];
          pos--;
        }
        moveScore[pos] = score;
        moveLo[pos] = bLo;
        moveHi[pos] = bHi;
        moveCol[pos] = c;
        moveWLo[pos] = wLo;
        moveWHi[pos] = wHi;
      }
    }

    for (let i = base + n - 1; i >= base; i--) {
      const score = -(moves + 1 <= this.bookDepth ? this.negamaxBook(oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]) : this.negamax(oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]));
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, moveCol[i]);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = moveCol[i];
      }
    }
    // alpha is exact if it rose above alpha0, else an upper bound.
    this.store(b4, up, topKey, moves, alpha > alpha0 ? alpha : -128, alpha, bestCol);
    return alpha;
  }

  /**
   * Negamax with alpha-beta on a position where the side to move cannot win at once (checked by
   * the caller), for 6-row boards. Returns the exact score if it lies in (alpha, beta), else a bound
   * on the side that failed (fail-hard, as in Pons' solver). Side to move: stones (cLo, cHi);
   * all stones (mLo, mHi); `moves` stones played; (tLo, tHi): the opponent's winning cells
   * if the caller has them (it computed them to order its moves: they are the threats of its
   * own stones after the move), else tHi = -1.
   */
  private negamax6Book(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number, beta: number, tLo: number, tHi: number): number {
    if (++this.nodes > this.nodeLimit) throw new SearchAborted(this.nodeLimit);
    const boardLo = this.boardLo;
    const boardHi = this.boardHi;
    const emptyLo = boardLo ^ mLo;
    const emptyHi = boardHi ^ mHi;
    // Playable cells (Pons' `possible`): adding the bottom row carries each column's stones up
    // to its first empty cell; the carry between the halves is computed by hand.
    const sumLo = (mLo + this.bottomLo) | 0;
    const playLo = sumLo & boardLo;
    const playHi = (mHi + this.bottomHi + ((sumLo >>> 0) < (mLo >>> 0) ? 1 : 0)) & boardHi;
    let possLo = playLo;
    let possHi = playHi;
    // The opponent's winning cells.
    const oppLo = cLo ^ mLo;
    const oppHi = cHi ^ mHi;
    let oLo = tLo;
    let oHi = tHi;
    if (tHi === -1) {
      let qLo = (oppLo << 1) & (oppLo << 2) & (oppLo << 3);
      let qHi = ((oppHi << 1) | (oppLo >>> 31)) & ((oppHi << 2) | (oppLo >>> 30)) & ((oppHi << 3) | (oppLo >>> 29));
      {
        const l1Lo = oppLo << 6, l1Hi = (oppHi << 6) | (oppLo >>> 26);
        const l2Lo = oppLo << 12, l2Hi = (oppHi << 12) | (oppLo >>> 20);
        const r1Lo = (oppLo >>> 6) | (oppHi << 26), r1Hi = oppHi >>> 6;
        const r2Lo = (oppLo >>> 12) | (oppHi << 20), r2Hi = oppHi >>> 12;
        qLo |= (l1Lo & l2Lo & ((oppLo << 18) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> 18) | (oppHi << 14)));
        qHi |= (l1Hi & l2Hi & ((oppHi << 18) | (oppLo >>> 14) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> 18)));
      }
      {
        const l1Lo = oppLo << 7, l1Hi = (oppHi << 7) | (oppLo >>> 25);
        const l2Lo = oppLo << 14, l2Hi = (oppHi << 14) | (oppLo >>> 18);
        const r1Lo = (oppLo >>> 7) | (oppHi << 25), r1Hi = oppHi >>> 7;
        const r2Lo = (oppLo >>> 14) | (oppHi << 18), r2Hi = oppHi >>> 14;
        qLo |= (l1Lo & l2Lo & ((oppLo << 21) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> 21) | (oppHi << 11)));
        qHi |= (l1Hi & l2Hi & ((oppHi << 21) | (oppLo >>> 11) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> 21)));
      }
      {
        const l1Lo = oppLo << 8, l1Hi = (oppHi << 8) | (oppLo >>> 24);
        const l2Lo = oppLo << 16, l2Hi = (oppHi << 16) | (oppLo >>> 16);
        const r1Lo = (oppLo >>> 8) | (oppHi << 24), r1Hi = oppHi >>> 8;
        const r2Lo = (oppLo >>> 16) | (oppHi << 16), r2Hi = oppHi >>> 16;
        qLo |= (l1Lo & l2Lo & ((oppLo << 24) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (oppLo >>> 24) | (oppHi << 8)));
        qHi |= (l1Hi & l2Hi & ((oppHi << 24) | (oppLo >>> 8) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (oppHi >>> 24)));
      }
      oLo = qLo & emptyLo;
      oHi = qHi & emptyHi;
    }
    const K1 = this.scoreBase - 1;
    // Early detection of forced losses (Pons, part 9: `possibleNonLosingMoves`).
    const forcedLo = possLo & oLo;
    const forcedHi = possHi & oHi;
    if ((forcedLo | forcedHi) !== 0) {
      // Two cells to block at once: the opponent wins with his next stone.
      if ((forcedLo & (forcedLo - 1)) !== 0 || (forcedHi & (forcedHi - 1)) !== 0 || (forcedLo !== 0 && forcedHi !== 0)) return -(K1 - ((moves + 1) >> 1));
      possLo = forcedLo;
      possHi = forcedHi;
    }
    // Never play directly under a cell where the opponent would win.
    const nextLo = possLo & ~((oLo >>> 1) | (oHi << 31));
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

    // Transposition table probe (see the field comment): key = position + mask; the bucket's two
    // entries (one cache line) are both checked.
    const kLo = (cLo + mLo) | 0;
    const kHi = (cHi + mHi + ((kLo >>> 0) < (cLo >>> 0) ? 1 : 0)) | 0;
    const tb1 = this.tableBits - 1;
    const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
    const topKey = kHi >>> (tb1 - 1);
    const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
    const table = this.table;
    const top = this.tableTop;
    let e = -1;
    if (table[b4] === up && (top === null || top[b4 >> 1] === topKey)) e = b4;
    else if (table[b4 + 2] === up && (top === null || top[(b4 >> 1) + 1] === topKey)) e = b4 + 2;
    let hashCol = -1;
    if (e >= 0) {
      const v = table[e + 1];
      hashCol = ((v >>> 16) & 15) - 1;
      const lower = (v << 24) >> 24;
      const upper = (v << 16) >> 24;
      if (alpha < lower) {
        alpha = lower;
        if (alpha >= beta) return alpha;
      }
      if (beta > upper) {
        beta = upper;
        if (alpha >= beta) return beta;
      }
    }
    if (moves <= this.bookDepth) {
      // Book entries are bounds too (exact scores have equal bounds; a win/draw/loss book
      // stores the class's range), applied like the table's. The book's hash table is probed
      // here inline (see OpeningBook.slots): a method call at this point measured a 3x slower
      // search in some runs (V8 deoptimising the kernel).
      const bs = this.bookSlots;
      let bi = Math.imul(kLo ^ Math.imul(kHi, 0x85ebca6b), 0x9e3779b1) >>> this.bookShift;
      for (;;) {
        const v = bs[3 * bi + 2];
        if (v === -1) break;
        if (bs[3 * bi] === kLo && bs[3 * bi + 1] === kHi) {
          const lower = (v << 24) >> 24;
          const upper = (v << 16) >> 24;
          if (alpha < lower) {
            alpha = lower;
            if (alpha >= beta) return alpha;
          }
          if (beta > upper) {
            beta = upper;
            if (alpha >= beta) return beta;
          }
          break;
        }
        bi = (bi + 1) & this.bookMask;
      }
    }

    const alpha0 = alpha;
    let bestCol = -1;
    const colLo = this.colLo;
    const colHi = this.colHi;
    // The stored best move first, before paying for the ordering of the others: when it
    // refutes again (the usual case in the repeated null-window searches), that is all.
    let skipLo = 0;
    let skipHi = 0;
    if (hashCol >= 0 && ((nextLo & colLo[hashCol]) | (nextHi & colHi[hashCol])) !== 0) {
      skipLo = nextLo & colLo[hashCol];
      skipHi = nextHi & colHi[hashCol];
      const score = -(moves + 1 <= this.bookDepth ? this.negamax6Book(oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1) : this.negamax6(oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1));
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, hashCol);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = hashCol;
      }
    }

    // Move ordering: centre first, then by the number of winning cells the move creates
    // (Pons, part 10; stable insertion sort, the list is read from its end).
    const cols = this.cols;
    const base = moves * cols;
    const order = this.order;
    const moveLo = this.moveLo;
    const moveHi = this.moveHi;
    const moveScore = this.moveScore;
    const moveCol = this.moveCol;
    const moveWLo = this.moveWLo;
    const moveWHi = this.moveWHi;
    const restLo = nextLo ^ skipLo;
    const restHi = nextHi ^ skipHi;
    let n = 0;
    if (((restLo & (restLo - 1)) | (restHi & (restHi - 1))) === 0 && (restLo === 0 || restHi === 0)) {
      // At most one move left: nothing to order.
      if ((restLo | restHi) !== 0) {
        moveLo[base] = restLo;
        moveHi[base] = restHi;
        moveCol[base] = -1;
        moveWLo[base] = 0;
        moveWHi[base] = -1;
        n = 1;
      }
    } else {
      for (let i = cols - 1; i >= 0; i--) {
        const c = order[i];
        const bLo = restLo & colLo[c];
        const bHi = restHi & colHi[c];
        if ((bLo | bHi) === 0) continue;
        const ownLo = cLo | bLo;
        const ownHi = cHi | bHi;
        // Threat mask of the side to move after the move.
        let wLo = (ownLo << 1) & (ownLo << 2) & (ownLo << 3);
        let wHi = ((ownHi << 1) | (ownLo >>> 31)) & ((ownHi << 2) | (ownLo >>> 30)) & ((ownHi << 3) | (ownLo >>> 29));
        {
          const l1Lo = ownLo << 6, l1Hi = (ownHi << 6) | (ownLo >>> 26);
          const l2Lo = ownLo << 12, l2Hi = (ownHi << 12) | (ownLo >>> 20);
          const r1Lo = (ownLo >>> 6) | (ownHi << 26), r1Hi = ownHi >>> 6;
          const r2Lo = (ownLo >>> 12) | (ownHi << 20), r2Hi = ownHi >>> 12;
          wLo |= (l1Lo & l2Lo & ((ownLo << 18) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> 18) | (ownHi << 14)));
          wHi |= (l1Hi & l2Hi & ((ownHi << 18) | (ownLo >>> 14) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> 18)));
        }
        {
          const l1Lo = ownLo << 7, l1Hi = (ownHi << 7) | (ownLo >>> 25);
          const l2Lo = ownLo << 14, l2Hi = (ownHi << 14) | (ownLo >>> 18);
          const r1Lo = (ownLo >>> 7) | (ownHi << 25), r1Hi = ownHi >>> 7;
          const r2Lo = (ownLo >>> 14) | (ownHi << 18), r2Hi = ownHi >>> 14;
          wLo |= (l1Lo & l2Lo & ((ownLo << 21) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> 21) | (ownHi << 11)));
          wHi |= (l1Hi & l2Hi & ((ownHi << 21) | (ownLo >>> 11) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> 21)));
        }
        {
          const l1Lo = ownLo << 8, l1Hi = (ownHi << 8) | (ownLo >>> 24);
          const l2Lo = ownLo << 16, l2Hi = (ownHi << 16) | (ownLo >>> 16);
          const r1Lo = (ownLo >>> 8) | (ownHi << 24), r1Hi = ownHi >>> 8;
          const r2Lo = (ownLo >>> 16) | (ownHi << 16), r2Hi = ownHi >>> 16;
          wLo |= (l1Lo & l2Lo & ((ownLo << 24) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> 24) | (ownHi << 8)));
          wHi |= (l1Hi & l2Hi & ((ownHi << 24) | (ownLo >>> 8) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> 24)));
        }
        wLo &= emptyLo;
        wHi &= emptyHi;
        // A move that leaves two winning cells the opponent cannot both stop (two playable ones,
        // or a playable one right under another) wins with the mover's stone after next, the
        // best score still possible here (neither side wins at its next stone), so the node is
        // solved. The opponent cannot win first: `next` leaves him no playable winning cell.
        const aLo = wLo & ((playLo & ~bLo) | (bLo << 1));
        const aHi = wHi & ((playHi & ~bHi) | (bHi << 1) | (bLo >>> 31));
        if ((aLo | aHi) !== 0 && (((aLo & (aLo - 1)) | (aHi & (aHi - 1))) !== 0 || (aLo !== 0 && aHi !== 0) || ((aLo & ((wLo >>> 1) | (wHi << 31))) | (aHi & (wHi >>> 1))) !== 0)) {
          this.store(b4, up, topKey, moves, max, max, c);
          return max;
        }
        // popcount of both halves (SWAR, Hacker's Delight 5-1).
        let x = wLo - ((wLo >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        let y = wHi - ((wHi >>> 1) & 0x55555555);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        y = (y + (y >>> 4)) & 0x0f0f0f0f;
        const score = (Math.imul(x, 0x01010101) >>> 24) + (Math.imul(y, 0x01010101) >>> 24);
        let pos = base + n++;
        while (pos > base && moveScore[pos - 1] > score) {
          moveScore[pos] = moveScore[pos - 1];
          moveLo[pos] = moveLo[pos - 1];
          moveHi[pos] = moveHi[pos - 1];
          moveCol[pos] = moveCol[pos - 1];
          moveWLo[pos] = moveWLo[pos - 1];
          moveWHi[pos] = moveWHi[pos - 1];
          pos--;
        }
        moveScore[pos] = score;
        moveLo[pos] = bLo;
        moveHi[pos] = bHi;
        moveCol[pos] = c;
        moveWLo[pos] = wLo;
        moveWHi[pos] = wHi;
      }
    }

    for (let i = base + n - 1; i >= base; i--) {
      const score = -(moves + 1 <= this.bookDepth ? this.negamax6Book(oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]) : this.negamax6(oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]));
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, moveCol[i]);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = moveCol[i];
      }
    }
    // alpha is exact if it rose above alpha0, else an upper bound.
    this.store(b4, up, topKey, moves, alpha > alpha0 ? alpha : -128, alpha, bestCol);
    return alpha;
  }
  // END GENERATED KERNELS

  /** Whether keys need more than the 31 stored bits beyond a bucket index of `bits - 1` bits. */
  private needsTop(bits: number): boolean {
    return this.layout.stride * this.cols > bits - 1 + 31;
  }

  /**
   * Grows the table to 2^bits entries, moving every entry over: the full key comes back from
   * the bucket index and the stored bits (the index is a bijection of the key's low bits).
   */
  private growTable(bits: number): void {
    const oldTable = this.table;
    const oldTop = this.tableTop;
    const oldTb1 = this.tableBits - 1;
    const table = new Int32Array(2 << bits);
    const top = this.needsTop(bits) ? new Uint8Array(1 << bits) : null;
    for (let i = 0; i < table.length; i += 2) table[i] = -1;
    const tb1 = bits - 1;
    for (let e = 0; e < oldTable.length; e += 2) {
      const upOld = oldTable[e];
      if (upOld === -1) continue;
      const low = ((e >> 2) ^ (Math.imul(upOld, 0x9e3779b1) >>> (32 - oldTb1))) & ((1 << oldTb1) - 1);
      const kLo = low | (upOld << oldTb1);
      const kHi = (upOld >>> (32 - oldTb1)) | (oldTop !== null ? oldTop[e >> 1] << (oldTb1 - 1) : 0);
      const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
      const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
      // First free entry of the bucket (4x more buckets: collisions are rare; the newer wins).
      const n = table[b4] === -1 ? b4 : b4 + 2;
      table[n] = up;
      table[n + 1] = oldTable[e + 1];
      if (top !== null) top[n >> 1] = kHi >>> (tb1 - 1);
    }
    this.table = table;
    this.tableTop = top;
    this.tableBits = bits;
  }

  /**
   * Stores bounds (lo <= score <= hi) and the best or refuting column (-1: none) of a position
   * in its bucket (`b4` = index of its first int). Same position: the bounds are merged. New
   * position: the first entry is kept for work near the root (replaced only by a position with
   * no more stones, or one left from an earlier solve), the second is always replaced, so deep
   * short searches cannot flush the expensive results (a two-level replacement scheme as in
   * Breuker, Uiterwijk & van den Herik, "Replacement schemes for transposition tables", 1994).
   */
  private store(b4: number, up: number, topKey: number, moves: number, lo: number, hi: number, col: number): void {
    const table = this.table;
    const top = this.tableTop;
    let e = b4;
    // Re-read: a descendant may have changed the bucket since the probe.
    if (!(table[e] === up && (top === null || top[e >> 1] === topKey))) {
      e = b4 + 2;
      if (!(table[e] === up && (top === null || top[e >> 1] === topKey))) {
        const v0 = table[b4 + 1];
        e = table[b4] === -1 || v0 >>> 26 !== this.generation || ((v0 >>> 20) & 63) >= moves ? b4 : b4 + 2;
        table[e] = up;
        table[e + 1] = (lo & 0xff) | ((hi & 0xff) << 8) | ((col + 1) << 16) | (moves << 20) | (this.generation << 26);
        if (top !== null) top[e >> 1] = topKey;
        return;
      }
    }
    const v = table[e + 1];
    const l = (v << 24) >> 24;
    const u = (v << 16) >> 24;
    if (l > lo) lo = l;
    if (u < hi) hi = u;
    if (col < 0) col = ((v >>> 16) & 15) - 1;
    table[e + 1] = (lo & 0xff) | ((hi & 0xff) << 8) | ((col + 1) << 16) | (moves << 20) | (this.generation << 26);
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
    if (!this.keepEarlierSolves) this.generation = (this.generation + 1) & 63;
    const nodes0 = this.nodes;
    while (min < max) {
      let med = min + Math.trunc((max - min) / 2);
      if (med <= 0 && Math.trunc(min / 2) < med) med = Math.trunc(min / 2);
      else if (med >= 0 && Math.trunc(max / 2) > med) med = Math.trunc(max / 2);
      const r = this.nullWindow(cLo, cHi, mLo, mHi, moves, med);
      if (r <= med) max = r;
      else min = r;
      if (this.tableBits < this.maxTableBits && this.nodes - nodes0 > 8 << this.tableBits) this.growTable(Math.min(this.maxTableBits, this.tableBits + 2));
    }
    return min | 0; // never -0
  }

  /** Cells (empty) where the side with stones (pLo, pHi) would complete four, as a pair (rare use: the root). */
  winningCells(pLo: number, pHi: number, mLo: number, mHi: number): [number, number] {
    const sh = this.shifts;
    const sA1 = sh[0], sA2 = sh[1], sA3 = sh[2], sB1 = sh[3], sB2 = sh[4], sB3 = sh[5], sC1 = sh[6], sC2 = sh[7], sC3 = sh[8];
    const nA1 = 32 - sA1, nA2 = 32 - sA2, nA3 = 32 - sA3, nB1 = 32 - sB1, nB2 = 32 - sB2, nB3 = 32 - sB3, nC1 = 32 - sC1, nC2 = 32 - sC2, nC3 = 32 - sC3;
    const ownLo = pLo;
    const ownHi = pHi;
    let wLo = (ownLo << 1) & (ownLo << 2) & (ownLo << 3);
    let wHi = ((ownHi << 1) | (ownLo >>> 31)) & ((ownHi << 2) | (ownLo >>> 30)) & ((ownHi << 3) | (ownLo >>> 29));
    {
      const l1Lo = ownLo << sA1, l1Hi = (ownHi << sA1) | (ownLo >>> nA1);
      const l2Lo = ownLo << sA2, l2Hi = (ownHi << sA2) | (ownLo >>> nA2);
      const r1Lo = (ownLo >>> sA1) | (ownHi << nA1), r1Hi = ownHi >>> sA1;
      const r2Lo = (ownLo >>> sA2) | (ownHi << nA2), r2Hi = ownHi >>> sA2;
      wLo |= (l1Lo & l2Lo & ((ownLo << sA3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sA3) | (ownHi << nA3)));
      wHi |= (l1Hi & l2Hi & ((ownHi << sA3) | (ownLo >>> nA3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sA3)));
    }
    {
      const l1Lo = ownLo << sB1, l1Hi = (ownHi << sB1) | (ownLo >>> nB1);
      const l2Lo = ownLo << sB2, l2Hi = (ownHi << sB2) | (ownLo >>> nB2);
      const r1Lo = (ownLo >>> sB1) | (ownHi << nB1), r1Hi = ownHi >>> sB1;
      const r2Lo = (ownLo >>> sB2) | (ownHi << nB2), r2Hi = ownHi >>> sB2;
      wLo |= (l1Lo & l2Lo & ((ownLo << sB3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sB3) | (ownHi << nB3)));
      wHi |= (l1Hi & l2Hi & ((ownHi << sB3) | (ownLo >>> nB3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sB3)));
    }
    {
      const l1Lo = ownLo << sC1, l1Hi = (ownHi << sC1) | (ownLo >>> nC1);
      const l2Lo = ownLo << sC2, l2Hi = (ownHi << sC2) | (ownLo >>> nC2);
      const r1Lo = (ownLo >>> sC1) | (ownHi << nC1), r1Hi = ownHi >>> sC1;
      const r2Lo = (ownLo >>> sC2) | (ownHi << nC2), r2Hi = ownHi >>> sC2;
      wLo |= (l1Lo & l2Lo & ((ownLo << sC3) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (ownLo >>> sC3) | (ownHi << nC3)));
      wHi |= (l1Hi & l2Hi & ((ownHi << sC3) | (ownLo >>> nC3) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (ownHi >>> sC3)));
    }
    return [wLo & (this.boardLo ^ mLo), wHi & (this.boardHi ^ mHi)];
  }

  /** Playable cells of the position with stones m, as a pair. */
  private playable(mLo: number, mHi: number): [number, number] {
    const sumLo = (mLo + this.bottomLo) | 0;
    return [sumLo & this.boardLo, (mHi + this.bottomHi + ((sumLo >>> 0) < (mLo >>> 0) ? 1 : 0)) & this.boardHi];
  }

  /** Whether the side to move (stones c, all stones m) can win with its next stone. */
  private canWinNext(cLo: number, cHi: number, mLo: number, mHi: number): boolean {
    const [pLo, pHi] = this.playable(mLo, mHi);
    const [wLo, wHi] = this.winningCells(cLo, cHi, mLo, mHi);
    return ((wLo & pLo) | (wHi & pHi)) !== 0;
  }

  /** The score of a position (the side to move's view). Throws ArborError if the game is over. */
  solve(state: Connect4State): number {
    const b = this.rootBits(state);
    return this.solveBits(b.cLo, b.cHi, b.mLo, b.mHi, b.moves);
  }

  /**
   * The score of every column for the side to move: `scores[c]` is the score of playing c
   * (from the mover's view), NaN where c is full.
   */
  analyze(state: Connect4State): number[] {
    const b = this.rootBits(state);
    return this.analyzeBits(b.cLo, b.cHi, b.mLo, b.mHi, b.moves);
  }

  analyzeBits(cLo: number, cHi: number, mLo: number, mHi: number, moves: number): number[] {
    return this.eachColumn(cLo, cHi, mLo, mHi, moves, this.scoreBase - 1 - (moves >> 1), (oLo, oHi, nLo, nHi) => this.solveBits(oLo, oHi, nLo, nHi, moves + 1));
  }

  /**
   * One value per column for the side to move (NaN where c is full): `win` for a move that wins
   * at once, else minus `child` of the position after it (the opponent to move). Centre first,
   * so the first proof fills the table with what the others share; a mirror-symmetric position
   * (the empty board) solves half its columns and mirrors the rest.
   */
  private eachColumn(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, win: number, child: (oLo: number, oHi: number, nLo: number, nHi: number) => number): number[] {
    const out = new Array<number>(this.cols).fill(Number.NaN);
    const [pLo, pHi] = this.playable(mLo, mHi);
    const [winLo, winHi] = this.winningCells(cLo, cHi, mLo, mHi);
    const symmetric = this.isMirrorSymmetric(cLo, cHi, mLo, mHi);
    const half = (this.cols - 1) / 2;
    for (let i = 0; i < this.cols; i++) {
      const c = this.order[i];
      if (symmetric && c > half) continue;
      const bLo = pLo & this.colLo[c];
      const bHi = pHi & this.colHi[c];
      if ((bLo | bHi) === 0) continue;
      if (((bLo & winLo) | (bHi & winHi)) !== 0) out[c] = win;
      else out[c] = 0 - child(cLo ^ mLo, cHi ^ mHi, mLo | bLo, mHi | bHi);
    }
    if (symmetric) for (let c = 0; c < this.cols; c++) if (c > half) out[c] = out[this.cols - 1 - c];
    return out;
  }

  /**
   * Win, draw or loss (+1, 0, -1) for the side to move, from at most two null-window searches
   * around 0 instead of the bisection of the whole score range: "weak" solving, as in Tromp's
   * Fhourstones and Pons' solver's weak mode. Early in the game this is several times cheaper
   * than the exact score, because no search has to find the fastest win or slowest loss.
   */
  solveWeakBits(cLo: number, cHi: number, mLo: number, mHi: number, moves: number): number {
    if (this.testBits(cLo, cHi, mLo, mHi, moves, 0) > 0) return 1;
    return this.testBits(cLo, cHi, mLo, mHi, moves, -1) > -1 ? 0 : -1;
  }


  /** Win/draw/loss (+1, 0, -1) of a position for the side to move. */
  solveWeak(state: Connect4State): number {
    const b = this.rootBits(state);
    return this.solveWeakBits(b.cLo, b.cHi, b.mLo, b.mHi, b.moves);
  }

  /**
   * Win/draw/loss of every column for the side to move (+1, 0, -1; NaN where c is full). A
   * mirror-symmetric position (the empty board) analyses half its columns.
   */
  analyzeWeak(state: Connect4State): number[] {
    const b = this.rootBits(state);
    return this.eachColumn(b.cLo, b.cHi, b.mLo, b.mHi, b.moves, 1, (oLo, oHi, nLo, nHi) => this.solveWeakBits(oLo, oHi, nLo, nHi, b.moves + 1));
  }

  /** The bitboards of a position to solve; an early one gets the whole table first (see EARLY_STONES). */
  private rootBits(state: Connect4State): { cLo: number; cHi: number; mLo: number; mHi: number; moves: number } {
    const b = this.bitsOf(state);
    if (b.moves <= EARLY_STONES) this.reserveTable();
    return b;
  }

  /**
   * One null-window search (alpha, alpha + 1): a result above alpha means the score is at least
   * alpha + 1. Positions within the book's depth start in the kernel that probes the book.
   */
  private nullWindow(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number): number {
    if (moves <= this.bookDepth) {
      return this.rows === 6 ? this.negamax6Book(cLo, cHi, mLo, mHi, moves, alpha, alpha + 1, 0, -1) : this.negamaxBook(cLo, cHi, mLo, mHi, moves, alpha, alpha + 1, 0, -1);
    }
    return this.rows === 6 ? this.negamax6(cLo, cHi, mLo, mHi, moves, alpha, alpha + 1, 0, -1) : this.negamax(cLo, cHi, mLo, mHi, moves, alpha, alpha + 1, 0, -1);
  }

  /** Whether the position equals its mirror image (both the stones and whose they are). */
  private isMirrorSymmetric(cLo: number, cHi: number, mLo: number, mHi: number): boolean {
    const bit = (lo: number, hi: number, i: number) => (i < 32 ? (lo >>> i) & 1 : (hi >>> (i - 32)) & 1);
    const stride = this.layout.stride;
    for (let c = 0; c < this.cols >> 1; c++) {
      const d = this.cols - 1 - c;
      for (let r = 0; r < this.rows; r++) {
        const a = c * stride + r;
        const z = d * stride + r;
        if (bit(mLo, mHi, a) !== bit(mLo, mHi, z) || bit(cLo, cHi, a) !== bit(cLo, cHi, z)) return false;
      }
    }
    return true;
  }

  /**
   * The bounds the transposition table holds for a position (side to move `c`, all stones `m`),
   * packed as in the table (lower in byte 0, upper in byte 1; -128 / 127 = none), or -1. Used
   * by scripts/make-book.ts to keep what a long solve learned about the first plies. (The key
   * and slot arithmetic repeats the kernels' probe, which is written inline there for speed.)
   */
  probeBounds(cLo: number, cHi: number, mLo: number, mHi: number): number {
    const kLo = (cLo + mLo) | 0;
    const kHi = (cHi + mHi + ((kLo >>> 0) < (cLo >>> 0) ? 1 : 0)) | 0;
    const tb1 = this.tableBits - 1;
    const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
    const topKey = kHi >>> (tb1 - 1);
    const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
    const top = this.tableTop;
    for (const e of [b4, b4 + 2]) {
      if (this.table[e] === up && (top === null || top[e >> 1] === topKey)) return this.table[e + 1] & 0xffff;
    }
    return -1;
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

  /**
   * One null-window search (Pons, part 10): a bound r with r > alpha exactly when the score of
   * the position (bitboards as in solveBits, nobody has won yet) is above alpha; r is exact when
   * the side to move wins at once or the board is full. Cheaper than solveBits, which bisects the
   * whole score range with several such searches; the solver agent uses it to test which moves
   * reach the position's best score. Uses and feeds the same transposition table.
   */
  testBits(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number): number {
    if (this.canWinNext(cLo, cHi, mLo, mHi)) return this.scoreBase - 1 - (moves >> 1);
    if (moves >= this.cells) return 0;
    if (!this.keepEarlierSolves) this.generation = (this.generation + 1) & 63;
    const nodes0 = this.nodes;
    const r = this.nullWindow(cLo, cHi, mLo, mHi, moves, alpha);
    if (this.tableBits < this.maxTableBits && this.nodes - nodes0 > 8 << this.tableBits) this.growTable(Math.min(this.maxTableBits, this.tableBits + 2));
    return r | 0;
  }
}
