import { readFileSync } from 'node:fs';
import { ArborError, defaultWorkers, upgradeAgentSpec } from '../core/index.js';
import '../agents/index.js';
import { PRESET_NAMES, trainConfigSchema, type PresetName, type TrainConfig, type TrainConfigInput } from './config-schema.js';
import { deepMerge, isPlainObject, presetFor } from './presets.js';

export { trainConfigSchema, type TrainConfig, type TrainConfigInput };

/** Checks a config object; one ArborError listing every bad key (path, problem) and `where` it came from. */
export function validateConfig(value: unknown, where: string): TrainConfig {
  const parsed = trainConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  // Rules between keys (checked once every key is valid) name their keys themselves.
  if (issues.every((i) => i.code === 'custom' && i.path.length === 0)) throw new ArborError(`${where}: ${issues.map((i) => i.message).join('; ')}`);
  const problems = issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') {
      const renamed = i.keys.flatMap((key) => {
        const to = RENAMED_CONFIG_KEYS.get([...i.path, key].join('.'));
        return to ? [`${key} is now ${to.split('.').pop()}`] : [];
      });
      if (renamed.length) return `${path}: ${i.message}; renamed: ${renamed.join(', ')}`;
    }
    return `${path}: ${i.message}`;
  });
  throw new ArborError(`${where}: invalid training config — ${problems.join('; ')}. See src/selfplay/presets.ts for every key, its unit and a typical value`);
}

/**
 * Training-config keys of earlier versions -> their current names (one name per setting across
 * the search options, agent specs and the training config). A run folder's config.json written
 * with an old name is read through `upgradeConfig`; a config file given now must use the new one.
 */
const RENAMED_CONFIG_KEYS: ReadonlyMap<string, string> = new Map([['selfplay.gumbelSampledActions', 'selfplay.consideredActions']]);

/**
 * A stored config with the names of earlier versions replaced: renamed keys, and renamed options
 * in the agent specs of `evaluation.opponents`. `changes` lists each replacement as `old -> new`
 * (empty when the config was already current); values are left as they were.
 */
export function upgradeConfig(stored: unknown): { config: unknown; changes: string[] } {
  if (!isPlainObject(stored)) return { config: stored, changes: [] };
  const changes: string[] = [];
  const config = structuredClone(stored);
  for (const [from, to] of RENAMED_CONFIG_KEYS) {
    const path = from.split('.');
    const parent = path.slice(0, -1).reduce<unknown>((o, key) => (isPlainObject(o) ? o[key] : undefined), config);
    const key = path[path.length - 1];
    if (!isPlainObject(parent) || !(key in parent)) continue;
    const newKey = to.split('.').pop()!;
    if (!(newKey in parent)) parent[newKey] = parent[key];
    delete parent[key];
    changes.push(`${from} -> ${to}`);
  }
  const evaluation = config.evaluation;
  if (isPlainObject(evaluation) && Array.isArray(evaluation.opponents)) {
    evaluation.opponents = evaluation.opponents.map((spec: unknown) => {
      if (typeof spec !== 'string') return spec;
      let upgraded = spec;
      try {
        upgraded = upgradeAgentSpec(spec);
      } catch {
        // a malformed spec is reported by validation and evaluation as it is
      }
      if (upgraded !== spec) changes.push(`evaluation.opponents "${spec}" -> "${upgraded}"`);
      return upgraded;
    });
  }
  return { config, changes };
}

export interface ResolveOptions {
  game: string;
  gameId: string;
  preset: PresetName;
  seed: string;
  /** Path of a JSON file with overrides (any subset of the config's keys). */
  configFile?: string;
  /** Overrides from command-line flags, applied last. */
  overrides?: unknown;
}

/** Preset → config file → command-line flags, then validated; `selfplay.workers` 0 becomes core's defaultWorkers(). */
export function resolveConfig(opts: ResolveOptions): TrainConfig {
  let merged: unknown = { game: opts.game, preset: opts.preset, seed: opts.seed, ...presetFor(opts.gameId, opts.preset) };
  if (opts.configFile) merged = deepMerge(merged, readConfigFile(opts.configFile));
  if (opts.overrides) merged = deepMerge(merged, opts.overrides);
  const config = validateConfig(merged, opts.configFile ? `config ${opts.configFile}` : 'training config');
  if (config.selfplay.workers === 0) config.selfplay.workers = defaultWorkers();
  return config;
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ArborError(`cannot read config file ${path}; give the path of a JSON file with the keys to override`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ArborError(`config file ${path} is not valid JSON (${(e as Error).message}); write a JSON object such as {"selfplay": {"simulations": 200}}`);
  }
  if (!isPlainObject(value)) throw new ArborError(`config file ${path} must hold a JSON object such as {"selfplay": {"simulations": 200}}`);
  for (const key of ['game', 'preset']) {
    if (key in value) throw new ArborError(`config file ${path} sets "${key}"; choose it with --${key} instead`);
  }
  return value;
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
