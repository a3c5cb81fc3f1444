/**
 * Connect Four bitboards as pairs of 32-bit integers (no BigInt: V8 keeps int32 arithmetic in
 * registers, BigInt allocates).
 *
 * Layout (John Tromp's, as used by Pascal Pons' solver): column-major, `rows + 1` bits per
 * column, bit `col * (rows + 1) + row` with row 0 at the bottom. The extra bit on top of each
 * column is a sentinel that stops shifted lines from wrapping into the next column, and makes
 * `position + mask` a unique key of the position. A board fits while `(rows + 1) * cols <= 56`
 * (7x7, 6x8, 5x9 ...), so every shift used below (at most 3 * (rows + 2) <= 27 bits) stays
 * under 32 (rows <= 8) and one 64-bit shift is two or three int32 operations.
 *
 * A 64-bit value x is the pair (lo, hi) = (bits 0..31, bits 32..63).
 */

/** Bits a board may use: sentinel rows included, with room for the shifts of the threat masks. */
const MAX_BITS = 56;

/** Fixed masks of one board size. */
export class BitLayout {
  readonly rows: number;
  readonly cols: number;
  /** Bits per column (rows + 1). */
  readonly stride: number;
  readonly cells: number;
  readonly bottomLo: number;
  readonly bottomHi: number;
  readonly boardLo: number;
  readonly boardHi: number;
  /** Per column: the bit of its bottom cell, its top cell and all its cells. */
  readonly bottomColLo: Int32Array;
  readonly bottomColHi: Int32Array;
  readonly topColLo: Int32Array;
  readonly topColHi: Int32Array;
  readonly colLo: Int32Array;
  readonly colHi: Int32Array;

  constructor(rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    this.stride = rows + 1;
    this.cells = rows * cols;
    this.bottomColLo = new Int32Array(cols);
    this.bottomColHi = new Int32Array(cols);
    this.topColLo = new Int32Array(cols);
    this.topColHi = new Int32Array(cols);
    this.colLo = new Int32Array(cols);
    this.colHi = new Int32Array(cols);
    let bLo = 0, bHi = 0, fLo = 0, fHi = 0;
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) {
        const bit = c * this.stride + r;
        if (bit < 32) this.colLo[c] |= 1 << bit;
        else this.colHi[c] |= 1 << (bit - 32);
      }
      const bottom = c * this.stride;
      const top = c * this.stride + rows - 1;
      if (bottom < 32) this.bottomColLo[c] = 1 << bottom;
      else this.bottomColHi[c] = 1 << (bottom - 32);
      if (top < 32) this.topColLo[c] = 1 << top;
      else this.topColHi[c] = 1 << (top - 32);
      bLo |= this.bottomColLo[c];
      bHi |= this.bottomColHi[c];
      fLo |= this.colLo[c];
      fHi |= this.colHi[c];
    }
    this.bottomLo = bLo;
    this.bottomHi = bHi;
    this.boardLo = fLo;
    this.boardHi = fHi;
  }

  /**
   * Whether this board fits the 56-bit layout, with every shift of the threat masks (at most
   * 3 * (rows + 2) bits) under 32 so one 64-bit shift is a few int32 operations: rows <= 8.
   */
  static fits(rows: number, cols: number): boolean {
    return (rows + 1) * cols <= MAX_BITS && rows <= 8;
  }

  /** The bits of column `col` in a 64-bit value, as an integer (only for shallow, rare uses). */
  columnBits(lo: number, hi: number, col: number): number {
    const o = col * this.stride;
    const m = (1 << this.stride) - 1;
    if (o + this.stride <= 32) return (lo >>> o) & m;
    if (o >= 32) return (hi >>> (o - 32)) & m;
    return ((lo >>> o) | (hi << (32 - o))) & m;
  }
}
