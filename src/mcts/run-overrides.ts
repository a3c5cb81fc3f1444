import { ArborError } from '../core/index.js';
import type { SearchOptions } from './options.js';

/**
 * Root settings that one `Search.run` may change, leaving the search's options as they are.
 * Self-play needs them per move: playout cap randomization (Wu 2019, "Accelerating Self-Play
 * Learning in Go", §3.1) puts Dirichlet noise, forced playouts and the root policy temperature on
 * full searches only, and the move-sampling temperature decays over the game (KataGo's
 * chosenMoveTemperature). A missing field keeps the option's value.
 */
export interface RunOverrides {
  /** Root Dirichlet noise for this run; null turns it off. */
  dirichlet?: SearchOptions['dirichlet'];
  /** KataGo's forced-playout constant k for this run; 0 turns forcing and target pruning off. */
  forcedPlayouts?: number;
  /** Softmax temperature of the root priors for this run (1 = off). */
  rootPolicyTemperature?: number;
  /** Move-sampling temperature the result carries for `selectMove`. */
  temperature?: number;
  /** Moves of a game that are sampled at `temperature`; Infinity = every move. */
  temperatureMoves?: number;
}

/** The root settings in force during one run: the options with the run's overrides applied. */
export type RunSettings = Pick<SearchOptions, 'dirichlet' | 'forcedPlayouts' | 'rootPolicyTemperature' | 'temperature' | 'temperatureMoves'>;

export function runSettingsOf(options: SearchOptions): RunSettings {
  return {
    dirichlet: options.dirichlet,
    forcedPlayouts: options.forcedPlayouts,
    rootPolicyTemperature: options.rootPolicyTemperature,
    temperature: options.temperature,
    temperatureMoves: options.temperatureMoves,
  };
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new ArborError(`search run override ${message}`);
}

/**
 * Fills `into` (reused from run to run, so a run allocates nothing for it) with the options'
 * root settings and the overrides given; a bad override is one ArborError naming its range.
 */
export function applyRunOverrides(options: SearchOptions, overrides: RunOverrides | undefined, into: RunSettings): void {
  into.dirichlet = options.dirichlet;
  into.forcedPlayouts = options.forcedPlayouts;
  into.rootPolicyTemperature = options.rootPolicyTemperature;
  into.temperature = options.temperature;
  into.temperatureMoves = options.temperatureMoves;
  if (!overrides) return;
  const { dirichlet, forcedPlayouts, rootPolicyTemperature, temperature, temperatureMoves } = overrides;
  if (dirichlet !== undefined) {
    if (dirichlet) {
      check(Number.isFinite(dirichlet.alpha) && dirichlet.alpha > 0, `dirichlet.alpha=${dirichlet.alpha} must be a number > 0`);
      check(Number.isFinite(dirichlet.epsilon) && dirichlet.epsilon >= 0 && dirichlet.epsilon <= 1, `dirichlet.epsilon=${dirichlet.epsilon} must be in 0..1`);
    }
    into.dirichlet = dirichlet;
  }
  if (forcedPlayouts !== undefined) {
    check(Number.isFinite(forcedPlayouts) && forcedPlayouts >= 0, `forcedPlayouts=${forcedPlayouts} must be a number >= 0 (KataGo's k is 2; 0 = off)`);
    check(forcedPlayouts === 0 || (options.root === 'visits' && options.rule === 'puct'), `forcedPlayouts=${forcedPlayouts} needs a search built with root=visits and rule=puct (the pruning reads PUCT scores); pass 0`);
    into.forcedPlayouts = forcedPlayouts;
  }
  if (rootPolicyTemperature !== undefined) {
    check(Number.isFinite(rootPolicyTemperature) && rootPolicyTemperature > 0, `rootPolicyTemperature=${rootPolicyTemperature} must be a number > 0 (1 = off)`);
    into.rootPolicyTemperature = rootPolicyTemperature;
  }
  if (temperature !== undefined) {
    check(Number.isFinite(temperature) && temperature >= 0, `temperature=${temperature} must be a number >= 0`);
    into.temperature = temperature;
  }
  if (temperatureMoves !== undefined) {
    check(temperatureMoves === Infinity || (Number.isInteger(temperatureMoves) && temperatureMoves >= 0), `temperatureMoves=${temperatureMoves} must be an integer >= 0 or Infinity`);
    into.temperatureMoves = temperatureMoves;
  }
}
