import type { Game } from '../../core/index.js';
import type { MoveSet, Primitive, Position, ProgramContext } from '../types.js';
import { chargeNodes, perGame } from './budget.js';
import { boardView } from './board-view.js';

/**
 * One-move tactics through the Game interface only: which moves win at once, and which let the
 * opponent win at once (the "decisive" and "anti-decisive" moves of Teytaud & Teytaud, "On the
 * huge benefit of decisive moves in Monte-Carlo Tree Search algorithms", CIG 2010). Each position
 * visited is charged as a node; the work is bounded (at most numActions^2 positions), so these
 * always finish.
 */

/** Whether playing `move` in `pos` ends the game with a win for the player to move. */
function winsAt(ctx: ProgramContext, pos: Position, move: number): boolean {
  if (!pos.isLegal(move)) return false;
  const probe = boardView(ctx.game).probe;
  const mover = pos.currentPlayer();
  probe.copyFrom(pos);
  probe.apply(move);
  chargeNodes(ctx, 1);
  return probe.isTerminal() && probe.returnOf(mover) > 0;
}

/**
 * Whether after `move` the opponent (if it moves next) has a move that wins at once. Uses a
 * second scratch state: `probe` holds the position after `move` while replies are tried on `reply`.
 */
function losesAt(ctx: ProgramContext, pos: Position, move: number, reply: Position, replies: Int32Array): boolean {
  if (!pos.isLegal(move)) return false;
  const probe = boardView(ctx.game).probe;
  const mover = pos.currentPlayer();
  probe.copyFrom(pos);
  probe.apply(move);
  chargeNodes(ctx, 1);
  if (probe.isTerminal()) return false;
  const opponent = probe.currentPlayer();
  if (opponent === mover) return false;
  const n = probe.legalActions(replies);
  for (let i = 0; i < n; i++) {
    reply.copyFrom(probe);
    reply.apply(replies[i]);
    chargeNodes(ctx, 1);
    if (reply.isTerminal() && reply.returnOf(opponent) > 0) return true;
  }
  return false;
}

interface ReplyScratch {
  readonly reply: Position;
  readonly replies: Int32Array;
}
const scratchOfGame = perGame((game: Game): ReplyScratch => ({ reply: game.newInitialState(), replies: new Int32Array(game.numActions) }));

const WINNING = 0;
const LOSING = 1;
const SAFE = 2;

/**
 * Writes into `out` the legal moves of `pos` that win at once, lose at once, or do not lose at
 * once (`kind`); every move when none is safe (no move is safer than another then). Returns `out`.
 */
function movesOfKind(ctx: ProgramContext, pos: Position, kind: number, out: { actions: Int32Array; count: number }): MoveSet {
  const s = scratchOfGame(ctx.game);
  const legal = boardView(ctx.game).legal;
  const n = pos.legalActions(legal);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const m = legal[i];
    const keep = kind === WINNING ? winsAt(ctx, pos, m) : losesAt(ctx, pos, m, s.reply, s.replies) === (kind === LOSING);
    if (keep) out.actions[count++] = m;
  }
  if (kind === SAFE && count === 0) {
    out.actions.set(legal.subarray(0, n));
    count = n;
  }
  out.count = count;
  return out;
}

/**
 * A move-set primitive: compiled call sites get their own buffer (`instantiate`, types.ts), valid
 * until the site runs again, so they allocate nothing; plain `fn` calls get a fresh set.
 */
function moveSetPrimitive(name: string, kind: number, doc: string): Primitive {
  return {
    name,
    args: ['position'],
    result: 'moves',
    pure: true,
    doc,
    instantiate: (game: Game) => {
      const out = { actions: new Int32Array(game.numActions), count: 0 };
      return ((ctx: ProgramContext, pos: Position) => movesOfKind(ctx, pos, kind, out)) as (ctx: ProgramContext, ...args: never[]) => unknown;
    },
    fn: ((ctx: ProgramContext, pos: Position) => movesOfKind(ctx, pos, kind, { actions: new Int32Array(ctx.game.numActions), count: 0 })) as Primitive['fn'],
  };
}

/**
 * `win-now?` and `loses-now?` (one move) are basic primitives (basic.ts); these are their move
 * sets, for `argmax` over the safe moves or a test for any winning move.
 */
export const tacticPrimitives: readonly Primitive[] = [
  moveSetPrimitive('winning-moves', WINNING, 'the legal moves that win at once'),
  moveSetPrimitive('losing-moves', LOSING, 'the legal moves after which the opponent can win at once'),
  moveSetPrimitive('safe-moves', SAFE, 'the legal moves that do not let the opponent win at once (all legal moves if every move does)'),
];
