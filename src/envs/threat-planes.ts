/**
 * Threat planes for k-in-a-row games (`own:threat`, `opp:threat`): an empty cell is a threat of
 * a player when a stone of theirs there would complete k in a row. Threats are what Connect Four
 * strategy is built on (Allis, "A Knowledge-based Approach of Connect-Four", 1988: the game is
 * decided by which side holds threats on odd or even rows, the zugzwang at the end); a
 * convolutional net would need many layers and much data to find them from stones alone. They
 * are rules-derived features, named by role so they carry over to other k-in-a-row games.
 *
 * `board` holds 0 for empty, 1 for player 0, 2 for player 1, row-major. Writes two planes of
 * rows*cols floats at `out[offset...]`: the mover's threats, then the opponent's. Allocates
 * nothing.
 */
export function encodeThreatPlanes(board: Uint8Array, rows: number, cols: number, k: number, mover: number, out: Float32Array, offset: number): void {
  const cells = rows * cols;
  const own = mover + 1;
  const opp = 2 - mover;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cell = r * cols + c;
      if (board[cell] !== 0) {
        out[offset + cell] = 0;
        out[offset + cells + cell] = 0;
        continue;
      }
      out[offset + cell] = completesLine(board, rows, cols, r, c, own, k) ? 1 : 0;
      out[offset + cells + cell] = completesLine(board, rows, cols, r, c, opp, k) ? 1 : 0;
    }
  }
}

/**
 * True when a stone of `mark` on (r, c) makes at least k in a row in some direction; the cell's
 * own content is not read, so it answers for an empty cell and for a stone just placed.
 */
export function completesLine(board: Uint8Array, rows: number, cols: number, r: number, c: number, mark: number, k: number): boolean {
  return runLength(board, rows, cols, r, c, 0, 1, mark) + runLength(board, rows, cols, r, c, 0, -1, mark) >= k - 1 ||
    runLength(board, rows, cols, r, c, 1, 0, mark) + runLength(board, rows, cols, r, c, -1, 0, mark) >= k - 1 ||
    runLength(board, rows, cols, r, c, 1, 1, mark) + runLength(board, rows, cols, r, c, -1, -1, mark) >= k - 1 ||
    runLength(board, rows, cols, r, c, 1, -1, mark) + runLength(board, rows, cols, r, c, -1, 1, mark) >= k - 1;
}

/**
 * Stones of `mark` contiguous with (r, c) in direction (dr, dc), not counting (r, c), on a
 * row-major board (also Connect Four's win test after a move).
 */
export function runLength(board: Uint8Array, rows: number, cols: number, r: number, c: number, dr: number, dc: number, mark: number): number {
  let n = 0;
  let y = r + dr;
  let x = c + dc;
  while (y >= 0 && y < rows && x >= 0 && x < cols && board[y * cols + x] === mark) {
    n++;
    y += dr;
    x += dc;
  }
  return n;
}
