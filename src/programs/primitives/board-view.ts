import { ArborError, type Game, type State } from '../../core/index.js';

/**
 * A game's board as the primitives read it, built once per game from its named input planes and
 * action layout (never from its class), so one program text runs on every game that has the
 * planes: pieces are the `own:*` / `opp:*` planes (derived feature planes such as `own:threat`
 * excluded), `cell:exists` marks the cells of the board, `side:first-player` says who moves.
 *
 * `read(state)` encodes the position into a preallocated buffer and writes `marks`, one byte a
 * cell from the point of view of the player to move: EMPTY, OWN, OPP, or OFF_BOARD. It allocates
 * nothing; its buffers are shared by every primitive of the game, which is safe because no
 * primitive calls back into a program between `read` and its last use of `marks`.
 */
export const EMPTY = 0;
export const OWN = 1;
export const OPP = 2;
export const OFF_BOARD = 3;

/** Planes named `own:X` / `opp:X` that are rules-derived features, not pieces. */
const FEATURE_SUFFIXES = new Set(['threat']);

/** What a move does on the board: its cell for `place`/`move:*`, the landing cell of a `drop`, none for `pass`. */
export const MOVE_CELL = 0;
export const MOVE_DROP = 1;
export const MOVE_GLOBAL = 2;

const DIRECTIONS: Readonly<Record<string, readonly [number, number]>> = {
  N: [-1, 0], S: [1, 0], E: [0, 1], W: [0, -1], NE: [-1, 1], NW: [-1, -1], SE: [1, 1], SW: [1, -1],
};

/**
 * Length of a winning line: `game.params.k` where the game has it (gomoku), 4 for Connect Four,
 * 3 for tic-tac-toe; 0 for games that are not won by lines (othello, breakthrough, hex), whose
 * line counts and threats are then 0.
 */
export function winLength(game: Game): number {
  const k = game.params.k;
  if (typeof k === 'number' && Number.isInteger(k) && k >= 2) return k;
  if (game.id === 'connect4') return 4;
  if (game.id === 'tictactoe') return 3;
  return 0;
}

export class BoardView {
  readonly game: Game;
  readonly rows: number;
  readonly cols: number;
  readonly cells: number;
  /** Cell marks of the last `read`, mover's point of view. */
  readonly marks: Uint8Array;
  readonly k: number;
  /** Every window of k cells in a row (4 directions), `k` cell indices each. */
  readonly windows: Int32Array;
  readonly windowCount: number;
  /** `moveKind[a]`, and for MOVE_CELL `moveCell[a]`: the cell the move ends on; for MOVE_DROP its column. */
  readonly moveKind: Uint8Array;
  readonly moveCell: Int32Array;
  /** 1 at the board's centre down to 0 at the cell farthest from it. */
  readonly centrality: Float32Array;
  /** Whether the game has `move:*` action planes (pieces advance) and a `side:first-player` plane. */
  readonly advances: boolean;
  /** A legal-move buffer for primitives that do not call back into a program while using it. */
  readonly legal: Int32Array;
  /** A scratch position, under the same rule as `legal`, and a legal-move buffer for it. */
  readonly probe: State;
  readonly probeLegal: Int32Array;
  private readonly buffer: Float32Array;
  private readonly ownPlanes: Int32Array;
  private readonly oppPlanes: Int32Array;
  private readonly existsPlane: number;
  private readonly firstPlayerPlane: number;
  private lastHash = -1;

