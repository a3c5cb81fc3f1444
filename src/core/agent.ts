import type { Game, State } from './game.js';
import { Registry } from './registry.js';
import { defineParams, parseSpec, resolveParams, type ParamDefs, type ParamValues } from './spec.js';

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
  /** The spec string the agent was built from, e.g. `uct:simulations=1000`. */
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

/**
 * An agent kind registered under a spec name, with typed options: `create` gets the values of
 * `params`, validated and typed (see `defineAgent`).
 */
export interface AgentDefinition<D extends ParamDefs = ParamDefs> {
  readonly name: string;
  readonly description: string;
  readonly params: D;
  /** Former option names -> current ones: a spec with an old name is refused naming the new one. */
  readonly renamedParams?: Readonly<Record<string, string>>;
  /**
   * The parameter a bare first option sets: with `file`, `program:greedy.arb` reads as
   * `program:file=greedy.arb` (and `program:lib:NAME,timeMs=50` as `program:file=lib:NAME,timeMs=50`).
   */
  readonly positional?: string;
  create(params: ParamValues<D>, context: AgentContext, spec: string): Agent | Promise<Agent>;
}

/**
 * Declares an agent kind with its parameters' types inferred, so `create` reads
 * `params.simulations` as a number without casts. Defaults are checked as `defineParams` does.
 */
export function defineAgent<const D extends ParamDefs>(def: AgentDefinition<D>): AgentDefinition<D> {
  defineParams(def.params);
  return def;
}

/**
 * Every agent kind, registered by the layer that implements it (agents: random, greedy, uct,
 * mcts, gumbel; solvers: solver; boardgameio: bgio-mcts; ...). Importing that layer registers them.
 */
export const agentKinds = new Registry<AgentDefinition>('agent');

/** `origin`: the registering module's `import.meta.url`, so worker threads can import it too. */
export function registerAgent(def: AgentDefinition, origin?: string): void {
  agentKinds.register(def.name, def, origin);
}

export function agentDefinitions(): AgentDefinition[] {
  return agentKinds.values();
}

/**
 * The spec with a bare first option named (see AgentDefinition.positional): `program:a.arb` ->
 * `program:file=a.arb`. Unchanged for kinds without a positional parameter or when the first
 * option already has a `=`.
 */
export function expandPositionalOption(specText: string): string {
  const trimmed = specText.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) return trimmed;
  const name = trimmed.slice(0, colon).trim();
  const positional = agentKinds.find(name)?.positional;
  const rest = trimmed.slice(colon + 1);
  if (positional === undefined || rest.trim() === '' || rest.split(',')[0].includes('=')) return trimmed;
  return `${name}:${positional}=${rest}`;
}

/** Checks a spec string without building the agent (so an arena can refuse bad specs before any game). */
export function validateAgentSpec(specText: string): void {
  const spec = parseSpec(expandPositionalOption(specText), 'agent');
  const def = agentKinds.get(spec.name);
  resolveParams(spec, def.params, 'agent', { renamed: def.renamedParams });
}

/**
 * The spec with option names of earlier versions replaced by their current ones (for specs stored
 * by older runs); unchanged when nothing was renamed or the kind is not registered.
 */
export function upgradeAgentSpec(specText: string): string {
  const spec = parseSpec(expandPositionalOption(specText), 'agent');
  const renamed = agentKinds.find(spec.name)?.renamedParams;
  if (!renamed || ![...spec.options.keys()].some((key) => key in renamed)) return specText;
  const options = [...spec.options].map(([key, value]) => `${renamed[key] ?? key}=${value}`);
  return `${spec.name}:${options.join(',')}`;
}

/** Builds an agent from a spec string such as `uct:simulations=1000,cUct=1.4`. */
export async function createAgent(specText: string, context: AgentContext): Promise<Agent> {
  const spec = parseSpec(expandPositionalOption(specText), 'agent');
  const def = agentKinds.get(spec.name);
  const params = resolveParams(spec, def.params, 'agent', { renamed: def.renamedParams });
  return def.create(params, context, specText.trim());
}
