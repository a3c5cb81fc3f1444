import type { Game } from '../../core/index.js';
import type { MoveSet, Primitive, Position, ProgramContext } from '../types.js';
import { chargeNodes, perGame } from './budget.js';
import { boardView } from './board-view.js';

/**
 * One-move tactics through the Game interface only: which moves win at once, and which let the
 * opponent win at once (the "decisive" and "anti-decisive" moves of Teytaud & Teytaud, "On the
 * huge benefit of decisive moves in Monte-Carlo Tree Search algorithms", CIG 2010). Each position
 * visited is charged as a node; the work is bounded (at most numActions^2 positions), so these
 * always finish. Move sets returned are fresh (a program may keep one while asking again).
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
  readonly out: Int32Array;
}
const scratchOfGame = perGame((game: Game): ReplyScratch => ({ reply: game.newInitialState(), replies: new Int32Array(game.numActions), out: new Int32Array(game.numActions) }));
const scratchOf = (ctx: ProgramContext): ReplyScratch => scratchOfGame(ctx.game);

function moveSet(buffer: Int32Array, count: number): MoveSet {
  return { actions: buffer.slice(0, count), count };
}

const WINNING = 0;
const LOSING = 1;
const SAFE = 2;

/** The legal moves of `pos` that win at once, lose at once, or do not lose at once (`kind`), as a fresh move set. */
function movesOfKind(ctx: ProgramContext, pos: Position, kind: number): MoveSet {
  const s = scratchOf(ctx);
  const legal = boardView(ctx.game).legal;
  const n = pos.legalActions(legal);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const m = legal[i];
    const keep = kind === WINNING ? winsAt(ctx, pos, m) : losesAt(ctx, pos, m, s.reply, s.replies) === (kind === LOSING);
    if (keep) s.out[count++] = m;
  }
  // Every move loses: no move is safer than another, so all are offered.
  if (kind === SAFE && count === 0) return moveSet(legal, n);
  return moveSet(s.out, count);
}

export const tacticPrimitives: readonly Primitive[] = [
  { name: 'wins-now?', args: ['position', 'move'], result: 'boolean', pure: true, doc: '(wins-now? pos m): move m ends the game with a win for the player to move', fn: winsAt as Primitive['fn'] },
  {
    name: 'loses-now?',
    args: ['position', 'move'],
    result: 'boolean',
    pure: true,
    doc: '(loses-now? pos m): after move m the opponent has a move that wins at once',
    fn: ((ctx: ProgramContext, pos: Position, m: number) => {
      const s = scratchOf(ctx);
      return losesAt(ctx, pos, m, s.reply, s.replies);
    }) as Primitive['fn'],
  },
  { name: 'winning-moves', args: ['position'], result: 'moves', pure: true, doc: 'the legal moves that win at once', fn: ((ctx: ProgramContext, pos: Position) => movesOfKind(ctx, pos, WINNING)) as Primitive['fn'] },
  { name: 'losing-moves', args: ['position'], result: 'moves', pure: true, doc: 'the legal moves after which the opponent can win at once', fn: ((ctx: ProgramContext, pos: Position) => movesOfKind(ctx, pos, LOSING)) as Primitive['fn'] },
  { name: 'safe-moves', args: ['position'], result: 'moves', pure: true, doc: 'the legal moves that do not let the opponent win at once (all legal moves if every move does)', fn: ((ctx: ProgramContext, pos: Position) => movesOfKind(ctx, pos, SAFE)) as Primitive['fn'] },
];
