import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, deriveSeed, freshSeed, ArborError, type Game, type Rng } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { augmentWithSymmetry, createModel, exportOnnx, loadCheckpoint, saveCheckpoint, selectBackend, Trainer, type PolicyValueModel, type TrainerOptions } from '../networks/index.js';
import { Actors } from './actors.js';
import { isPresetName, resolveConfig, type TrainConfig } from './config.js';
import { budgetProgress, learningRateFactor } from './lr-anneal.js';
import { checkFinalStarts, evaluateCheckpoint, finalPerfectPlayTest, gateCandidate, type EvaluationRecord, type PerfectPlayResult } from './evaluation.js';
import type { PresetName } from './presets.js';
import { silentReporter, type TrainReporter } from './progress.js';
import { emptyChunk, ReplayBuffer } from './replay-buffer.js';
import { ownershipPlanes } from './targets/index.js';
import { writeReport } from './report.js';
import { checkpointName, RunFolder, STATE_FORMAT, type RunState } from './run-folder.js';

/**
 * The learner loop (AlphaZero, Silver et al. 2018, without gating by default):
 *   1. the actors play `gamesPerIteration` self-play games with the latest exported model;
 *   2. their full-search positions enter the replay window (KataGo's growing window);
 *   3. the network takes as many gradient steps as keep the sample-reuse ratio at its setting
 *      (trained samples per new position), each on a batch drawn from the window under a random
 *      symmetry;
 *   4. the new weights are exported to ONNX for the actors and checkpointed with the optimizer,
 *      replay bookkeeping, random streams and counters, then state.json commits the iteration;
 *   5. every `evaluation.every` iterations, an arena against fixed references and previous
 *      checkpoints, plus the perfect-play oracle where a solver exists.
 * With `selfplay.overlapTraining` the actors already play step 1 of the next iteration (with the
 * model of this one) while steps 2-5 run, so neither core idles while tfjs trains on one of them.
 * With `gating.enabled` a new checkpoint only reaches the actors after it beats the current one.
 */

export interface TrainOptions {
  runDir: string;
  resume?: boolean;
  /** Game spec; required for a new run, optional (and checked) on resume. */
  game?: string;
  preset?: PresetName;
  seed?: string;
  configFile?: string;
  /** Total budgets of the run (over all sessions); each replaces the config's stop rule. */
  iterations?: number;
  minutes?: number;
  workers?: number;
  /** Replace an existing run in `runDir` (only a folder that holds an arbor run is deleted). */
  overwrite?: boolean;
  reporter?: TrainReporter;
  /** Skip the closing perfect-play test (tests). */
  skipFinal?: boolean;
}

export interface TrainSummary {
  runDir: string;
  game: string;
  iterations: number;
  games: number;
  positions: number;
  trainSteps: number;
  elapsedMs: number;
  checkpoint: string | null;
  /** Mean losses of the first and the last iteration that trained. */
  firstLosses: { policy: number; value: number } | null;
  lastLosses: { policy: number; value: number } | null;
  lastEvaluation: EvaluationRecord | null;
  /** The closing test against perfect play (search, then raw network); empty without a solver. */
  final: PerfectPlayResult[];
  stoppedBy: 'iterations' | 'minutes' | 'already-done';
  reportPath: string;
}

interface Session {
  game: Game;
  config: TrainConfig;
  folder: RunFolder;
  state: RunState;
}