  constructor(game: Game) {
    this.game = game;
    const { rows, cols } = game.shape;
    this.rows = rows;
    this.cols = cols;
    this.cells = rows * cols;
    const planes = game.encoding.planes;
    this.buffer = new Float32Array(planes.length * this.cells);
    this.marks = new Uint8Array(this.cells);
    const pieces = (side: string) =>
      Int32Array.from(planes.flatMap((name, i) => (name.startsWith(`${side}:`) && !FEATURE_SUFFIXES.has(name.slice(side.length + 1)) ? [i] : [])));
    this.ownPlanes = pieces('own');
    this.oppPlanes = pieces('opp');
    if (this.ownPlanes.length === 0 || this.oppPlanes.length === 0) {
      throw new ArborError(`${game.spec} has no own:*/opp:* piece planes (its planes: ${planes.join(', ')}); board primitives read pieces from them, so they do not apply to this game`);
    }
    this.existsPlane = planes.indexOf('cell:exists');
    this.firstPlayerPlane = planes.indexOf('side:first-player');
    this.k = winLength(game);
    const windows: number[] = [];
    if (this.k > 0) {
      for (const [dr, dc] of [[0, 1], [1, 0], [1, 1], [1, -1]]) {
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const er = r + dr * (this.k - 1);
            const ec = c + dc * (this.k - 1);
            if (er < 0 || er >= rows || ec < 0 || ec >= cols) continue;
            for (let i = 0; i < this.k; i++) windows.push((r + dr * i) * cols + c + dc * i);
          }
        }
      }
    }
    this.windows = Int32Array.from(windows);
    this.windowCount = this.k > 0 ? windows.length / this.k : 0;
    this.moveKind = new Uint8Array(game.numActions).fill(MOVE_GLOBAL);
    this.moveCell = new Int32Array(game.numActions).fill(-1);
    let action = 0;
    for (const plane of game.actionLayout.planes) {
      const span = plane.extent === 'cell' ? this.cells : cols;
      const step = plane.name.startsWith('move:') ? DIRECTIONS[plane.name.slice(5)] : undefined;
      for (let i = 0; i < span; i++, action++) {
        if (plane.extent === 'column') {
          this.moveKind[action] = MOVE_DROP;
          this.moveCell[action] = i;
          continue;
        }
        let cell = i;
        if (step) {
          const r = Math.floor(i / cols) + step[0];
          const c = (i % cols) + step[1];
          cell = r >= 0 && r < rows && c >= 0 && c < cols ? r * cols + c : -1;
        }
        if (cell >= 0) {
          this.moveKind[action] = MOVE_CELL;
          this.moveCell[action] = cell;
        }
      }
    }
    this.advances = this.firstPlayerPlane >= 0 && game.actionLayout.planes.some((p) => p.name.startsWith('move:'));
    this.centrality = new Float32Array(this.cells);
    const cr = (rows - 1) / 2;
    const cc = (cols - 1) / 2;
    const far = Math.hypot(cr, cc);
    for (let c = 0; c < this.cells; c++) {
      this.centrality[c] = far > 0 ? 1 - Math.hypot(Math.floor(c / cols) - cr, (c % cols) - cc) / far : 1;
    }
    this.legal = new Int32Array(game.numActions);
    this.probe = game.newInitialState();
    this.probeLegal = new Int32Array(game.numActions);
  }

  /**
   * Encodes `state` and fills `marks` (mover's view). A program usually asks several features of
   * one position in a row, so the last position read is remembered by its hash (equal hashes
   * mean equal encodings, core/game.ts) and not encoded again.
   */
  read(state: State): Uint8Array {
    const hash = state.hash();
    if (hash === this.lastHash) return this.marks;
    const buf = this.buffer;
    const cells = this.cells;
    state.encode(buf, 0);
    const marks = this.marks;
    const exists = this.existsPlane;
    const own = this.ownPlanes;
    const opp = this.oppPlanes;
    for (let c = 0; c < cells; c++) {
      if (exists >= 0 && buf[exists * cells + c] < 0.5) {
        marks[c] = OFF_BOARD;
        continue;
      }
      let m = EMPTY;
      for (let i = 0; i < own.length; i++) if (buf[own[i] * cells + c] > 0.5) m = OWN;
      if (m === EMPTY) for (let i = 0; i < opp.length; i++) if (buf[opp[i] * cells + c] > 0.5) m = OPP;
      marks[c] = m;
    }
    this.lastHash = hash;
    return marks;
  }

  /** After `read`: whether the player to move is the first player (1 when the game has no `side:first-player` plane and player 0 moves). */
  moverIsFirst(state: State): boolean {
    if (this.firstPlayerPlane >= 0) return this.buffer[this.firstPlayerPlane * this.cells] > 0.5;
    return state.currentPlayer() <= 0;
  }

  /** After `read`: the cell move `action` ends on (a drop lands on the lowest empty cell of its column), or -1. */
  targetCell(action: number): number {
    const kind = this.moveKind[action];
    if (kind === MOVE_CELL) return this.moveCell[action];
    if (kind === MOVE_GLOBAL) return -1;
    const col = this.moveCell[action];
    for (let r = this.rows - 1; r >= 0; r--) if (this.marks[r * this.cols + col] === EMPTY) return r * this.cols + col;
    return col;
  }
}

const views = new WeakMap<Game, BoardView>();

/** The game's BoardView, built on first use. */
export function boardView(game: Game): BoardView {
  let view = views.get(game);
  if (!view) {
    view = new BoardView(game);
    views.set(game, view);
  }
  return view;
}

/** `side` argument of the line primitives: 0 (or below 0.5) the player to move, otherwise the opponent. */
export function sideMark(side: number): number {
  return side >= 0.5 ? OPP : OWN;
}
