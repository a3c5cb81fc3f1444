import { BoardGameBase } from '../board-game.js';
import { ArborError, type State, type Symmetry } from '../../core/index.js';
import { cellToString, renderBoard } from '../notation.js';
import { encodeStonePlanes } from '../stone-planes.js';
import { boardSymmetries } from '../symmetry.js';
import { WinnerStateBase } from '../winner-state.js';
import { makeZobristKeys } from '../zobrist.js';

const CELLS = 9;
const LINES: readonly (readonly number[])[] = [
  [0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6],
];
/** LINES_THROUGH[cell] lists the lines through a cell, so a win check looks at 2-4 lines. */
const LINES_THROUGH: readonly (readonly (readonly number[])[])[] = Array.from({ length: CELLS }, (_, c) =>
  LINES.filter((l) => l.includes(c)),
);

/** Tic-tac-toe: 3x3, three in a row. Actions are cells 0..8 (`a1`..`c3`, row 1 on top). */
export class TicTacToeGame extends BoardGameBase<TicTacToeState> {
  readonly id = 'tictactoe';
  readonly spec = 'tictactoe';
  readonly params = {};
  readonly numActions = CELLS;
  readonly shape = { rows: 3, cols: 3 };
  readonly encoding = { planes: ['own:stone', 'opp:stone', 'cell:exists'] as const };
  readonly actionLayout = { planes: [{ name: 'place', extent: 'cell' as const }], globals: [] };
  readonly symmetries: readonly Symmetry[] = boardSymmetries(3, 3, true);
  readonly maxGameLength = CELLS;
  /** keys for (cell, player) pairs, then one for "player 1 to move". */
  readonly zobrist = makeZobristKeys(CELLS * 2 + 1, 'tictactoe');

  newInitialState(): TicTacToeState {
    return new TicTacToeState(this);
  }
  protected override notAMoveMessage(text: string): string {
    return `tictactoe: "${text}" is not a cell; write a column a-c and a row 1-3, e.g. b2`;
  }
}

export class TicTacToeState extends WinnerStateBase<TicTacToeGame> implements State {
  /** 0 empty, 1 player 0 (X), 2 player 1 (O). */
  private readonly board = new Uint8Array(CELLS);

  currentPlayer(): number {
    return this.isTerminal() ? -1 : this.moves & 1;
  }
  legalActions(out: Int32Array): number {
    if (this.isTerminal()) return 0;
    let n = 0;
    for (let c = 0; c < CELLS; c++) if (this.board[c] === 0) out[n++] = c;
    return n;
  }
  legalMask(out: Uint8Array): void {
    const done = this.isTerminal();
    for (let c = 0; c < CELLS; c++) out[c] = !done && this.board[c] === 0 ? 1 : 0;
  }
  isLegal(action: number): boolean {
    return Number.isInteger(action) && action >= 0 && action < CELLS && this.board[action] === 0 && !this.isTerminal();
  }
  apply(action: number): void {
    if (!this.isLegal(action)) {
      throw new ArborError(`tictactoe: illegal move ${Number.isInteger(action) && action >= 0 && action < CELLS ? cellToString(action, 3) : action}${this.isTerminal() ? ' (the game is over)' : ''}`);
    }
    const player = this.moves & 1;
    this.board[action] = player + 1;
    this.history[this.moves++] = action;
    const k = (action * 2 + player) * 2;
    this.hashLo ^= this.game.zobrist[k] ^ this.game.zobrist[CELLS * 4];
    this.hashHi ^= this.game.zobrist[k + 1] ^ this.game.zobrist[CELLS * 4 + 1];
    const mark = player + 1;
    for (const line of LINES_THROUGH[action]) {
      if (this.board[line[0]] === mark && this.board[line[1]] === mark && this.board[line[2]] === mark) {
        this.winner = player;
        return;
      }
    }
  }
  override copyFrom(other: State): void {
    const o = other as TicTacToeState;
    this.board.set(o.board);
    this.copyBookkeeping(o);
    this.winner = o.winner;
  }
  isTerminal(): boolean {
    return this.winner >= 0 || this.moves === CELLS;
  }
  encode(out: Float32Array, offset: number): void {
    encodeStonePlanes(this.board, CELLS, this.moves & 1, out, offset);
  }
  override toString(): string {
    return renderBoard(3, 3, (c) => '.XO'[this.board[c]]);
  }
}
