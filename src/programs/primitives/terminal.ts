import type { Position } from '../types.js';

/**
 * The value of a finished position "for the player to move" (types.ts: values are for the player
 * to move in the position they describe). Once a game is over nobody moves (`currentPlayer()` is
 * -1), so the player who would move next in turn order stands in: player `moveNumber % players`
 * (passes are moves in arbor's games, so turns alternate with the move count). A position just
 * won by the last mover is then worth -1, as negamax expects one ply below a winning move.
 */
export function terminalValue(pos: Position): number {
  const next = pos.moveNumber() % pos.game.numPlayers;
  return Math.sign(pos.returnOf(next));
}