async function openSession(o: TrainOptions): Promise<Session> {
  if (o.resume) {
    if (o.configFile) throw new ArborError('--config cannot change a run being resumed; its config.json is used (start a new --run-dir to change the config)');
    if (o.seed) throw new ArborError('--seed cannot change a run being resumed; the seed in its config.json is used');
    if (o.preset) throw new ArborError('--preset cannot change a run being resumed; its config.json is used');
    if (o.overwrite) throw new ArborError('--overwrite and --resume contradict each other; pick one');
    const { folder, manifest, state } = RunFolder.open(o.runDir);
    const game = createGame(manifest.game);
    if (o.game && createGame(o.game).spec !== game.spec) {
      throw new ArborError(`run folder ${o.runDir} trains ${game.spec}, not ${createGame(o.game).spec}; drop --game or give the matching --run-dir`);
    }
    const config = manifest.config;
    await folder.discardUncommitted(state);
    return { game, config, folder, state: state ?? initialState() };
  }
  if (!o.game) throw new ArborError('--game is required for a new run (e.g. --game tictactoe); to continue a run, pass --resume --run-dir RUN');
  const game = createGame(o.game);
  const preset = o.preset ?? 'quick';
  if (!isPresetName(preset)) throw new ArborError(`unknown preset "${String(preset)}"; use quick or standard`);
  const seed = o.seed ?? freshSeed();
  const overrides = o.workers !== undefined ? { selfplay: { workers: o.workers } } : undefined;
  const config = resolveConfig({ game: game.spec, gameId: game.id, preset, seed, configFile: o.configFile, overrides });
  checkFinalStarts(game, config);
  if (config.training.ownershipWeight > 0) ownershipPlanes(game);
  if (o.overwrite && existsSync(join(o.runDir, 'config.json'))) {
    if (!RunFolder.holdsRun(o.runDir)) throw new ArborError(`--overwrite refuses to delete ${o.runDir}: its config.json is not an arbor run's; remove it yourself or choose another --run-dir`);
    await rm(o.runDir, { recursive: true, force: true });
  }
  const folder = await RunFolder.create(o.runDir, { game: game.spec, seed, config });
  return { game, config, folder, state: initialState() };
}

function initialState(): RunState {
  return {
    format: STATE_FORMAT,
    iteration: 0,
    games: 0,
    positions: 0,
    trainSteps: 0,
    elapsedMs: 0,
    checkpoint: null,
    replay: { totalPositions: 0, trainCredit: 0, trainedSamples: 0, chunks: [] },
    rng: {},
    evaluatedCheckpoints: [],
    elo: null,
    resign: { playthroughGames: 0, falseResignations: 0 },
    acceptedCheckpoint: null,
  };
}

/** Applies --iterations / --minutes: a flag given alone replaces the whole stop rule. */
function stopRule(config: TrainConfig, o: TrainOptions): { iterations: number; minutes: number } {
  if (o.iterations !== undefined || o.minutes !== undefined) return { iterations: o.iterations ?? 0, minutes: o.minutes ?? 0 };
  return config.stop;
}

