import { BoardStateBase } from './board-state.js';
import type { Game } from '../core/index.js';

/**
 * A BoardStateBase for two-player games decided by a single winner (or a draw with none):
 * tic-tac-toe, Connect Four, gomoku, Hex, Breakthrough. Othello, scored by discs, is not one.
 */
export abstract class WinnerStateBase<G extends Game> extends BoardStateBase<G> {
  /** The winning player, or -1 (game still on, or drawn). */
  protected winner = -1;

  /** +1 for the winner, -1 for the loser, 0 for both in a draw or before the end. */
  returnOf(player: number): number {
    if (this.winner < 0) return 0;
    return this.winner === player ? 1 : -1;
  }
  /** The winning player, or -1 (no winner yet, or a draw). */
  winnerIndex(): number {
    return this.winner;
  }
}
