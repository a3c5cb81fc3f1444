import { ArborError, type Game, type State } from '../../core/index.js';
import type { MoveSet, Primitive, ProgramContext } from '../types.js';

/**
 * The rules as primitives, generic over arbor's Game interface: legal moves, the position after
 * a move, immediate wins and losses, the end of the game, and where a move is on the board. Each
 * position made costs one node of the call's budget. Positions and move sets are written into
 * scratch buffers made once per call site (Primitive.instantiate), so the hot path allocates
 * nothing.
 */

/** The plain `fn` of a primitive that has `instantiate`: builds a fresh instance per call (allocates; for callers outside compiled programs). */
function viaInstance(instantiate: (game: Game) => (ctx: ProgramContext, ...args: never[]) => unknown): Primitive['fn'] {
  return (ctx, ...args) => (instantiate(ctx.game) as (c: ProgramContext, ...a: never[]) => unknown)(ctx, ...args);
}

function checkMove(state: State, move: number, name: string): void {
  if (!state.isLegal(move)) throw new ArborError(`(${name} ...): ${Number.isInteger(move) && move >= 0 && move < state.game.numActions ? state.game.actionToString(move) : move} is not a legal move here`);
}

const legalMovesInstance = (game: Game) => {
  const set: { actions: Int32Array; count: number } = { actions: new Int32Array(game.numActions), count: 0 };
  return (_ctx: ProgramContext, pos: State): MoveSet => {
    set.count = pos.isTerminal() ? 0 : pos.legalActions(set.actions);
    return set;
  };
};

export const legalMoves: Primitive = {
  name: 'legal-moves',
  args: ['position'],
  result: 'moves',
  pure: true,
  doc: 'the legal moves of the position (none once the game is over)',
  instantiate: legalMovesInstance,
  fn: viaInstance(legalMovesInstance),
};

const afterInstance = (game: Game) => {
  const child = game.newInitialState();
  return (ctx: ProgramContext, pos: State, move: number): State => {
    checkMove(pos, move, 'after');
    ctx.budget.nodes--;
    child.copyFrom(pos);
    child.apply(move);
    return child;
  };
};

export const after: Primitive = {
  name: 'after',
  args: ['position', 'move'],
  result: 'position',
  pure: true,
  doc: 'the position after the move (costs one node)',
  instantiate: afterInstance,
  fn: viaInstance(afterInstance),
};

const winNowInstance = (game: Game) => {
  const child = game.newInitialState();
  return (ctx: ProgramContext, pos: State, move: number): boolean => {
    checkMove(pos, move, 'win-now?');
    ctx.budget.nodes--;
    const mover = pos.currentPlayer();
    child.copyFrom(pos);
    child.apply(move);
    return child.isTerminal() && child.returnOf(mover) > 0;
  };
};

export const winNow: Primitive = {
  name: 'win-now?',
  args: ['position', 'move'],
  result: 'boolean',
  pure: true,
  doc: 'whether the move wins the game at once for the player to move (costs one node)',
  instantiate: winNowInstance,
  fn: viaInstance(winNowInstance),
};

const losesNowInstance = (game: Game) => {
  const child = game.newInitialState();
  const grandchild = game.newInitialState();
  const replies = new Int32Array(game.numActions);
  return (ctx: ProgramContext, pos: State, move: number): boolean => {
    checkMove(pos, move, 'loses-now?');
    const mover = pos.currentPlayer();
    child.copyFrom(pos);
    child.apply(move);
    ctx.budget.nodes--;
    if (child.isTerminal()) return child.returnOf(mover) < 0;
    const opponent = child.currentPlayer();
    if (opponent === mover) return false;
    const n = child.legalActions(replies);
    for (let i = 0; i < n; i++) {
      ctx.budget.nodes--;
      grandchild.copyFrom(child);
      grandchild.apply(replies[i]);
      if (grandchild.isTerminal() && grandchild.returnOf(opponent) > 0) return true;
    }
    return false;
  };
};

