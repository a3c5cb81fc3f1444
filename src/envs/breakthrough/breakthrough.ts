import { BoardGameBase } from '../board-game.js';
import { ArborError, type State, type Symmetry } from '../../core/index.js';
import { cellToString, lastCellName, parseCell, renderBoard } from '../notation.js';
import { encodeFirstPlayerPlane, encodeStonePlanes } from '../stone-planes.js';
import { transformCellMap } from '../symmetry.js';
import { WinnerStateBase } from '../winner-state.js';
import { makeZobristKeys } from '../zobrist.js';

/**
 * Action planes are named by absolute board direction (row 1 on top, so N is toward row
 * index 0), not relative to the mover. The input planes are not rotated for player 1 either
 * (`side:first-player` says who moves), so with absolute directions a move's from-cell in the
 * policy plane lines up with the pawn's cell in `own:pawn` for both players, symmetries act on
 * inputs and actions through the same cell map, and the names match the `move:N`... planes
 * other movement games use, so policy heads can be transferred by name.
 * Player 0 uses N/NE/NW, player 1 S/SE/SW; the other three planes are always illegal for a player.
 */
const PLANES = ['move:N', 'move:NE', 'move:NW', 'move:S', 'move:SE', 'move:SW'] as const;
const DIR_NAMES = ['N', 'NE', 'NW', 'S', 'SE', 'SW'] as const;
const DR = [-1, -1, -1, 1, 1, 1] as const;
const DC = [0, 1, -1, 0, 1, -1] as const;
/** flip-horizontal swaps east and west. */
const MIRROR_PLANE = [0, 2, 1, 3, 5, 4] as const;

/**
 * Breakthrough: each side starts with two full rows of pawns; a pawn steps forward to an
 * empty cell or diagonally forward to an empty or enemy-held cell (capturing). Reaching the far
 * row, or taking every enemy pawn, wins. Player 0 starts on the bottom rows and moves up.
 * Action = plane * rows*cols + from-cell.
 */
export class BreakthroughGame extends BoardGameBase<BreakthroughState> {
  readonly id = 'breakthrough';
  readonly spec: string;
  readonly params: Readonly<Record<string, number>>;
  readonly numActions: number;
  readonly shape: { readonly rows: number; readonly cols: number };
  readonly encoding = { planes: ['own:pawn', 'opp:pawn', 'cell:exists', 'side:first-player'] as const };
  readonly actionLayout = { planes: PLANES.map((name) => ({ name, extent: 'cell' as const })), globals: [] as string[] };
  readonly symmetries: readonly Symmetry[];
  readonly maxGameLength: number;
  readonly rows: number;
  readonly cols: number;
  readonly cells: number;
  /** keys for (cell, player) pairs, then one for "player 1 to move". */
  readonly zobrist: Int32Array;
  /** target[plane * cells + from]: the destination cell, or -1 off the board. */
  readonly target: Int32Array;

