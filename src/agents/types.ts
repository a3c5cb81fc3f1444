import type { Game, ParamDefs, ParamValues, State } from '../envs/index.js';

/** Per-move limits an arena or a bot host may impose; agents honour what they understand. */
export interface MoveClock {
  /** Wall-clock budget for this move in milliseconds. */
  readonly moveTimeMs?: number;
}

/**
 * Anything that picks moves. `selectAction` must not modify `state` and must return a legal
 * action; agents with memory between moves (tree reuse) implement `observe` and `reset`.
 */
export interface Agent {
  /** The spec string the agent was built from, e.g. `uct:sims=1000`. */
  readonly name: string;
  selectAction(state: State, clock?: MoveClock): Promise<number>;
  /** Called after every move of the game (own and opponent's), before the next selectAction. */
  observe?(state: State, action: number): void;
  /** Forget everything about the current game. */
  reset?(): void;
  /**
   * Restart every random stream from `seed`, as at creation. An agent that has it promises that
   * after `reseed(seed)` and `reset()` it plays exactly like a fresh agent of the same spec built
   * with that seed; arena workers then keep it between games instead of building a new one.
   */
  reseed?(seed: string): void;
  /** Release workers, sessions or files. */
  close?(): Promise<void>;
}

export interface AgentContext {
  readonly game: Game;
  /** Seed for every random stream of the agent (recorded with each game). */
  readonly seed: string;
}

/** An agent kind registered under a spec name, with typed options. */
export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: ParamDefs;
  create(params: ParamValues, context: AgentContext, spec: string): Agent | Promise<Agent>;
}
