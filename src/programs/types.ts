import type { Game, Rng, State } from '../core/index.js';

/**
 * The types of arbor's agent language (issue 27): a program is a typed expression over a game
 * position that yields a policy (a move chooser) or a value (a position evaluator). Every
 * primitive — algorithmic (legal moves, open lines, bounded solve, alpha-beta, MCTS) or
 * geometric (a network's policy and value, learned pattern detectors) — has a signature over
 * these types, so the type checker prunes ill-typed programs before they run and the
 * synthesizer enumerates only well-typed ones (DeepCoder, Balog et al. 2017; Lelis et al.'s
 * programmatic strategies).
 */

/** Base types. `position` is a game state; `move` an action id; `moves` a set of action ids. */
export type BaseType = 'number' | 'boolean' | 'move' | 'moves' | 'position' | 'policy' | 'value';

/** A function type, for `lambda` and library functions: arguments, then result. */
export interface FunctionType {
  readonly args: readonly ProgramType[];
  readonly result: ProgramType;
}

export type ProgramType = BaseType | FunctionType;

/**
 * Run-time representation of each base type (what compiled closures pass around):
 * - number, value: a JS number (`value` is in [-1, 1], from the point of view of the player to
 *   move in the position it was computed for);
 * - boolean: a JS boolean;
 * - move: an action id (integer in [0, game.numActions));
 * - moves: a `MoveSet` (a view; primitives never mutate one they were given);
 * - position: a `State` that must not be mutated (a primitive that needs a changed position
 *   works on its own clone or on a scratch state from the context);
 * - policy: a `Float32Array` of length game.numActions, zero on illegal moves, summing to 1.
 */
export interface MoveSet {
  /** Action ids, ascending, in `actions[0..count)`. */
  readonly actions: Int32Array;
  readonly count: number;
}

/** The compute a program may spend on one call (one move choice or one evaluation). */
export interface ProgramBudget {
  /** Nodes of exact solving / alpha-beta search. */
  nodes: number;
  /** MCTS simulations and random rollouts. */
  simulations: number;
  /**
   * Wall-clock deadline (performance.now() milliseconds); Infinity for none. The anytime
   * primitives (solve, alpha-beta, rollouts, MCTS) stop here and answer with their best so far;
   * the program then finishes its move (see `grace`).
   */
  deadline: number;
  /**
   * Milliseconds the program may run past `deadline` before it fails with "out of time" (checked
   * after every primitive call). Default: `overrunAllowance` of the time from the start of the run
   * to the deadline. Read by the compiled program only; primitives stop at `deadline`.
   */
  grace?: number;
}

/** What a running program sees besides its arguments. */
export interface ProgramContext {
  readonly game: Game;
  readonly rng: Rng;
  /** What is left of this call's budget; primitives decrement it and stop (answering "unknown" where they can) when it runs out. */
  readonly budget: ProgramBudget;
}

/** A primitive as the language sees it: its name in program text, its signature and its implementation. */
export interface Primitive {
  readonly name: string;
  readonly args: readonly ProgramType[];
  readonly result: ProgramType;
  /** Pure primitives' results may be cached by position hash (same position and arguments, same result). */
  readonly pure: boolean;
  /** One line for `arbor synth --help` and the docs. */
  readonly doc: string;
  readonly fn: (ctx: ProgramContext, ...args: never[]) => unknown;
  /**
   * Optional: builds the implementation for one call site of a compiled program, so a primitive
   * that returns a position or a move set can fill scratch buffers made once (the hot path then
   * allocates nothing). A result so made stays valid until the same call site runs again; the
   * compiler uses `instantiate(game)` in place of `fn` when present. Arguments of a function type
   * (a `lambda`) arrive as plain JS functions of their arguments, returning the result; such a
   * function's position, move-set or policy result is likewise valid only until its next call.
   */
  readonly instantiate?: (game: Game) => (ctx: ProgramContext, ...args: never[]) => unknown;
}

/** The position a program is asked about, as primitives receive it. */
export type Position = State;

/**
 * A primitive bound to a resource named in the program text — a network from a checkpoint folder
 * or a library entry `lib:NAME` — which must be loaded before the program runs. Loading is
 * asynchronous and primitive calls are not, so:
 * - the type checker types a call from `args` / `result` (the reference excluded) without loading
 *   anything; in program text the reference is the call's first argument, a constant written as
 *   the parser chooses (a reference literal in quotes: `(net-value "lib:c4-family" pos)` or `(net-value "runs/c4" pos)`);
 * - the program loader (agent creation) calls `prepare(ref, game)` once per distinct reference
 *   and game, awaits it, and compiles the calls against the returned `primitive`, whose `args`
 *   and `result` are the factory's;
 * - `close()` frees what was loaded when the program is done (agent reset/close).
 * References are resolved as `loadModel` resolves them elsewhere: a path (checkpoint or run
 * folder) or `lib:NAME`.
 */
export interface PrimitiveFactory {
  readonly name: string;
  readonly args: readonly ProgramType[];
  readonly result: ProgramType;
  readonly pure: boolean;
  readonly doc: string;
  prepare(ref: string, game: Game): Promise<PreparedPrimitive>;
}

/** What `PrimitiveFactory.prepare` returns. */
export interface PreparedPrimitive {
  readonly primitive: Primitive;
  close(): void;
}
