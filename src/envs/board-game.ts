import { ArborError, type ActionLayout, type BoardShape, type Game, type State, type Symmetry } from '../core/index.js';
import { cellToString, lastCellName, parseCell, replayTokens, splitMoveTokens } from './notation.js';

/**
 * The Game half shared by the built-in two-player board games: the constants they agree on,
 * and notation for games whose actions are the board's cells (row-major, `d3`) followed by
 * named global actions (`pass`, `swap`) — the `actionLayout.globals`, numbered after the cells.
 * Games with other actions (Connect Four's columns, Breakthrough's from-to moves) override
 * `actionToString`/`parseAction` and keep the rest. None of this is on a hot path.
 */
export abstract class BoardGameBase<S extends State> implements Game {
  abstract readonly id: string;
  abstract readonly spec: string;
  abstract readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly numPlayers = 2;
  abstract readonly numActions: number;
  abstract readonly shape: BoardShape;
  abstract readonly encoding: { readonly planes: readonly string[] };
  abstract readonly actionLayout: ActionLayout;
  abstract readonly symmetries: readonly Symmetry[];
  abstract readonly maxGameLength: number;
  readonly hasTranspositions = true;
  /** What `formatMoves` puts between moves (`parseState` must split it back). */
  protected readonly moveSeparator: string = ' ';

  abstract newInitialState(): S;

  actionToString(action: number): string {
    const { rows, cols } = this.shape;
    const globals = this.actionLayout.globals;
    const g = action - rows * cols;
    if (g >= 0 && g < globals.length) return globals[g];
    return cellToString(action, cols);
  }
  parseAction(text: string): number {
    const { rows, cols } = this.shape;
    const t = text.trim().toLowerCase();
    const g = this.actionLayout.globals.indexOf(t);
    if (g >= 0) return rows * cols + g;
    const cell = parseCell(t, rows, cols);
    if (cell < 0) throw new ArborError(this.notAMoveMessage(text));
    return cell;
  }
  /** The one-line error for text that is neither a cell nor a global action. */
  protected notAMoveMessage(text: string): string {
    const { rows, cols } = this.shape;
    const globals = this.actionLayout.globals.map((g) => ` or ${g}`).join('');
    return `${this.id}: "${text}" is not a cell of this ${rows}x${cols} board; write a1..${lastCellName(rows, cols)}${globals}`;
  }
  /** Splits a move string into the tokens `parseAction` reads. */
  protected moveTokens(moves: string): string[] {
    return splitMoveTokens(moves);
  }
  parseState(moves: string): S {
    const state = this.newInitialState();
    return replayTokens(state, this.moveTokens(moves), (t) => this.parseAction(t), (a) => state.isLegal(a), this.id);
  }
  formatMoves(actions: ArrayLike<number>): string {
    return Array.from(actions, (a) => this.actionToString(a)).join(this.moveSeparator);
  }
}