  constructor(rows = 6, cols = 6, spec = rows === 6 && cols === 6 ? 'breakthrough' : `breakthrough:rows=${rows},cols=${cols}`) {
    super();
    if (!Number.isInteger(rows) || rows < 4 || rows > 16 || !Number.isInteger(cols) || cols < 2 || cols > 16) {
      throw new ArborError(`game breakthrough: rows=${rows},cols=${cols} is not allowed; rows 4..16 and cols 2..16`);
    }
    this.rows = rows;
    this.cols = cols;
    this.spec = spec;
    this.params = { rows, cols };
    this.cells = rows * cols;
    this.numActions = PLANES.length * this.cells;
    this.shape = { rows, cols };
    // Every move advances a pawn one row; a side has 2*cols pawns at most rows-1 rows from the goal.
    this.maxGameLength = 2 * 2 * cols * (rows - 1);
    this.zobrist = makeZobristKeys(this.cells * 2 + 1, `breakthrough/${rows}x${cols}`);
    this.target = new Int32Array(this.numActions);
    for (let p = 0; p < PLANES.length; p++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const tr = r + DR[p];
          const tc = c + DC[p];
          this.target[p * this.cells + r * cols + c] = tr >= 0 && tr < rows && tc >= 0 && tc < cols ? tr * cols + tc : -1;
        }
      }
    }
    const cellMap = transformCellMap(rows, cols, 'flip-horizontal');
    const actionMap = new Int32Array(this.numActions);
    for (let p = 0; p < PLANES.length; p++) {
      for (let c = 0; c < this.cells; c++) actionMap[p * this.cells + c] = MIRROR_PLANE[p] * this.cells + cellMap[c];
    }
    this.symmetries = [{ name: 'flip-horizontal', cellMap, actionMap }];
  }

  newInitialState(): BreakthroughState {
    return new BreakthroughState(this);
  }
  /** `a5-a4` (from-to); a move that leaves the board has no to-cell and is written `a1:N`. */
  override actionToString(action: number): string {
    if (!Number.isInteger(action) || action < 0 || action >= this.numActions) return String(action);
    const plane = Math.floor(action / this.cells);
    const from = action - plane * this.cells;
    const to = this.target[action];
    if (to < 0) return `${cellToString(from, this.cols)}:${DIR_NAMES[plane]}`;
    return `${cellToString(from, this.cols)}-${cellToString(to, this.cols)}`;
  }
  override parseAction(text: string): number {
    const t = text.trim().toLowerCase();
    const bad = () =>
      new ArborError(
        `breakthrough: "${text}" is not a move; write from-cell and to-cell one step apart, e.g. a5-a4 (or a5xb4 for a capture), cells a1..${lastCellName(this.rows, this.cols)}`,
      );
    const dirForm = /^([a-z][0-9]{1,2}):(n|ne|nw|s|se|sw)$/.exec(t);
    if (dirForm) {
      const from = parseCell(dirForm[1], this.rows, this.cols);
      if (from < 0) throw bad();
      return DIR_NAMES.indexOf(dirForm[2].toUpperCase() as (typeof DIR_NAMES)[number]) * this.cells + from;
    }
    const m = /^([a-z][0-9]{1,2})[-x]([a-z][0-9]{1,2})$/.exec(t);
    if (!m) throw bad();
    const from = parseCell(m[1], this.rows, this.cols);
    const to = parseCell(m[2], this.rows, this.cols);
    if (from < 0 || to < 0) throw bad();
    for (let p = 0; p < PLANES.length; p++) if (this.target[p * this.cells + from] === to) return p * this.cells + from;
    throw bad();
  }
}

export class BreakthroughState extends WinnerStateBase<BreakthroughGame> implements State {
  /** 0 empty, 1 player 0, 2 player 1. */
  private readonly board: Uint8Array;
  private toMove = 0;
  private readonly pawns = new Int32Array(2);

  constructor(game: BreakthroughGame) {
    super(game);
    this.board = new Uint8Array(game.cells);
    const { cols, cells } = game;
    for (let c = 0; c < 2 * cols; c++) {
      this.put(c, 1);
      this.put(cells - 1 - c, 0);
    }
  }

  private put(cell: number, player: number): void {
    this.board[cell] = player + 1;
    this.pawns[player]++;
    this.hashLo ^= this.game.zobrist[4 * cell + 2 * player];
    this.hashHi ^= this.game.zobrist[4 * cell + 2 * player + 1];
  }
  private remove(cell: number): void {
    const player = this.board[cell] - 1;
    this.board[cell] = 0;
    this.pawns[player]--;
    this.hashLo ^= this.game.zobrist[4 * cell + 2 * player];
    this.hashHi ^= this.game.zobrist[4 * cell + 2 * player + 1];
  }

  /** Rules check for `player`, without the game-over test. */
  private canMove(action: number, player: number): boolean {
    const g = this.game;
    const plane = (action / g.cells) | 0;
    if ((plane < 3 ? 0 : 1) !== player) return false;
    const from = action - plane * g.cells;
    if (this.board[from] !== player + 1) return false;
    const to = g.target[action];
    if (to < 0) return false;
    const v = this.board[to];
    // Straight moves (N, S) never capture; diagonal ones may.
    return v === 0 || (plane % 3 !== 0 && v === 2 - player);
  }

