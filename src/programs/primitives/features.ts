import type { Primitive, Position, ProgramContext } from '../types.js';
import { chargeNodes } from './budget.js';
import { boardView, OWN, sideMark } from './board-view.js';

/**
 * Board features generic over the role-named planes: material, mobility, centrality of a move,
 * distance to the goal. Each reads the position through `encode` (board-view.ts) and allocates
 * nothing.
 */

/** Own pieces minus the opponent's (stones in placement games, pawns in breakthrough, discs in othello). */
function material(ctx: ProgramContext, pos: Position): number {
  const view = boardView(ctx.game);
  const marks = view.read(pos);
  let diff = 0;
  for (let c = 0; c < view.cells; c++) {
    if (marks[c] === OWN) diff++;
    else if (marks[c] === OWN + 1) diff--;
  }
  return diff;
}

/**
 * Side 0: the number of legal moves of the player to move. Side 1: the opponent's mobility,
 * defined without a pass move (most games have none) as the mean number of legal replies the
 * opponent has after each of the mover's moves (0 after a move that ends the game or after which
 * the mover moves again). Side 1 visits every child position and charges each as a node.
 */
function mobility(ctx: ProgramContext, pos: Position, side: number): number {
  const view = boardView(ctx.game);
  const legal = view.legal;
  const n = pos.legalActions(legal);
  if (sideMark(side) === OWN) return n;
  if (n === 0) return 0;
  const probe = view.probe;
  const mover = pos.currentPlayer();
  let replies = 0;
  for (let i = 0; i < n; i++) {
    probe.copyFrom(pos);
    probe.apply(legal[i]);
    if (!probe.isTerminal() && probe.currentPlayer() !== mover) replies += probe.legalActions(view.probeLegal);
  }
  chargeNodes(ctx, n);
  return replies / n;
}

/**
 * 1 for a move on the board's centre down to 0 for the cell farthest from it (Euclidean
 * distance, normalised by the corner's). A drop counts at the cell where the stone lands, a
 * piece move at its destination; a move without a cell (pass) and an illegal action id score 0.
 */
function centrality(ctx: ProgramContext, pos: Position, move: number): number {
  const view = boardView(ctx.game);
  if (!(move >= 0 && move < ctx.game.numActions)) return 0;
  view.read(pos);
  const cell = view.targetCell(move);
  return cell >= 0 ? view.centrality[cell] : 0;
}

/**
 * Rows the most advanced piece of `side` still has to go to reach its goal row, in games whose
 * pieces advance (`move:*` action planes and a `side:first-player` plane: breakthrough's
 * convention, the first player moving toward row 0, the second toward the last row). A side with
 * no piece left is `rows` away. Games without such a goal (placement games, othello): 0.
 */
function goalDistance(ctx: ProgramContext, pos: Position, side: number): number {
  const view = boardView(ctx.game);
  if (!view.advances) return 0;
  const marks = view.read(pos);
  const mark = sideMark(side);
  const moverFirst = view.moverIsFirst(pos);
  const towardTop = mark === OWN ? moverFirst : !moverFirst;
  let best = view.rows;
  for (let c = 0; c < view.cells; c++) {
    if (marks[c] !== mark) continue;
    const r = Math.floor(c / view.cols);
    const d = towardTop ? r : view.rows - 1 - r;
    if (d < best) best = d;
  }
  return best;
}

export const featurePrimitives: readonly Primitive[] = [
  { name: 'material', args: ['position'], result: 'number', pure: true, doc: 'pieces of the player to move minus the opponent\'s', fn: material as Primitive['fn'] },
  {
    name: 'mobility',
    args: ['position', 'number'],
    result: 'number',
    pure: true,
    doc: '(mobility pos side): legal moves of the player to move (side 0), or the opponent\'s mean number of replies over those moves (side 1)',
    fn: mobility as Primitive['fn'],
  },
  { name: 'centrality', args: ['position', 'move'], result: 'number', pure: true, doc: '(centrality pos m): 1 when move m plays on the board centre down to 0 at the farthest cell', fn: centrality as Primitive['fn'] },
  {
    name: 'goal-distance',
    args: ['position', 'number'],
    result: 'number',
    pure: true,
    doc: '(goal-distance pos side): rows the most advanced piece of side must still go to its goal row (breakthrough); 0 in games without one',
    fn: goalDistance as Primitive['fn'],
  },
];
