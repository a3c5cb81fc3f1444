import { combineHash } from './zobrist.js';
import type { Game, State } from '../core/index.js';

/**
 * The bookkeeping every built-in State keeps besides its board: the actions played (a buffer
 * of `maxGameLength`), the move counter and the two int32 halves of the Zobrist hash.
 *
 * The fields are written by the subclasses' own `apply`/`copyFrom`, so those hot paths stay
 * monomorphic (each call site only ever sees one class). Only the cold readers live here;
 * `copyBookkeeping` is the one shared method on the copy path and does four plain copies.
 */
export abstract class BoardStateBase<G extends Game> {
  readonly game: G;
  /** history[i] is the i-th action played; entries past `moves` are stale. */
  protected readonly history: Int32Array;
  protected moves = 0;
  /** Zobrist hash of the position and the player to move, as two 32-bit halves (see zobrist.ts). */
  protected hashLo = 0;
  protected hashHi = 0;

  constructor(game: G) {
    this.game = game;
    this.history = new Int32Array(game.maxGameLength);
  }

  abstract copyFrom(other: State): void;

  /** Copies the history, move counter and hash from `other` (a state of the same game). */
  protected copyBookkeeping(other: BoardStateBase<G>): void {
    this.history.set(other.history);
    this.moves = other.moves;
    this.hashLo = other.hashLo;
    this.hashHi = other.hashHi;
  }

  /** A fresh initial state overwritten by this one (allocates; search reuses states via copyFrom). */
  clone(): this {
    const s = this.game.newInitialState() as unknown as this;
    s.copyFrom(this as unknown as State);
    return s;
  }
  moveNumber(): number {
    return this.moves;
  }
  actionAt(i: number): number {
    return this.history[i];
  }
  hash(): number {
    return combineHash(this.hashLo, this.hashHi);
  }
  toMoveString(): string {
    return this.game.formatMoves(this.history.subarray(0, this.moves));
  }
}
