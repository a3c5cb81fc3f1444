import { z } from 'zod';

/**
 * The training config's schema and types, in a module of their own: the presets are typed by
 * it and the config module reads the presets, so neither may import the other for them.
 */
export type PresetName = 'quick' | 'standard';
export const PRESET_NAMES: readonly PresetName[] = ['quick', 'standard'];

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
  /**
   * A multi-size run (board-sizes.ts): the game specs of one family trained by one network, each
   * self-play game drawing its size with probability proportional to `gameWeights` (default
   * uniform). `game` is then the largest of them, the size evaluated in the run. Absent for a
   * run on one size.
   */
  games: z.array(z.string().min(1)).min(2).optional(),
  gameWeights: z.array(z.number().positive()).optional(),
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
  /** A run spread over processes through Redis (`arbor train --redis`, src/distributed); ignored by a local run. */
  distributed: z.strictObject({
    maxModelLag: z.number().int().min(0),
    streamMaxLen: positiveInt,
  }),
  final: z.strictObject({
    simulations: positiveInt,
    games: z.number().int().min(0),
    minStones: z.number().int().min(0),
  }),
  /**
   * A warm start (`arbor train --init-from`): the run's first network is assembled from the
   * network `from` names (src/transfer), grown, with `reinit` modules fresh; `freeze` modules are
   * not trained. Absent for a run that starts from freshly initialised weights.
   */
  init: z.strictObject({
    from: z.string().min(1),
    freeze: z.array(z.string().min(1)),
    reinit: z.array(z.string().min(1)),
    grow: z.strictObject({ filters: positiveInt.optional(), blocks: positiveInt.optional() }),
  }).optional(),
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
  if (c.gameWeights !== undefined && c.gameWeights.length !== (c.games?.length ?? 0)) {
    problem(`gameWeights lists ${c.gameWeights.length} weight(s) for ${c.games?.length ?? 0} entries of games; give one weight per game, or drop gameWeights for uniform sizes`);
  }
  if (c.games !== undefined && c.model.valueInput === 'cells') {
    problem('model.valueInput "cells" reads one board size, but games lists several sizes or games; use valueInput "pool" (the default) for a run over several');
  }
  if (c.replay.windowMax < c.replay.windowMin) {
    problem(`replay.windowMax (${c.replay.windowMax}) is below replay.windowMin (${c.replay.windowMin}); raise windowMax`);
  }
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