  private hasAnyMove(player: number): boolean {
    const g = this.game;
    const base = player * 3 * g.cells;
    for (let c = 0; c < g.cells; c++) {
      if (this.board[c] !== player + 1) continue;
      for (let p = 0; p < 3; p++) if (this.canMove(base + p * g.cells + c, player)) return true;
    }
    return false;
  }

  currentPlayer(): number {
    return this.winner >= 0 ? -1 : this.toMove;
  }
  legalActions(out: Int32Array): number {
    if (this.winner >= 0) return 0;
    const g = this.game;
    const player = this.toMove;
    const own = player + 1;
    const opp = 2 - player;
    const board = this.board;
    const target = g.target;
    let n = 0;
    // Planes outer, cells inner, so the actions come out ascending.
    for (let p = 0; p < 3; p++) {
      const base = (player * 3 + p) * g.cells;
      for (let c = 0; c < g.cells; c++) {
        if (board[c] !== own) continue;
        const to = target[base + c];
        if (to < 0) continue;
        const v = board[to];
        if (v === 0 || (p !== 0 && v === opp)) out[n++] = base + c;
      }
    }
    return n;
  }
  legalMask(out: Uint8Array): void {
    const g = this.game;
    out.fill(0, 0, g.numActions);
    if (this.winner >= 0) return;
    const base = this.toMove * 3 * g.cells;
    for (let a = base, end = base + 3 * g.cells; a < end; a++) if (this.canMove(a, this.toMove)) out[a] = 1;
  }
  isLegal(action: number): boolean {
    if (!Number.isInteger(action) || action < 0 || action >= this.game.numActions || this.winner >= 0) return false;
    return this.canMove(action, this.toMove);
  }
  apply(action: number): void {
    const g = this.game;
    if (!this.isLegal(action)) {
      const name = g.actionToString(action);
      const who = this.toMove === 0 ? 'player 0 moves N, NE or NW' : 'player 1 moves S, SE or SW';
      const why = this.winner >= 0 ? 'the game is over' : `${who}: one of its pawns one step forward to an empty cell, or diagonally forward onto an empty or enemy cell`;
      throw new ArborError(`breakthrough: illegal move ${name} (${why})`);
    }
    const player = this.toMove;
    const from = action % g.cells;
    const to = g.target[action];
    this.remove(from);
    if (this.board[to] !== 0) this.remove(to);
    this.put(to, player);
    this.history[this.moves++] = action;
    this.toMove = 1 - player;
    const side = g.cells * 4;
    this.hashLo ^= g.zobrist[side];
    this.hashHi ^= g.zobrist[side + 1];
    const goalRow = player === 0 ? 0 : g.rows - 1;
    // With cols >= 2 a side with pawns always has a move (its most advanced pawn can step
    // diagonally onto an empty or enemy cell), so the last test is a cheap safeguard: it stops
    // at the first movable pawn.
    if (((to / g.cols) | 0) === goalRow || this.pawns[1 - player] === 0 || !this.hasAnyMove(1 - player)) this.winner = player;
  }
  override copyFrom(other: State): void {
    const o = other as BreakthroughState;
    this.board.set(o.board);
    this.copyBookkeeping(o);
    this.toMove = o.toMove;
    this.winner = o.winner;
    this.pawns[0] = o.pawns[0];
    this.pawns[1] = o.pawns[1];
  }
  isTerminal(): boolean {
    return this.winner >= 0;
  }
  pawnCount(player: number): number {
    return this.pawns[player];
  }
  encode(out: Float32Array, offset: number): void {
    encodeStonePlanes(this.board, this.game.cells, this.toMove, out, offset);
    encodeFirstPlayerPlane(this.game.cells, this.toMove, out, offset);
  }
  override toString(): string {
    const { rows, cols } = this.game;
    const board = renderBoard(rows, cols, (c) => '.XO'[this.board[c]]);
    const status = this.winner >= 0 ? `game over: ${'XO'[this.winner]} wins` : `${'XO'[this.toMove]} to move (X moves up, O down)`;
    return `${board}\n${status}`;
  }
}
