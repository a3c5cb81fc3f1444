import { BoardGameBase } from '../board-game.js';
import { ArborError, type State, type Symmetry } from '../../core/index.js';
import { cellToString } from '../notation.js';
import { encodeFirstPlayerPlane, encodeStonePlanes } from '../stone-planes.js';
import { cellGameSymmetries } from '../symmetry.js';
import { WinnerStateBase } from '../winner-state.js';
import { makeZobristKeys } from '../zobrist.js';

export const MIN_SIZE = 2;
export const MAX_SIZE = 19;

/** Row and column steps to the six neighbours of a cell on the rhombus. */
const NB_DR = [-1, -1, 0, 0, 1, 1] as const;
const NB_DC = [0, 1, -1, 1, -1, 0] as const;

/**
 * Hex on a size x size rhombus. Player 0 (X) connects the top row to the bottom row, player 1
 * (O) the left column to the right column. A full board always has exactly one connection, so
 * there are no draws. With `swap`, player 1's second-move `swap` action (the pie rule) takes
 * over player 0's first stone, mirrored across the long diagonal so that it now serves player
 * 1's direction; player 0 then moves again. Actions: the cells row-major, then `swap`.
 */
export class HexGame extends BoardGameBase<HexState> {
  readonly id = 'hex';
  readonly spec: string;
  readonly params: Readonly<Record<string, number | boolean>>;
  readonly numActions: number;
  readonly shape: { readonly rows: number; readonly cols: number };
  readonly encoding = { planes: ['own:stone', 'opp:stone', 'cell:exists', 'side:first-player'] as const };
  readonly actionLayout: { readonly planes: readonly { name: string; extent: 'cell' }[]; readonly globals: readonly string[] };
  readonly symmetries: readonly Symmetry[];
  readonly maxGameLength: number;
  readonly size: number;
  readonly swap: boolean;
  readonly cells: number;
  /** The `swap` action, or -1 when the pie rule is off. */
  readonly swapAction: number;
  /** Keys for (cell, player) pairs, then one for "player 1 to move". */
  readonly zobrist: Int32Array;
  /** neighbours[cell*6 + i]: the i-th neighbour, or -1 off the board; a flat table for apply. */
  readonly neighbours: Int32Array;
  /** Virtual union-find nodes for the four edges, after the cells. */
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;

  constructor(size = 7, swap = false, spec?: string) {
    super();
    if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
      throw new ArborError(`hex: size=${size} is out of range; allowed ${MIN_SIZE}..${MAX_SIZE}`);
    }
    this.size = size;
    this.swap = swap;
    this.cells = size * size;
    this.swapAction = swap ? this.cells : -1;
    this.numActions = this.cells + (swap ? 1 : 0);
    // A swap replaces a stone instead of adding one, so it adds one move to the longest game.
    this.maxGameLength = this.cells + (swap ? 1 : 0);
    this.shape = { rows: size, cols: size };
    this.params = { size, swap };
    this.spec = spec ?? defaultSpec(size, swap);
    this.top = this.cells;
    this.bottom = this.cells + 1;
    this.left = this.cells + 2;
    this.right = this.cells + 3;
    const globals = swap ? ['swap'] : [];
    this.actionLayout = { planes: [{ name: 'place', extent: 'cell' }], globals };
    // Rotating by 180 degrees keeps the six-neighbour adjacency and swaps each player's two
    // edges. Flips break the adjacency; transposes keep it but exchange the players' goals.
    this.symmetries = cellGameSymmetries(size, size, ['rotate-180'], globals.length);
    this.zobrist = makeZobristKeys(this.cells * 2 + 1, `hex/${size}`);
    this.neighbours = new Int32Array(this.cells * 6).fill(-1);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        for (let i = 0; i < 6; i++) {
          const nr = r + NB_DR[i];
          const nc = c + NB_DC[i];
          if (nr >= 0 && nr < size && nc >= 0 && nc < size) this.neighbours[(r * size + c) * 6 + i] = nr * size + nc;
        }
      }
    }
  }

  newInitialState(): HexState {
    return new HexState(this);
  }
  /** Cells and, with the pie rule, `swap` come from the base; `swap` without it gets its own hint. */
  override parseAction(text: string): number {
    if (!this.swap && text.trim().toLowerCase() === 'swap') {
      throw new ArborError('hex: "swap" needs the pie rule; create the game as hex:swap=true');
    }
    return super.parseAction(text);
  }
}

function defaultSpec(size: number, swap: boolean): string {
  const parts: string[] = [];
  if (size !== 7) parts.push(`size=${size}`);
  if (swap) parts.push('swap=true');
  return parts.length ? `hex:${parts.join(',')}` : 'hex';
}

export class HexState extends WinnerStateBase<HexGame> implements State {
  /** 0 empty, 1 player 0 (X, top-bottom), 2 player 1 (O, left-right). */
  private readonly board: Uint8Array;
  /** Union-find over the cells and the four edge nodes; only same-colour stones are joined. */
  private readonly parent: Int32Array;
  private readonly rank: Uint8Array;

  constructor(game: HexGame) {
    super(game);
    this.board = new Uint8Array(game.cells);
    this.parent = new Int32Array(game.cells + 4);
    this.rank = new Uint8Array(game.cells + 4);
    for (let i = 0; i < this.parent.length; i++) this.parent[i] = i;
  }

