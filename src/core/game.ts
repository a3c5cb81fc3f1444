/**
 * The Game/State interface every arbor algorithm speaks (OpenSpiel's model, tuned for speed):
 * a `Game` describes the rules; a mutable `State` is played in place.
 *
 * Conventions every game follows:
 * - Players are 0..numPlayers-1; player 0 moves first.
 * - Actions are integers in [0, numActions). The action space is laid out by `actionLayout`:
 *   spatial action planes first (each `cell` plane covers rows*cols entries, row-major; each
 *   `column` plane covers cols entries), then the global actions (e.g. `pass`).
 * - `encode` writes `encoding.planes.length` planes of rows*cols floats, row-major, from the
 *   point of view of the player to move. Plane names say their role (`own:stone`,
 *   `opp:stone`, `cell:exists`, ...) so a network trained on one game maps onto another by name.
 * - Hot paths (`apply`, `legalActions`, `encode`, `hash`, `copyFrom`) allocate nothing.
 */

export interface BoardShape {
  readonly rows: number;
  readonly cols: number;
}

/** How the policy head's spatial output is read back as actions. */
export interface ActionPlane {
  /** Kind-named: `place`, `drop`, `move:N`, `move:NE`, ... */
  readonly name: string;
  /** `cell`: one action per board cell; `column`: one action per column (e.g. Connect Four drops). */
  readonly extent: 'cell' | 'column';
}

export interface ActionLayout {
  readonly planes: readonly ActionPlane[];
  /** Non-spatial actions after the planes, by name: e.g. `pass`, `swap`. */
  readonly globals: readonly string[];
}

/**
 * A symmetry of the rules: mapping every cell and every action through it maps a game onto an
 * equally valid game. `cellMap[c]` is the image of cell c; `actionMap[a]` the image of action a.
 * Encoded planes transform by `cellMap` (plane p, cell c -> plane p, cell cellMap[c]).
 */
export interface Symmetry {
  readonly name: string;
  readonly cellMap: Int32Array;
  readonly actionMap: Int32Array;
}

export interface Game {
  /** Registered name, e.g. `connect4`. */
  readonly id: string;
  /** Canonical spec string: `connect4` for the defaults, `connect4:rows=5,cols=6` otherwise. */
  readonly spec: string;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly numPlayers: number;
  readonly numActions: number;
  readonly shape: BoardShape;
  /** Named input planes; the encoded size is planes.length * rows * cols. */
  readonly encoding: { readonly planes: readonly string[] };
  readonly actionLayout: ActionLayout;
  /** All symmetries except the identity (may be empty). */
  readonly symmetries: readonly Symmetry[];
  /** An upper bound on the number of moves in a game (buffers are sized by it). */
  readonly maxGameLength: number;
  /** Whether different move orders can reach the same position (the conformance kit checks hashes then). */
  readonly hasTranspositions: boolean;

  newInitialState(): State;
  /** Human notation of an action: `d3` for cells, 1-based digits for Connect Four columns, `pass`. */
  actionToString(action: number): string;
  /** Reads one action in the game's notation; throws ArborError naming what is allowed. */
  parseAction(text: string): number;
  /**
   * Reads a position given as its move sequence from the start (e.g. Connect Four `4453`, or
   * `d3 c5 pass` for games whose moves are longer than one character). Throws ArborError on a
   * malformed or illegal move, naming the move and its index.
   */
  parseState(moves: string): State;
  /** Writes a move sequence so that `parseState(formatMoves(m))` replays it. */
  formatMoves(actions: ArrayLike<number>): string;
}

export interface State {
  readonly game: Game;
  /** The player to move, or -1 once the game is over. */
  currentPlayer(): number;
  /** Writes the legal actions (ascending) into `out` and returns how many there are. */
  legalActions(out: Int32Array): number;
  /** Writes 1 for legal actions and 0 elsewhere into `out` (length numActions). */
  legalMask(out: Uint8Array): void;
  isLegal(action: number): boolean;
  /** Plays an action in place; throws ArborError if it is not legal here. */
  apply(action: number): void;
  clone(): State;
  /** Overwrites this state with `other` (same game) without allocating. */
  copyFrom(other: State): void;
  isTerminal(): boolean;
  /** The final return of `player` (+1 win, 0 draw, -1 loss for the built-ins); 0 before the end. */
  returnOf(player: number): number;
  /** Number of actions played since the start (passes included). */
  moveNumber(): number;
  /** The i-th action played since the start. */
  actionAt(i: number): number;
  /**
   * Writes the input planes for the player to move into `out` at `offset`. The encoding is a
   * function of the position that `hash` identifies (no move-order history), so equal hashes
   * mean equal inputs and transpositions share cache entries.
   */
  encode(out: Float32Array, offset: number): void;
  /** Zobrist hash of the position and the player to move: an integer in [0, 2^53). */
  hash(): number;
  /** The move sequence from the start, in the game's notation (round-trips through parseState). */
  toMoveString(): string;
  /** A text board for people. */
  toString(): string;
}

/** Convenience (allocates): the legal actions as a plain array. */
export function legalActionList(state: State): number[] {
  const buf = new Int32Array(state.game.numActions);
  const n = state.legalActions(buf);
  return Array.from(buf.subarray(0, n));
}

/** Size of the encoded input of one position (planes * rows * cols). */
export function encodedSize(game: Game): number {
  return game.encoding.planes.length * game.shape.rows * game.shape.cols;
}
