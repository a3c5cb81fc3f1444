import { ArborError, defaultWorkers } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { canonicalNetworkRef } from '../transfer/network-source.js';
import { readConfigFile, validateConfig, type TrainConfig } from './config.js';
import { deepMerge, isPlainObject } from './presets.js';

/** The options of `arbor train` that define a run (the run folder's config.json records them). */
export interface RunDefiningOptions {
  game?: string;
  preset?: string;
  seed?: string;
  /** Path of the --config file. */
  configFile?: string;
  /** The warm start of --init-from, --freeze, --reinit and --grow. */
  init?: TrainConfig['init'];
}

/**
 * A warm start given to a resumed run must be the one the run recorded: the run's own checkpoint
 * carries on from where it stopped, so another source would be silently ignored.
 */
export function checkResumeInit(config: TrainConfig, init: TrainConfig['init']): void {
  if (init === undefined) return;
  if (config.init === undefined) throw new ArborError(`--resume: --init-from ${init.from} only starts a new run, and this run started from fresh weights; drop --init-from (and --freeze, --reinit, --grow) or start a new run`);
  if (JSON.stringify(canonicalInit(init)) !== JSON.stringify(canonicalInit(config.init))) {
    throw new ArborError(`--resume: --init-from ${init.from} with ${describeInit(init)} differs from the run's warm start (${config.init.from} with ${describeInit(config.init)}); drop the options or repeat them as recorded`);
  }
}

function canonicalInit(init: NonNullable<TrainConfig['init']>): unknown {
  return { from: canonicalNetworkRef(init.from), freeze: init.freeze, reinit: init.reinit, grow: { filters: init.grow.filters ?? null, blocks: init.grow.blocks ?? null } };
}

function describeInit(init: NonNullable<TrainConfig['init']>): string {
  const grow = [init.grow.filters !== undefined ? `filters=${init.grow.filters}` : '', init.grow.blocks !== undefined ? `blocks=${init.grow.blocks}` : ''].filter(Boolean).join(',');
  return `--freeze ${init.freeze.join(',') || '(none)'}, --reinit ${init.reinit.join(',') || '(none)'}, --grow ${grow || '(none)'}`;
}

/**
 * Checks the command line of `arbor train --resume` against the run's config.json, so the command
 * the run was started with can be repeated with --resume added: each of --game, --preset, --seed
 * and every key of the --config file must equal what the run recorded; one that differs is one
 * ArborError naming the option and both values. Budgets (--minutes, --iterations) are not checked:
 * they cover the whole run and are how a run is extended. Nor is --workers (a property of the
 * machine), nor selfplay.workers in the file: that one is returned as the session's worker count
 * when the file gives it (0 = the default), as --workers would be.
 */
export function checkResumeOptions(config: TrainConfig, given: RunDefiningOptions): { workers?: number } {
  const differs = (option: string, key: string, recorded: unknown): never => {
    throw new ArborError(`--resume: ${option} differs from the run's config (${key}=${show(recorded)}); drop it or start a new run`);
  };
  if (given.game !== undefined) {
    const spec = createGame(given.game).spec;
    if (spec !== config.game) differs(`--game ${given.game}`, 'game', config.game);
  }
  if (given.preset !== undefined && given.preset !== config.preset) differs(`--preset ${given.preset}`, 'preset', config.preset);
  if (given.seed !== undefined && given.seed !== config.seed) differs(`--seed ${given.seed}`, 'seed', config.seed);
  checkResumeInit(config, given.init);
  if (given.configFile === undefined) return {};
  const file = readConfigFile(given.configFile);
  // A misspelt key or a bad value gets the error it gets when a run starts.
  validateConfig(deepMerge(structuredClone(config), file), `config ${given.configFile}`);
  let workers: number | undefined;
  for (const [path, value] of leaves(file, '')) {
    if (path === 'selfplay.workers') {
      workers = value === 0 ? defaultWorkers() : (value as number);
      continue;
    }
    const recorded = path.split('.').reduce<unknown>((o, key) => (isPlainObject(o) ? o[key] : undefined), config);
    if (JSON.stringify(recorded) !== JSON.stringify(value)) differs(`--config ${given.configFile} sets ${path}=${show(value)}, which`, path, recorded);
  }
  return workers === undefined ? {} : { workers };
}

/** Every leaf of a JSON object (arrays are leaves) with its dotted path. */
function leaves(value: Record<string, unknown>, prefix: string): [string, unknown][] {
  return Object.entries(value).flatMap(([key, v]): [string, unknown][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isPlainObject(v) ? leaves(v, path) : [[path, v]];
  });
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