  currentPlayer(): number {
    return this.winner >= 0 ? -1 : this.moves & 1;
  }
  legalActions(out: Int32Array): number {
    if (this.winner >= 0) return 0;
    const board = this.board;
    let n = 0;
    for (let c = 0; c < board.length; c++) if (board[c] === 0) out[n++] = c;
    if (this.moves === 1 && this.game.swap) out[n++] = this.game.swapAction;
    return n;
  }
  legalMask(out: Uint8Array): void {
    const board = this.board;
    const live = this.winner < 0;
    for (let c = 0; c < board.length; c++) out[c] = live && board[c] === 0 ? 1 : 0;
    if (this.game.swap) out[this.game.swapAction] = live && this.moves === 1 ? 1 : 0;
  }
  isLegal(action: number): boolean {
    if (this.winner >= 0 || !Number.isInteger(action)) return false;
    if (action >= 0 && action < this.game.cells) return this.board[action] === 0;
    return action === this.game.swapAction && this.game.swap && this.moves === 1;
  }
  apply(action: number): void {
    if (!this.isLegal(action)) throw this.illegal(action);
    const g = this.game;
    const player = this.moves & 1;
    this.history[this.moves++] = action;
    const z = g.zobrist;
    const side = g.cells * 4;
    this.hashLo ^= z[side];
    this.hashHi ^= z[side + 1];
    if (action === g.swapAction) {
      const from = this.history[0];
      const r = (from / g.size) | 0;
      const c = from - r * g.size;
      const to = c * g.size + r;
      this.board[from] = 0;
      this.toggleStone(from, 0);
      // Only one stone is on the board, so the union-find is reset rather than unpicked.
      for (let i = 0; i < this.parent.length; i++) {
        this.parent[i] = i;
        this.rank[i] = 0;
      }
      this.place(to, 1);
      return;
    }
    this.place(action, player);
  }

  private toggleStone(cell: number, player: number): void {
    const key = (cell * 2 + player) * 2;
    this.hashLo ^= this.game.zobrist[key];
    this.hashHi ^= this.game.zobrist[key + 1];
  }

  private place(cell: number, player: number): void {
    const g = this.game;
    const mark = player + 1;
    const board = this.board;
    board[cell] = mark;
    this.toggleStone(cell, player);
    const nb = g.neighbours;
    for (let i = cell * 6, end = i + 6; i < end; i++) {
      const n = nb[i];
      if (n >= 0 && board[n] === mark) this.union(cell, n);
    }
    const size = g.size;
    const r = (cell / size) | 0;
    const c = cell - r * size;
    if (player === 0) {
      if (r === 0) this.union(cell, g.top);
      if (r === size - 1) this.union(cell, g.bottom);
      if (this.find(g.top) === this.find(g.bottom)) this.winner = 0;
    } else {
      if (c === 0) this.union(cell, g.left);
      if (c === size - 1) this.union(cell, g.right);
      if (this.find(g.left) === this.find(g.right)) this.winner = 1;
    }
  }

  /** Path halving keeps trees shallow without recursion or a stack. */
  private find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.rank[ra] < this.rank[rb]) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    if (this.rank[ra] === this.rank[rb]) this.rank[ra]++;
  }

  private illegal(action: number): ArborError {
    const g = this.game;
    if (this.winner >= 0) return new ArborError(`hex: illegal move ${this.describe(action)}: the game is over`);
    if (action === g.swapAction && g.swap) {
      return new ArborError('hex: illegal move swap: the pie rule allows it only as the second move of the game');
    }
    if (!Number.isInteger(action) || action < 0 || action >= g.cells) {
      return new ArborError(`hex: illegal move ${action}; actions are cells 0..${g.cells - 1}${g.swap ? ` and ${g.swapAction} (swap)` : ''}`);
    }
    return new ArborError(`hex: illegal move ${cellToString(action, g.size)}: the cell is occupied; play an empty cell`);
  }

  private describe(action: number): string {
    const g = this.game;
    if (Number.isInteger(action) && action >= 0 && action < g.numActions) return g.actionToString(action);
    return String(action);
  }

  override copyFrom(other: State): void {
    const o = other as HexState;
    this.board.set(o.board);
    this.parent.set(o.parent);
    this.rank.set(o.rank);
    this.copyBookkeeping(o);
    this.winner = o.winner;
  }
  isTerminal(): boolean {
    return this.winner >= 0;
  }
  /** The stone on a cell: -1 empty, else the player who owns it. */
  stoneAt(cell: number): number {
    return this.board[cell] - 1;
  }
  encode(out: Float32Array, offset: number): void {
    encodeStonePlanes(this.board, this.game.cells, this.moves & 1, out, offset);
    encodeFirstPlayerPlane(this.game.cells, this.moves & 1, out, offset);
  }
  /** The rhombus drawn with each row shifted right by half a cell more than the one above. */
  override toString(): string {
    const size = this.game.size;
    const lines: string[] = [];
    lines.push('   ' + Array.from({ length: size }, (_, c) => String.fromCharCode(97 + c)).join(' '));
    for (let r = 0; r < size; r++) {
      const cells: string[] = [];
      for (let c = 0; c < size; c++) cells.push('.XO'[this.board[r * size + c]]);
      lines.push(`${String(r + 1).padStart(2)} ${' '.repeat(r)}${cells.join(' ')}`);
    }
    lines.push(`X connects top-bottom, O left-right; ${this.winner >= 0 ? `${'XO'[this.winner]} has won` : `${'XO'[this.moves & 1]} to move`}`);
    return lines.join('\n');
  }
}