export async function train(o: TrainOptions): Promise<TrainSummary> {
  const reporter = o.reporter ?? silentReporter;
  const session = await openSession(o);
  const { game, folder } = session;
  const config = session.config;
  if (o.resume && o.workers !== undefined) config.selfplay.workers = o.workers;
  const state = session.state;
  const stop = stopRule(config, o);
  if (stop.iterations === 0 && stop.minutes === 0) throw new ArborError('no stopping rule: pass --iterations N or --minutes M (or set stop in --config)');
  const backend = await selectBackend('auto', { quiet: true });
  reporter.info(`arbor train ${game.spec} (${config.preset}), run folder ${folder.dir}, seed ${config.seed}`);
  reporter.info(`self-play: ${config.selfplay.workers} worker thread(s) × ${config.selfplay.concurrentGames} games with ONNX Runtime (1 thread each); training: tfjs ${backend} backend`);
  reporter.info(`budget: ${stop.iterations ? `${stop.iterations} iterations` : ''}${stop.iterations && stop.minutes ? ' or ' : ''}${stop.minutes ? `${stop.minutes} minutes` : ''} in total${state.iteration ? `; resuming after iteration ${state.iteration}` : ''}`);

  // Weights, optimizer, replay and random streams: fresh, or exactly as the last commit left them.
  const trainerOptions: TrainerOptions = { optimizer: config.training.optimizer, learningRate: config.training.learningRate, l2: config.training.weightDecay, ownershipWeight: config.training.ownershipWeight };
  // KataGo's ownership target: the head exists exactly when its loss has a weight.
  const ownership = config.training.ownershipWeight > 0;
  let model: PolicyValueModel;
  let trainer: Trainer;
  if (state.checkpoint) {
    const loaded = await loadCheckpoint(folder.checkpointDir(state.checkpoint), game);
    model = loaded.model;
    trainer = new Trainer(model, game, trainerOptions);
    if (!loaded.optimizer) throw new ArborError(`run folder ${o.runDir} is corrupt: checkpoint ${state.checkpoint} has no optimizer state; start a new run in another --run-dir`);
    trainer.writeState(loaded.optimizer);
    if ((model.config.ownership === true) !== ownership) throw new ArborError(`run folder ${o.runDir} is corrupt: its checkpoint ${model.config.ownership === true ? 'has' : 'lacks'} an ownership head but its config has training.ownershipWeight ${config.training.ownershipWeight}; start a new run in another --run-dir`);
  } else {
    model = createModel(game, { seed: seedNumber(config.seed), ...config.model, ...(ownership ? { ownership: true } : {}) });
    trainer = new Trainer(model, game, trainerOptions);
  }
  const replay = new ReplayBuffer(game, config.replay);
  const chunks = await folder.loadChunks(game, state.replay.chunks);
  chunks.forEach((c, i) => replay.restoreChunk(c, state.replay.chunks[i]));
  replay.restoreCounters(state.replay);
  const sampleRng: Rng = createRng(deriveSeed(config.seed, 'replay'), state.rng.replay);
  const augmentRng: Rng = createRng(deriveSeed(config.seed, 'augment'), state.rng.augment);

  const batch = emptyChunk(game, config.training.batchSize, ownership);
  const actors = new Actors(game, config.selfplay.workers);
  const sessionStart = performance.now();
  const elapsedBefore = state.elapsedMs;
  const elapsed = () => elapsedBefore + (performance.now() - sessionStart);
  const done = (): 'iterations' | 'minutes' | null => {
    if (stop.iterations > 0 && state.iteration >= stop.iterations) return 'iterations';
    if (stop.minutes > 0 && elapsed() >= stop.minutes * 60_000) return 'minutes';
    return null;
  };
  let firstLosses: TrainSummary['firstLosses'] = null;
  let lastLosses: TrainSummary['lastLosses'] = null;
  let lastEvaluation: EvaluationRecord | null = null;
  let final: PerfectPlayResult[] = [];
  const already = done();
  // With gating the actors play with the last accepted checkpoint, otherwise with the newest weights.
  const gated = config.gating.enabled;
  if (gated) state.acceptedCheckpoint ??= state.checkpoint;
  let actorModel = gated && state.acceptedCheckpoint
    ? { path: join(folder.checkpointDir(state.acceptedCheckpoint), 'model.onnx'), version: state.iteration }
    : await exportForActors(model, game, folder.dir, state.iteration);
  const gamesPerIteration = config.selfplay.gamesPerIteration;
  type Played = { batch: Awaited<ReturnType<Actors['play']>>; ms: number };
  const startPlay = async (iteration: number, firstGame: number): Promise<Played> => {
    const t0 = performance.now();
    const batch = await actors.play({
      onnxPath: actorModel.path,
      modelVersion: actorModel.version,
      settings: config.selfplay,
      seed: deriveSeed(config.seed, 'selfplay', iteration),
      firstGame,
      games: gamesPerIteration,
      recordOwnership: ownership,
    });
    return { batch, ms: performance.now() - t0 };
  };
  let pending: Promise<Played> | null = null;
  try {
    while (!done()) {
      const iteration = state.iteration + 1;
      const { batch: played, ms: selfplayMs } = await (pending ?? startPlay(iteration, state.games));
      pending = null;
      // Overlap: the next batch of games starts now, with the model of the previous iteration,
      // and runs while this one trains (one version stale, as in asynchronous AlphaZero/KataGo
      // pipelines), so the core the learner leaves idle keeps playing.
      if (config.selfplay.overlapTraining && (stop.iterations === 0 || iteration < stop.iterations)) {
        pending = startPlay(iteration + 1, state.games + played.stats.games);
        pending.catch(() => undefined); // abandoned when the time budget ends first
      }
      replay.add(played.chunk, iteration);
      await folder.writeChunk(game, iteration, played.chunk);

      const t1 = performance.now();
      trainer.learningRateScale = learningRateFactor(config.training.learningRateDecay, budgetProgress(stop, iteration, elapsed()));
      const steps = replay.stepsDue(config.training.batchSize);
      let policySum = 0;
      let valueSum = 0;
      let ownershipSum = 0;
      for (let s = 0; s < steps; s++) {
        replay.sample(batch, config.training.batchSize, sampleRng);
        const input = { inputs: batch.inputs, policyTargets: batch.policies, valueTargets: batch.values, masks: batch.masks, ownershipTargets: batch.ownership, count: batch.count };
        const losses = await trainer.trainBatch(config.training.augmentSymmetry ? augmentWithSymmetry(game, input, augmentRng) : input);
        replay.consumed(batch.count);
        policySum += losses.policyLoss;
        valueSum += losses.valueLoss;
        ownershipSum += losses.ownershipLoss;
      }
      const trainMs = performance.now() - t1;
      const losses = steps > 0 ? { policy: policySum / steps, value: valueSum / steps, ownership: ownershipSum / steps } : null;
      if (losses) {
        firstLosses ??= losses;
        lastLosses = losses;
      }

      state.iteration = iteration;
      state.games += played.stats.games;
      state.positions += played.stats.moves;
      state.trainSteps += steps;
      state.resign.playthroughGames += played.stats.playthroughGames;
      state.resign.falseResignations += played.stats.falseResignations;
      const checkpointNow = gated || iteration % config.training.checkpointEvery === 0 || done() !== null;
      if (!gated) actorModel = await exportForActors(model, game, folder.dir, iteration);
      if (checkpointNow) {
        const name = checkpointName(iteration);
        await saveCheckpoint(folder.checkpointDir(name), { model, trainer, game, meta: { iteration, games: state.games, seed: config.seed, run: folder.dir } });
        state.checkpoint = name;
      }
      state.replay = { ...replay.counters(), chunks: replay.chunkIds() };
      state.rng = { replay: sampleRng.saveState(), augment: augmentRng.saveState() };
      state.elapsedMs = elapsed();
      let gate: Awaited<ReturnType<typeof gateCandidate>> | null = null;
      if (gated && state.checkpoint) {
        if (!state.acceptedCheckpoint) {
          state.acceptedCheckpoint = state.checkpoint;
        } else {
          const incumbent = state.acceptedCheckpoint;
          gate = await gateCandidate({ game, config, folder, candidate: state.checkpoint, incumbent, workers: config.selfplay.workers });
          if (gate.accepted) state.acceptedCheckpoint = state.checkpoint;
          reporter.info(`gate ${state.checkpoint} vs ${incumbent}: +${gate.wins}=${gate.draws}-${gate.losses} (SPRT ${gate.decision}) -> ${gate.accepted ? 'accepted' : 'rejected'}`);
        }
        actorModel = { path: join(folder.checkpointDir(state.acceptedCheckpoint), 'model.onnx'), version: iteration };
      }
      if (checkpointNow) {
        await folder.commit(state);
        await folder.prune(state, config.training.keepCheckpoints);
      }
      const record = {
        type: 'iteration',
        iteration,
        elapsedS: state.elapsedMs / 1000,
        games: state.games,
        positions: state.positions,
        samples: replay.totalPositions,
        window: replay.window,
        trainSteps: state.trainSteps,
        policyLoss: losses?.policy ?? null,
        valueLoss: losses?.value ?? null,
        ...(ownership ? { ownershipLoss: losses?.ownership ?? null } : {}),
        positionsPerSecond: played.stats.moves / (selfplayMs / 1000),
        selfplayS: selfplayMs / 1000,
        trainS: trainMs / 1000,
        learningRate: trainer.learningRate(),
        firstWins: played.stats.firstWins,
        secondWins: played.stats.secondWins,
        draws: played.stats.draws,
        resigned: played.stats.resigned,
        playthroughGames: played.stats.playthroughGames,
        falseResignations: played.stats.falseResignations,
        ...(gate ? { gateAccepted: gate.accepted, gateWins: gate.wins, gateDraws: gate.draws, gateLosses: gate.losses } : {}),
      };
      await folder.appendMetrics(record);

      const evaluateNow = checkpointNow && config.evaluation.every > 0 && (iteration % config.evaluation.every === 0 || done() !== null);
      if (evaluateNow && state.checkpoint) {
        lastEvaluation = await evaluateCheckpoint({ game, config, folder, state, checkpoint: state.checkpoint, workers: config.selfplay.workers });
        state.elo = lastEvaluation.elo;
        if (!state.evaluatedCheckpoints.includes(state.checkpoint)) state.evaluatedCheckpoints.push(state.checkpoint);
        state.evaluatedCheckpoints = state.evaluatedCheckpoints.slice(-Math.max(1, config.evaluation.previousCheckpoints + 1));
        await folder.commit(state);
        await folder.appendMetrics({ type: 'evaluation', iteration, elapsedS: state.elapsedMs / 1000, games: state.games, ...lastEvaluation });
        reporter.info(`evaluation after iteration ${iteration}: ${lastEvaluation.summary}`);
      }
      reporter.progress({
        iteration,
        games: state.games,
        positionsPerSecond: record.positionsPerSecond,
        policyLoss: record.policyLoss,
        valueLoss: record.valueLoss,
        elo: state.elo,
        fraction: Math.max(stop.iterations ? iteration / stop.iterations : 0, stop.minutes ? state.elapsedMs / (stop.minutes * 60_000) : 0),
      });
    }
  } finally {
    await actors.close();
    reporter.stop();
  }
  if (state.checkpoint && !o.skipFinal && config.final.games > 0 && already === null) {
    const starts = config.final.minStones > 0 ? `from labelled positions with at least ${config.final.minStones} stones` : 'from random first moves';
    reporter.info(`closing test: ${config.final.games} games against perfect play ${starts} (search with ${config.final.simulations} simulations, then the raw network)`);
    final = await finalPerfectPlayTest({ game, config, folder, checkpoint: state.checkpoint, workers: config.selfplay.workers });
    if (final.length) await folder.appendMetrics({ type: 'final', iteration: state.iteration, elapsedS: state.elapsedMs / 1000, games: state.games, results: final });
  }
  const reportPath = await writeReport(folder.dir);
  trainer.dispose();
  model.dispose();
  return {
    runDir: folder.dir,
    game: game.spec,
    iterations: state.iteration,
    games: state.games,
    positions: state.positions,
    trainSteps: state.trainSteps,
    elapsedMs: state.elapsedMs,
    checkpoint: state.checkpoint ? join(folder.checkpointsDir, state.checkpoint) : null,
    firstLosses,
    lastLosses,
    lastEvaluation,
    final,
    stoppedBy: already !== null ? 'already-done' : (done() ?? 'iterations'),
    reportPath,
  };
}

/** Writes the current weights where the actors load them; the version tells workers to reload. */
async function exportForActors(model: PolicyValueModel, game: Game, runDir: string, version: number): Promise<{ path: string; version: number }> {
  const path = join(runDir, 'actor-model.onnx');
  await exportOnnx(model, game, path);
  return { path, version };
}

/** A 31-bit integer from the run's seed string, for the weight initialisation. */
function seedNumber(seed: string): number {
  return createRng(deriveSeed(seed, 'weights')).int(2 ** 31 - 1);
}