export const losesNow: Primitive = {
  name: 'loses-now?',
  args: ['position', 'move'],
  result: 'boolean',
  pure: true,
  doc: 'whether, after the move, the opponent can win at once (or the move itself loses); costs a node per position tried',
  instantiate: losesNowInstance,
  fn: viaInstance(losesNowInstance),
};

export const terminal: Primitive = {
  name: 'terminal?',
  args: ['position'],
  result: 'boolean',
  pure: true,
  doc: 'whether the game is over in the position',
  fn: (_ctx, pos: State) => pos.isTerminal(),
};

const numMovesInstance = (game: Game) => {
  const buffer = new Int32Array(game.numActions);
  return (_ctx: ProgramContext, pos: State): number => (pos.isTerminal() ? 0 : pos.legalActions(buffer));
};

export const numMoves: Primitive = {
  name: 'num-moves',
  args: ['position'],
  result: 'number',
  pure: true,
  doc: 'how many legal moves the position has (0 once the game is over)',
  instantiate: numMovesInstance,
  fn: viaInstance(numMovesInstance),
};

/**
 * Row and column of every action, from the game's action layout: a `cell` action is its cell; a
 * `column` action (a Connect Four drop) has its column and the board's middle row, since where it
 * lands depends on the position; a global action (`pass`) has row and column -1.
 */
function actionGeometry(game: Game): { rows: Float64Array; cols: Float64Array } {
  const rows = new Float64Array(game.numActions).fill(-1);
  const cols = new Float64Array(game.numActions).fill(-1);
  const { rows: r, cols: c } = game.shape;
  let a = 0;
  for (const plane of game.actionLayout.planes) {
    const size = plane.extent === 'cell' ? r * c : c;
    for (let i = 0; i < size && a < game.numActions; i++, a++) {
      rows[a] = plane.extent === 'cell' ? Math.floor(i / c) : (r - 1) / 2;
      cols[a] = i % c;
    }
  }
  return { rows, cols };
}

const geometryCache = new WeakMap<Game, { rows: Float64Array; cols: Float64Array }>();

function geometry(game: Game): { rows: Float64Array; cols: Float64Array } {
  let g = geometryCache.get(game);
  if (!g) geometryCache.set(game, (g = actionGeometry(game)));
  return g;
}

function moveIndex(game: Game, move: number, name: string): number {
  if (!Number.isInteger(move) || move < 0 || move >= game.numActions) throw new ArborError(`(${name} ...): ${move} is not a move of ${game.spec}`);
  return move;
}

export const moveRow: Primitive = {
  name: 'move-row',
  args: ['move'],
  result: 'number',
  pure: true,
  doc: 'the board row of the move (0 = top; a column drop: the middle row; pass: -1)',
  instantiate: (game) => {
    const { rows } = geometry(game);
    return (_ctx: ProgramContext, move: number) => rows[moveIndex(game, move, 'move-row')];
  },
  fn: (ctx, move: number) => geometry(ctx.game).rows[moveIndex(ctx.game, move, 'move-row')],
};

export const moveCol: Primitive = {
  name: 'move-col',
  args: ['move'],
  result: 'number',
  pure: true,
  doc: 'the board column of the move (0 = left; pass: -1)',
  instantiate: (game) => {
    const { cols } = geometry(game);
    return (_ctx: ProgramContext, move: number) => cols[moveIndex(game, move, 'move-col')];
  },
  fn: (ctx, move: number) => geometry(ctx.game).cols[moveIndex(ctx.game, move, 'move-col')],
};

export const boardRows: Primitive = {
  name: 'board-rows',
  args: [],
  result: 'number',
  pure: true,
  doc: 'the number of board rows',
  fn: (ctx) => ctx.game.shape.rows,
};

export const boardCols: Primitive = {
  name: 'board-cols',
  args: [],
  result: 'number',
  pure: true,
  doc: 'the number of board columns',
  fn: (ctx) => ctx.game.shape.cols,
};

export const basicPrimitives: readonly Primitive[] = [legalMoves, after, winNow, losesNow, terminal, numMoves, moveRow, moveCol, boardRows, boardCols];
