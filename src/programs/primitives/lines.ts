import { completesLine } from '../../envs/index.js';
import type { Primitive, Position, ProgramContext } from '../types.js';
import { boardView, EMPTY, OFF_BOARD, OPP, OWN, sideMark, type BoardView } from './board-view.js';

/**
 * Lines and threats of k-in-a-row games (gomoku, Connect Four, tic-tac-toe): the features every
 * hand-written evaluator of these games is built from (Allis 1988 for Connect Four threats;
 * the open-line counts of classic gomoku and Connect Four evaluation functions). A window is any
 * k cells in a row (k = the game's win length, board-view.ts winLength) horizontally, vertically
 * or diagonally; it is open for a side when it holds no stone of the other side (and no cell
 * off the board). Sides are numbers: 0 (`(own)`) the player to move, 1 (`(opp)`) the opponent.
 * Games not won by lines (othello, breakthrough, hex) have no windows: every count is 0.
 */

/** Windows open for `mark` holding exactly `stones` of its stones. */
export function countOpenLines(view: BoardView, marks: Uint8Array, mark: number, stones: number): number {
  const k = view.k;
  if (!(stones >= 0 && stones <= k)) return 0;
  const w = view.windows;
  let count = 0;
  for (let start = 0; start < w.length; start += k) {
    let own = 0;
    let open = true;
    for (let i = 0; i < k; i++) {
      const m = marks[w[start + i]];
      if (m === mark) own++;
      else if (m !== EMPTY) {
        open = false;
        break;
      }
    }
    if (open && own === stones) count++;
  }
  return count;
}

/** Empty cells where a stone of `mark` would complete a line of k. */
export function countThreats(view: BoardView, marks: Uint8Array, mark: number): number {
  if (view.k === 0) return 0;
  let count = 0;
  for (let c = 0; c < view.cells; c++) {
    if (marks[c] !== EMPTY) continue;
    if (completesLine(marks, view.rows, view.cols, Math.floor(c / view.cols), c % view.cols, mark, view.k)) count++;
  }
  return count;
}

function openLines(ctx: ProgramContext, pos: Position, side: number, stones: number): number {
  const view = boardView(ctx.game);
  return countOpenLines(view, view.read(pos), sideMark(side), Math.round(stones));
}

function threats(ctx: ProgramContext, pos: Position, side: number): number {
  const view = boardView(ctx.game);
  return countThreats(view, view.read(pos), sideMark(side));
}

/** Whether a stone of `side` on the cell move `m` plays on would complete a line of k (a threat there). */
function threatAt(ctx: ProgramContext, pos: Position, move: number, side: number): boolean {
  const view = boardView(ctx.game);
  if (view.k === 0 || !(move >= 0 && move < ctx.game.numActions)) return false;
  const marks = view.read(pos);
  const cell = view.targetCell(move);
  if (cell < 0 || marks[cell] === OFF_BOARD) return false;
  return completesLine(marks, view.rows, view.cols, Math.floor(cell / view.cols), cell % view.cols, sideMark(side), view.k);
}

export const linePrimitives: readonly Primitive[] = [
  { name: 'own', args: [], result: 'number', pure: true, doc: 'the side to move, as the side argument of line and threat primitives (0)', fn: () => OWN - 1 },
  { name: 'opp', args: [], result: 'number', pure: true, doc: 'the opponent, as the side argument of line and threat primitives (1)', fn: () => OPP - 1 },
  {
    name: 'open-lines',
    args: ['position', 'number', 'number'],
    result: 'number',
    pure: true,
    doc: '(open-lines pos side n): windows of the win length k holding exactly n stones of side and none of the other (0 in games without lines)',
    fn: openLines as Primitive['fn'],
  },
  {
    name: 'threats',
    args: ['position', 'number'],
    result: 'number',
    pure: true,
    doc: '(threats pos side): empty cells where a stone of side would complete a line of k (Allis\' threats; 0 in games without lines)',
    fn: threats as Primitive['fn'],
  },
  {
    name: 'threat-at?',
    args: ['position', 'move', 'number'],
    result: 'boolean',
    pure: true,
    doc: '(threat-at? pos m side): a stone of side on the cell move m plays on would complete a line of k',
    fn: threatAt as Primitive['fn'],
  },
];
