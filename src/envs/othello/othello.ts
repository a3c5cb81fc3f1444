import { BoardGameBase } from '../board-game.js';
import { BoardStateBase } from '../board-state.js';
import { ArborError, type State, type Symmetry } from '../../core/index.js';
import { lastCellName, renderBoard } from '../notation.js';
import { encodeStonePlanes } from '../stone-planes.js';
import { cellGameSymmetries } from '../symmetry.js';
import { makeZobristKeys } from '../zobrist.js';

const DIRS: readonly (readonly [number, number])[] = [
  [-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0], [1, 1],
];

/**
 * Othello (Reversi) on a 6x6 or 8x8 board, row 1 on top. Black (player 0) moves first.
 * Actions are the cells (`place` plane) then `pass` (index size*size), legal only when the
 * mover has no placing move; the game ends when neither side can place.
 */
export class OthelloGame extends BoardGameBase<OthelloState> {
  readonly id = 'othello';
  readonly spec: string;
  readonly params: Readonly<Record<string, number>>;
  readonly numActions: number;
  readonly shape: { readonly rows: number; readonly cols: number };
  readonly encoding = { planes: ['own:stone', 'opp:stone', 'cell:exists'] as const };
  readonly actionLayout = { planes: [{ name: 'place', extent: 'cell' as const }], globals: ['pass'] };
  /** Only the transforms that keep the (colour-asymmetric) start position fixed. */
  readonly symmetries: readonly Symmetry[];
  readonly maxGameLength: number;
  readonly size: number;
  readonly cells: number;
  readonly passAction: number;
  /** keys for (cell, player) pairs, then one for "player 1 to move". */
  readonly zobrist: Int32Array;
  /** zobrist (cell,0) ^ (cell,1), so a flip is one XOR per half. */
  readonly flipKeys: Int32Array;
  /**
   * Per cell, the directions whose ray holds at least two cells (a shorter ray can never
   * flip): rayStep/rayLen at [rayStart[c], rayStart[c+1]). Precomputed so move generation
   * does no bounds arithmetic.
   */
  readonly rayStart: Int32Array;
  readonly rayStep: Int32Array;
  readonly rayLen: Int32Array;

  constructor(size = 8, spec = size === 8 ? 'othello' : `othello:size=${size}`) {
    super();
    if (size !== 6 && size !== 8) throw new ArborError(`game othello: size=${size} is not allowed; allowed sizes are 6 and 8`);
    this.size = size;
    this.spec = spec;
    this.params = { size };
    this.cells = size * size;
    this.passAction = this.cells;
    this.numActions = this.cells + 1;
    this.shape = { rows: size, cols: size };
    this.symmetries = cellGameSymmetries(size, size, ['rotate-180', 'transpose', 'anti-transpose'], 1);
    // Every placement may be followed by at most one pass (two passes in a row end the game).
    this.maxGameLength = 2 * (this.cells - 4);
    this.zobrist = makeZobristKeys(this.cells * 2 + 1, `othello/${size}`);
    this.flipKeys = new Int32Array(this.cells * 2);
    for (let c = 0; c < this.cells; c++) {
      this.flipKeys[2 * c] = this.zobrist[4 * c] ^ this.zobrist[4 * c + 2];
      this.flipKeys[2 * c + 1] = this.zobrist[4 * c + 1] ^ this.zobrist[4 * c + 3];
    }
    const start: number[] = [];
    const steps: number[] = [];
    const lens: number[] = [];
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        start.push(steps.length);
        for (const [dr, dc] of DIRS) {
          let len = 0;
          for (let rr = r + dr, cc = c + dc; rr >= 0 && rr < size && cc >= 0 && cc < size; rr += dr, cc += dc) len++;
          if (len >= 2) {
            steps.push(dr * size + dc);
            lens.push(len);
          }
        }
      }
    }
    start.push(steps.length);
    this.rayStart = Int32Array.from(start);
    this.rayStep = Int32Array.from(steps);
    this.rayLen = Int32Array.from(lens);
  }

  newInitialState(): OthelloState {
    return new OthelloState(this);
  }
  protected override notAMoveMessage(text: string): string {
    return `othello: "${text}" is not a move; write a cell a1..${lastCellName(this.size, this.size)} (column letter, row from the top) or pass`;
  }
}

export class OthelloState extends BoardStateBase<OthelloGame> implements State {
  /** 0 empty, 1 player 0 (black), 2 player 1 (white). */
  private readonly board: Uint8Array;
  private toMove = 0;
  private readonly discs = new Int32Array(2);
  /**
   * Legal placements of the mover, computed on first demand after a move (`dirty`), since
   * search often asks for them, the mask and terminality of the same position.
   */
  private readonly moveList: Int32Array;
  private moveCount = 0;
  private terminal = false;
  private dirty = true;

  constructor(game: OthelloGame) {
    super(game);
    this.board = new Uint8Array(game.cells);
    this.moveList = new Int32Array(game.cells);
    const n = game.size;
    const lo = n / 2 - 1;
    const hi = n / 2;
    // d4/e5 white, e4/d5 black on 8x8 (row 1 on top), centred likewise on 6x6.
    this.put(lo * n + lo, 1);
    this.put(hi * n + hi, 1);
    this.put(lo * n + hi, 0);
    this.put(hi * n + lo, 0);
  }

  private put(cell: number, player: number): void {
    this.board[cell] = player + 1;
    this.discs[player]++;
    this.hashLo ^= this.game.zobrist[4 * cell + 2 * player];
    this.hashHi ^= this.game.zobrist[4 * cell + 2 * player + 1];
  }

