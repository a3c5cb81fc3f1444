/**
 * One self-play game as it was played: every searched move with what its search returned, the
 * outcome, how resignation went, and the final position. Training targets are computed from it
 * by the pure functions in ./targets (nothing about targets is decided while playing).
 *
 * Per-move data are struct-of-arrays over the game's `plies` searched moves, in the order they
 * were played; `numActions` and `inputSize` give the row lengths of the flat per-move arrays.
 * Values are float32, as the replay data store them.
 */
export interface Trajectory {
  /** Game spec. */
  readonly game: string;
  /** Seed of the game's random stream (openings, playout caps, move sampling). */
  readonly seed: string;
  /** Moves played uniformly at random before the first search (opening diversity); never searched, never samples. */
  readonly openingActions: Int32Array;
  /** Searched moves. The last one may be a resignation: searched, but no action played. */
  readonly plies: number;
  readonly numActions: number;
  /** Floats of one encoded position (encodedSize of the game). */
  readonly inputSize: number;
  /** Player to move at each searched move. */
  readonly players: Int8Array;
  /** 1 = a full search (noised, a training sample), 0 = a cheap one (playout cap randomization, Wu 2019 §3.1). */
  readonly full: Uint8Array;
  /** Simulations the move's search was given. */
  readonly simulations: Int32Array;
  /** Action played after each search; -1 for a resignation. */
  readonly actions: Int32Array;
  /** Root search value q for the player to move. */
  readonly rootValues: Float32Array;
  /** The network's value of the position for the player to move. */
  readonly networkValues: Float32Array;
  /** plies × numActions: the search's improved policy (visit distribution, or Gumbel's completed-Q policy). */
  readonly policies: Float32Array;
  /** plies × numActions: root child visit counts. */
  readonly visits: Float32Array;
  /** plies × numActions: the network's prior at the root, over the legal actions, without noise or temperature. */
  readonly priors: Float32Array;
  /** plies × inputSize: the position before each searched move, encoded from its mover's side. */
  readonly inputs: Float32Array;
  /** plies × numActions: 1 = legal. */
  readonly masks: Uint8Array;
  /** Return of each player: the game's result, or after a resignation −1 for the resigner and +1 for the other. */
  readonly outcome: readonly number[];
  readonly resignation: Resignation;
  readonly final: FinalPosition;
  /** Wall-clock time the game took to play, in ms. */
  readonly playMs: number;
}

/** Resignation as AlphaGo Zero does it (Silver et al. 2017, "Methods"), with playthrough games. */
export interface Resignation {
  /** The player who resigned, or -1. */
  readonly resignedBy: number;
  /** Whether this game was chosen to be played out whatever the values say (to count false resignations). */
  readonly playthrough: boolean;
  /** Per player: whether the resignation rule fired for them at some point (in a playthrough game, without ending it). */
  readonly wouldResign: readonly boolean[];
}

/** The position the game ended in. */
export interface FinalPosition {
  /** inputSize floats: the encoding of the final position. */
  readonly inputs: Float32Array;
  /**
   * The player from whose side `inputs` was encoded: a finished game encodes from the side of the
   * player who would move next, i.e. the last mover's opponent (every built-in game hands the
   * move over at the end); a resigned game stops before the resigner's move, so it is theirs.
   */
  readonly perspective: number;
}

/** Whether the game counts as a false resignation: a playthrough game that a would-be resigner did not lose. */
export function isFalseResignation(t: Trajectory): boolean {
  const r = t.resignation;
  if (!r.playthrough) return false;
  return r.wouldResign.some((would, player) => would && t.outcome[player] >= 0);
}
