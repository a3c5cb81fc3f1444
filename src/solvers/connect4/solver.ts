import { ArborError } from '../../core/index.js';
import type { Connect4State } from '../../envs/connect4/index.js';
import { BitLayout } from './bitboard.js';
import type { OpeningBook } from './book.js';
import { Connect4Kernels } from './kernels.generated.js';
import { SearchAborted } from './search-aborted.js';

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
 * move; the copies are generated (kernels.generated.ts) rather than factored into a helper
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

export { SearchAborted };

/** The solver's state and its driver; the negamax kernels it runs are generated (kernels.generated.ts). */
export class Connect4Solver extends Connect4Kernels {
  readonly layout: BitLayout;
  readonly rows: number;
  override readonly cols: number;
  override readonly cells: number;
  /** ceil(cells / 2) + 1: the score of a win with one stone. */
  override readonly scoreBase: number;
  /** Solves so far mod 64: table entries of earlier solves are the first to go. */
  private generation = 0;
  /** Nodes searched since construction (for benchmarks). */
  override nodes = 0;
  /**
   * When set, every solve counts as the same one for the table's replacement scheme, so bounds
   * on shallow positions from earlier solves are kept as if they were this solve's (for
   * scripts/make-book.ts, which keeps what a series of solves learned).
   */
  keepEarlierSolves = false;
  /** A search that passes this node count throws SearchAborted (bounds stored so far stay valid). */
  override nodeLimit = Number.POSITIVE_INFINITY;
  private book: OpeningBook | null;
  /** Positions with at most this many stones are looked up in the book (-1: no book). */
  protected override bookDepth = -1;
  /** The book's hash table (OpeningBook.slots), its slot mask and hash shift, read inline by the kernels. */
  protected override bookSlots: Int32Array = new Int32Array(3).fill(-1);
  protected override bookMask = 0;
  protected override bookShift = 31;
  /** Columns centre first: centre columns take part in more lines (Pons, part 4). */
  protected override readonly order: Int32Array;
  // Board masks (int32 halves).
  protected override readonly boardLo: number;
  protected override readonly boardHi: number;
  protected override readonly bottomLo: number;
  protected override readonly bottomHi: number;
  protected override readonly colLo: Int32Array;
  protected override readonly colHi: Int32Array;
  // Shift amounts of the three non-vertical directions (A: down-right diagonal = rows,
  // B: horizontal = rows + 1, C: up-right diagonal = rows + 2), times 1, 2, 3.
  protected override readonly shifts: Int32Array;
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
  protected override tableBits: number;
  private readonly maxTableBits: number;
  protected override table: Int32Array;
  protected override tableTop: Uint8Array | null;
  // Per-ply move lists (no allocation in the search).
  protected override readonly moveLo: Int32Array;
  protected override readonly moveHi: Int32Array;
  protected override readonly moveScore: Int32Array;
  protected override readonly moveCol: Int32Array;
  /** Per move: the mover's winning cells after it (handed to the child as its opponent's). */
  protected override readonly moveWLo: Int32Array;
  protected override readonly moveWHi: Int32Array;

  constructor(rows: number, cols: number, options: Connect4SolverOptions = {}) {
    super();
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
  protected override store(b4: number, up: number, topKey: number, moves: number, lo: number, hi: number, col: number): void {
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
