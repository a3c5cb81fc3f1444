/**
 * Writes the `own:*`, `opp:*` and `cell:exists` planes shared by the built-in board games
 * (boards hold 0 for empty, 1 for player 0, 2 for player 1) at `out[offset...]`, cells planes
 * of `cells` floats each. A plain function over typed arrays, so it stays monomorphic whichever
 * game calls it; it allocates nothing.
 */
export function encodeStonePlanes(board: Uint8Array, cells: number, mover: number, out: Float32Array, offset: number): void {
  const own = mover + 1;
  for (let c = 0; c < cells; c++) {
    const v = board[c];
    out[offset + c] = v === own ? 1 : 0;
    out[offset + cells + c] = v !== 0 && v !== own ? 1 : 0;
    out[offset + 2 * cells + c] = 1;
  }
}

/** Fills the plane after the three stone planes with 1 when player 0 moves (`side:first-player`). */
export function encodeFirstPlayerPlane(cells: number, mover: number, out: Float32Array, offset: number): void {
  out.fill(mover === 0 ? 1 : 0, offset + 3 * cells, offset + 4 * cells);
}
