import { ArborError } from '../core/index.js';

/**
 * Cell notation shared by the board games: a column letter then a 1-based row counted from
 * the top, as in Othello's standard notation (`d3`). Columns past `z` are not needed: no
 * built-in board is wider than 26.
 */
export function cellToString(cell: number, cols: number): string {
  const row = Math.floor(cell / cols);
  const col = cell - row * cols;
  return `${String.fromCharCode(97 + col)}${row + 1}`;
}

/** Parses `d3` into a cell index, or returns -1 if the text is not a cell of this board. */
export function parseCell(text: string, rows: number, cols: number): number {
  const m = /^([a-z])([0-9]{1,2})$/.exec(text.trim().toLowerCase());
  if (!m) return -1;
  const col = m[1].charCodeAt(0) - 97;
  const row = Number(m[2]) - 1;
  if (col < 0 || col >= cols || row < 0 || row >= rows) return -1;
  return row * cols + col;
}

export function lastCellName(rows: number, cols: number): string {
  return cellToString(rows * cols - 1, cols);
}

/** Splits a move sequence written with separators (spaces or commas). */
export function splitMoveTokens(moves: string): string[] {
  return moves.trim() === '' ? [] : moves.trim().split(/[\s,]+/);
}

/** Renders a board as text with column letters and 1-based rows (row 1 on top). */
export function renderBoard(rows: number, cols: number, glyphAt: (cell: number) => string): string {
  const lines: string[] = [];
  const header = '   ' + Array.from({ length: cols }, (_, c) => String.fromCharCode(97 + c)).join(' ');
  lines.push(header);
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(glyphAt(r * cols + c));
    lines.push(`${String(r + 1).padStart(2)} ${cells.join(' ')}`);
  }
  return lines.join('\n');
}

/** Replays a tokenised move sequence, turning any failure into one line naming the move. */
export function replayTokens<S extends { apply(a: number): void; isTerminal(): boolean }>(
  state: S,
  tokens: readonly string[],
  parse: (token: string) => number,
  isLegal: (action: number) => boolean,
  gameName: string,
): S {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (state.isTerminal()) {
      throw new ArborError(`${gameName}: move ${i + 1} "${token}" comes after the game has ended`);
    }
    const action = parse(token);
    if (!isLegal(action)) {
      throw new ArborError(`${gameName}: move ${i + 1} "${token}" is illegal in that position`);
    }
    state.apply(action);
  }
  return state;
}
