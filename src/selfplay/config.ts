import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ArborError, defaultWorkers, upgradeAgentSpec } from '../core/index.js';
import '../agents/index.js';
import { deepMerge, isPlainObject, PRESET_NAMES, presetFor, type PresetName } from './presets.js';

/**
 * The full resolved training config: what a run folder's config.json records and what
 * `--config FILE` may override (any subset of the keys). The schema is strict, so a typo in a
 * config file is an error naming the key, not a silently ignored value.
 */
const positiveInt = z.number().int().min(1);
const fraction = z.number().min(0).max(1);

export const trainConfigSchema = z.strictObject({
  game: z.string().min(1),
  preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]]),
  seed: z.string().min(1),
  /** Passed to the networks module's createModel, over defaultModelConfig(game). */
  model: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  selfplay: z.strictObject({
    workers: z.number().int().min(0).max(256),
    concurrentGames: positiveInt.max(4096),
    gamesPerIteration: positiveInt,
    simulations: positiveInt,
    cheapSimulations: positiveInt,
    fullSearchFraction: fraction,
    valueTargetQWeight: fraction,
    valueTargetLambda: fraction,
    root: z.enum(['puct', 'gumbel']),
    consideredActions: positiveInt,
    cPuct: z.number().positive(),
    dirichletAlpha: z.number().positive(),
    dirichletEpsilon: fraction,
    forcedPlayouts: z.number().min(0),
    rootPolicyTemperature: z.strictObject({
      initial: z.number().positive(),
      final: z.number().positive(),
      halfLifeMoves: z.number().positive(),
    }),
    surpriseWeighting: z.strictObject({
      policy: fraction,
      value: fraction,
    }).refine((w) => w.policy + w.value <= 1, {
      message: 'policy + value must be at most 1 (they are shares of a game\'s sample weight; KataGo uses 0.5 and 0.1)',
    }),
    leafBatch: positiveInt.max(256),
    cacheSize: z.number().int().min(0).max(1 << 24),
    overlapTraining: z.boolean(),
    temperature: z.strictObject({
      initial: z.number().min(0),
      final: z.number().min(0),
      halfLifeMoves: z.number().positive(),
    }),
    openings: z.strictObject({
      fraction: fraction,
      randomMoves: z.number().int().min(0),
      randomMovesUpTo: z.number().int().min(0),
    }).refine((o) => o.randomMovesUpTo === 0 || o.randomMovesUpTo >= o.randomMoves, {
      message: 'randomMovesUpTo must be 0 (exactly randomMoves) or at least randomMoves',
    }),
    resign: z.strictObject({
      enabled: z.boolean(),
      threshold: fraction,
      consecutiveMoves: positiveInt,
      playthroughFraction: fraction,
      minMoves: z.number().int().min(0),
    }),
  }),
  replay: z.strictObject({
    windowMin: positiveInt,
    windowMax: positiveInt,
    windowExponent: z.number().gt(0).max(1),
    windowGrowth: z.number().min(0),
    sampleReuse: z.number().positive(),
    minPositions: z.number().int().min(0),
  }),
  training: z.strictObject({
    batchSize: positiveInt,
    optimizer: z.enum(['adam', 'sgd']),
    learningRate: z.number().positive(),
    weightDecay: z.number().min(0),
    learningRateDecay: z.strictObject({
      start: fraction,
      finalFactor: z.number().gt(0).max(1),
    }),
    augmentSymmetry: z.boolean(),
    ownershipWeight: z.number().min(0),
    checkpointEvery: positiveInt,
    keepCheckpoints: positiveInt,
  }),
  evaluation: z.strictObject({
    every: z.number().int().min(0),
    gamesPerOpponent: z.number().int().min(0),
    simulations: positiveInt,
    opponents: z.array(z.string()),
    previousCheckpoints: z.number().int().min(0),
    oracle: z.boolean(),
    oraclePositions: z.number().int().min(0),
    perfectPlayGames: z.number().int().min(0),
  }),
  gating: z.strictObject({
    enabled: z.boolean(),
    games: positiveInt,
    simulations: positiveInt,
    elo0: z.number(),
    elo1: z.number(),
    alpha: z.number().gt(0).lt(0.5),
    beta: z.number().gt(0).lt(0.5),
    acceptScore: fraction,
  }),
  stop: z.strictObject({
    iterations: z.number().int().min(0),
    minutes: z.number().min(0),
  }),
  final: z.strictObject({
    simulations: positiveInt,
    games: z.number().int().min(0),
    minStones: z.number().int().min(0),
  }),
}).superRefine((c, ctx) => {
  // Rules between keys; each is one line naming the keys and the fix (path [] marks them for validateConfig).
  const problem = (message: string) => ctx.addIssue({ code: 'custom', message, path: [] });
  if (c.selfplay.cheapSimulations > c.selfplay.simulations) {
    problem(`selfplay.cheapSimulations (${c.selfplay.cheapSimulations}) exceeds selfplay.simulations (${c.selfplay.simulations}); make the cheap budget smaller`);
  }
  if (c.selfplay.forcedPlayouts > 0 && (c.selfplay.root !== 'puct' || c.selfplay.dirichletEpsilon === 0)) {
    problem(`selfplay.forcedPlayouts (${c.selfplay.forcedPlayouts}) works on the noised PUCT root only; set selfplay.root to "puct" with dirichletEpsilon > 0, or forcedPlayouts to 0`);
  }
  const rootT = c.selfplay.rootPolicyTemperature;
  if (c.selfplay.root !== 'puct' && (rootT.initial !== 1 || rootT.final !== 1)) {
    problem('selfplay.rootPolicyTemperature works on the PUCT root only; set selfplay.root to "puct", or rootPolicyTemperature initial and final to 1');
  }
  if (c.model.ownership !== undefined) {
    problem('model.ownership is set by training.ownershipWeight (> 0 adds the ownership head); remove model.ownership and set training.ownershipWeight');
  }
  if (c.replay.windowMax < c.replay.windowMin) {
    problem(`replay.windowMax (${c.replay.windowMax}) is below replay.windowMin (${c.replay.windowMin}); raise windowMax`);
  }
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

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
