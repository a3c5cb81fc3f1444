import { defineParams, formatSpec, parseSpec, Registry, resolveParams, type Game, type ParamDefs, type ParamValues } from '../core/index.js';

/** A game family registered under a spec name, with typed parameters (see `defineGame`). */
export interface GameDefinition<D extends ParamDefs = ParamDefs> {
  readonly id: string;
  readonly description: string;
  readonly params: D;
  /** Shorthand options that set several parameters at once (gomoku `size` sets rows and cols). */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  /**
   * A few non-default specs worth checking besides the default: other sizes, rule options
   * (`hex:size=5,swap=true`). Every registered game is run through the conformance kit at its
   * default and at each variant; the golden playthroughs record the variants whose board is no
   * larger than the default's.
   */
  readonly variants?: readonly string[];
  /** Cross-parameter checks; throw ArborError naming the problem. */
  validate?(params: ParamValues<D>): void;
  create(params: ParamValues<D>, spec: string): Game;
}

/**
 * Declares a game family with its parameters' types inferred, so `create` and `validate` read
 * `params.rows` as a number without casts. Defaults are checked as `defineParams` does.
 */
export function defineGame<const D extends ParamDefs>(def: GameDefinition<D>): GameDefinition<D> {
  defineParams(def.params);
  return def;
}

/** Every game family; the built-ins register themselves when the games layer is imported. */
export const gameKinds = new Registry<GameDefinition>('game');

/** `origin`: the registering module's `import.meta.url`, so worker threads can import it too. */
export function registerGame(def: GameDefinition, origin?: string): void {
  gameKinds.register(def.id, def, origin);
}

export function gameDefinitions(): GameDefinition[] {
  return gameKinds.values();
}

/** Builds a game from a spec string such as `connect4:rows=5,cols=6`. */
export function createGame(specText: string): Game {
  const spec = parseSpec(specText, 'game');
  const def = gameKinds.get(spec.name);
  const params = resolveParams(spec, def.params, 'game', { aliases: def.aliases });
  def.validate?.(params);
  return def.create(params, formatSpec(def.id, def.params, params));
}

