import { ArborError } from './errors.js';
import { formatSpec, parseSpec, resolveParams, type ParamDefs, type ParamValues } from './spec.js';
import type { Game } from './types.js';

/** A game family registered under a spec name, with typed parameters. */
export interface GameDefinition {
  readonly id: string;
  readonly description: string;
  readonly params: ParamDefs;
  /** Shorthand options that set several parameters at once (gomoku `size` sets rows and cols). */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  /** Cross-parameter checks; throw ArborError naming the problem. */
  validate?(params: ParamValues): void;
  create(params: ParamValues, spec: string): Game;
}

const definitions = new Map<string, GameDefinition>();

export function registerGame(def: GameDefinition): void {
  definitions.set(def.id, def);
}

export function gameDefinitions(): GameDefinition[] {
  return [...definitions.values()];
}

/** Builds a game from a spec string such as `connect4:rows=5,cols=6`. */
export function createGame(specText: string): Game {
  const spec = parseSpec(specText, 'game');
  const def = definitions.get(spec.name);
  if (!def) {
    throw new ArborError(`unknown game "${spec.name}"; available: ${[...definitions.keys()].join(', ')}`);
  }
  const params = resolveParams(spec, def.params, 'game', def.aliases);
  def.validate?.(params);
  return def.create(params, formatSpec(def.id, def.params, params));
}