  /** Whether placing `player` on the empty `cell` flips at least one disc. */
  private flips(cell: number, player: number): boolean {
    const g = this.game;
    const board = this.board;
    const own = player + 1;
    const opp = 2 - player;
    for (let i = g.rayStart[cell], end = g.rayStart[cell + 1]; i < end; i++) {
      const step = g.rayStep[i];
      let p = cell + step;
      if (board[p] !== opp) continue;
      for (let k = g.rayLen[i] - 1; k > 0; k--) {
        p += step;
        const v = board[p];
        if (v === own) return true;
        if (v !== opp) break;
      }
    }
    return false;
  }

  private hasPlacement(player: number): boolean {
    const board = this.board;
    for (let c = 0; c < this.game.cells; c++) if (board[c] === 0 && this.flips(c, player)) return true;
    return false;
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const board = this.board;
    const list = this.moveList;
    let n = 0;
    if (this.discs[0] + this.discs[1] < this.game.cells) {
      for (let c = 0; c < this.game.cells; c++) if (board[c] === 0 && this.flips(c, this.toMove)) list[n++] = c;
    }
    this.moveCount = n;
    this.terminal = n === 0 && !this.hasPlacement(1 - this.toMove);
  }

  currentPlayer(): number {
    this.refresh();
    return this.terminal ? -1 : this.toMove;
  }
  legalActions(out: Int32Array): number {
    this.refresh();
    if (this.terminal) return 0;
    if (this.moveCount === 0) {
      out[0] = this.game.passAction;
      return 1;
    }
    const list = this.moveList;
    for (let i = 0; i < this.moveCount; i++) out[i] = list[i];
    return this.moveCount;
  }
  legalMask(out: Uint8Array): void {
    this.refresh();
    out.fill(0, 0, this.game.numActions);
    if (this.terminal) return;
    if (this.moveCount === 0) {
      out[this.game.passAction] = 1;
      return;
    }
    for (let i = 0; i < this.moveCount; i++) out[this.moveList[i]] = 1;
  }
  isLegal(action: number): boolean {
    if (!Number.isInteger(action) || action < 0 || action > this.game.passAction) return false;
    this.refresh();
    if (this.terminal) return false;
    if (action === this.game.passAction) return this.moveCount === 0;
    return this.board[action] === 0 && this.flips(action, this.toMove);
  }
  apply(action: number): void {
    if (!this.isLegal(action)) {
      const g = this.game;
      const name = Number.isInteger(action) && action >= 0 && action <= g.passAction ? g.actionToString(action) : String(action);
      const why = this.terminal
        ? 'the game is over'
        : action === g.passAction
          ? 'pass is only allowed when no placement is possible'
          : 'a move must flip at least one disc';
      throw new ArborError(`othello: illegal move ${name} (${why})`);
    }
    const g = this.game;
    const player = this.toMove;
    if (action !== g.passAction) {
      const board = this.board;
      const own = player + 1;
      const opp = 2 - player;
      const keys = g.flipKeys;
      let lo = this.hashLo;
      let hi = this.hashHi;
      let flipped = 0;
      for (let i = g.rayStart[action], end = g.rayStart[action + 1]; i < end; i++) {
        const step = g.rayStep[i];
        let p = action + step;
        if (board[p] !== opp) continue;
        let k = g.rayLen[i] - 1;
        for (; k > 0; k--) {
          p += step;
          if (board[p] !== opp) break;
        }
        if (k === 0 || board[p] !== own) continue;
        for (let q = action + step; q !== p; q += step) {
          board[q] = own;
          lo ^= keys[2 * q];
          hi ^= keys[2 * q + 1];
          flipped++;
        }
      }
      this.hashLo = lo;
      this.hashHi = hi;
      this.put(action, player);
      this.discs[player] += flipped;
      this.discs[1 - player] -= flipped;
    }
    this.history[this.moves++] = action;
    this.toMove = 1 - player;
    const side = g.cells * 4;
    this.hashLo ^= g.zobrist[side];
    this.hashHi ^= g.zobrist[side + 1];
    this.dirty = true;
  }
  override copyFrom(other: State): void {
    const o = other as OthelloState;
    this.board.set(o.board);
    this.copyBookkeeping(o);
    this.toMove = o.toMove;
    this.discs[0] = o.discs[0];
    this.discs[1] = o.discs[1];
    this.dirty = o.dirty;
    if (!o.dirty) {
      this.moveList.set(o.moveList);
      this.moveCount = o.moveCount;
      this.terminal = o.terminal;
    }
  }
  isTerminal(): boolean {
    this.refresh();
    return this.terminal;
  }
  returnOf(player: number): number {
    if (!this.isTerminal()) return 0;
    const diff = this.discs[player] - this.discs[1 - player];
    return diff > 0 ? 1 : diff < 0 ? -1 : 0;
  }
  /** Discs of `player` on the board (the final score once the game is over). */
  discCount(player: number): number {
    return this.discs[player];
  }
  encode(out: Float32Array, offset: number): void {
    encodeStonePlanes(this.board, this.game.cells, this.toMove, out, offset);
  }
  override toString(): string {
    const n = this.game.size;
    const board = renderBoard(n, n, (c) => '.XO'[this.board[c]]);
    const status = this.isTerminal()
      ? `game over: X ${this.discs[0]}, O ${this.discs[1]}`
      : `${this.toMove === 0 ? 'X (black)' : 'O (white)'} to move; X ${this.discs[0]}, O ${this.discs[1]}`;
    return `${board}\n${status}`;
  }
}
