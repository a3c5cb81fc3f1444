import { BoardGameBase } from '../board-game.js';
import { ArborError, type State, type Symmetry } from '../../core/index.js';
import { cellToString, renderBoard } from '../notation.js';
import { encodeStonePlanes } from '../stone-planes.js';
import { boardSymmetries } from '../symmetry.js';
import { completesLine } from '../threat-planes.js';
import { WinnerStateBase } from '../winner-state.js';
import { makeZobristKeys } from '../zobrist.js';

export const MIN_SIDE = 3;
export const MAX_SIDE = 19;
export const MIN_K = 3;

function isIntIn(x: number, lo: number, hi: number): boolean {
  return Number.isInteger(x) && x >= lo && x <= hi;
}

/**
 * Free-style m,n,k gomoku: players alternately place a stone on an empty cell; the first to make
 * a line of k or more (overlines count) wins; a full board with no line is a draw.
 * Actions are the cells, row-major (`a1` top-left).
 */
export class GomokuGame extends BoardGameBase<GomokuState> {
  readonly id = 'gomoku';
  readonly spec: string;
  readonly params: Readonly<Record<string, number>>;
  readonly numActions: number;
  readonly shape: { readonly rows: number; readonly cols: number };
  /**
   * No `move:last` plane: the hash (which evaluator caches key on) identifies positions across
   * move orders, so the encoding must be a function of the position alone.
   */
  readonly encoding = { planes: ['own:stone', 'opp:stone', 'cell:exists'] as const };
  readonly actionLayout = { planes: [{ name: 'place', extent: 'cell' as const }], globals: [] };
  readonly symmetries: readonly Symmetry[];
  readonly maxGameLength: number;
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly cells: number;
  /** Keys for (cell, player) pairs, then one for "player 1 to move". */
  readonly zobrist: Int32Array;

  constructor(rows = 9, cols = 9, k = 5, spec?: string) {
    super();
    if (!isIntIn(rows, MIN_SIDE, MAX_SIDE) || !isIntIn(cols, MIN_SIDE, MAX_SIDE)) {
      throw new ArborError(`gomoku: a ${rows}x${cols} board is not allowed; rows and cols must be ${MIN_SIDE}..${MAX_SIDE}`);
    }
    if (!isIntIn(k, MIN_K, Math.max(rows, cols))) {
      throw new ArborError(`gomoku: k=${k} does not fit a ${rows}x${cols} board; k must be ${MIN_K}..${Math.max(rows, cols)} (a line longer than both sides cannot be made)`);
    }
    this.rows = rows;
    this.cols = cols;
    this.k = k;
    this.cells = rows * cols;
    this.numActions = this.cells;
    this.maxGameLength = this.cells;
    this.shape = { rows, cols };
    this.params = { rows, cols, k };
    this.spec = spec ?? defaultSpec(rows, cols, k);
    this.symmetries = boardSymmetries(rows, cols, true);
    this.zobrist = makeZobristKeys(this.cells * 2 + 1, `gomoku/${rows}x${cols}`);
  }

  newInitialState(): GomokuState {
    return new GomokuState(this);
  }
}

function defaultSpec(rows: number, cols: number, k: number): string {
  const parts: string[] = [];
  if (rows !== 9) parts.push(`rows=${rows}`);
  if (cols !== 9) parts.push(`cols=${cols}`);
  if (k !== 5) parts.push(`k=${k}`);
  return parts.length ? `gomoku:${parts.join(',')}` : 'gomoku';
}

export class GomokuState extends WinnerStateBase<GomokuGame> implements State {
  /** 0 empty, 1 player 0 (X), 2 player 1 (O). */
  private readonly board: Uint8Array;

  constructor(game: GomokuGame) {
    super(game);
    this.board = new Uint8Array(game.cells);
  }

  currentPlayer(): number {
    return this.isTerminal() ? -1 : this.moves & 1;
  }
  legalActions(out: Int32Array): number {
    if (this.isTerminal()) return 0;
    const board = this.board;
    let n = 0;
    for (let c = 0; c < board.length; c++) if (board[c] === 0) out[n++] = c;
    return n;
  }
  legalMask(out: Uint8Array): void {
    const board = this.board;
    const done = this.isTerminal();
    for (let c = 0; c < board.length; c++) out[c] = !done && board[c] === 0 ? 1 : 0;
  }
  isLegal(action: number): boolean {
    return Number.isInteger(action) && action >= 0 && action < this.game.cells && this.board[action] === 0 && !this.isTerminal();
  }
  apply(action: number): void {
    if (!this.isLegal(action)) throw this.illegal(action);
    const g = this.game;
    const player = this.moves & 1;
    this.board[action] = player + 1;
    this.history[this.moves++] = action;
    const z = g.zobrist;
    const key = (action * 2 + player) * 2;
    const side = g.cells * 4;
    this.hashLo ^= z[key] ^ z[side];
    this.hashHi ^= z[key + 1] ^ z[side + 1];
    if (this.makesLine(action, player + 1)) this.winner = player;
  }

  /** Only lines through the stone just placed can be new, so only they are counted. */
  private makesLine(cell: number, mark: number): boolean {
    const { rows, cols, k } = this.game;
    const r = (cell / cols) | 0;
    return completesLine(this.board, rows, cols, r, cell - r * cols, mark, k);
  }

  private illegal(action: number): ArborError {
    const g = this.game;
    const inRange = Number.isInteger(action) && action >= 0 && action < g.cells;
    if (!inRange) return new ArborError(`gomoku: illegal move ${action}; actions are cells 0..${g.cells - 1}`);
    const name = cellToString(action, g.cols);
    if (this.isTerminal()) return new ArborError(`gomoku: illegal move ${name}: the game is over`);
    return new ArborError(`gomoku: illegal move ${name}: the cell is occupied; play an empty cell`);
  }

  override copyFrom(other: State): void {
    const o = other as GomokuState;
    this.board.set(o.board);
    this.copyBookkeeping(o);
    this.winner = o.winner;
  }
  isTerminal(): boolean {
    return this.winner >= 0 || this.moves === this.game.cells;
  }
  encode(out: Float32Array, offset: number): void {
    encodeStonePlanes(this.board, this.game.cells, this.moves & 1, out, offset);
  }
  override toString(): string {
    return renderBoard(this.game.rows, this.game.cols, (c) => '.XO'[this.board[c]]);
  }
}
