import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, deriveSeed, freshSeed, writeFileAtomic, ArborError, type Game, type Rng } from '../core/index.js';
import { createGame } from '../envs/index.js';
import {
  architectureFor, augmentWithSymmetry, createModel, defaultModelConfig, describeNetwork, exportOnnx, gameViewWeights, GameView, loadCheckpoint, onnxModelBytes,
  PolicyValueModel, saveCheckpoint, selectBackend, Trainer, unionArchitecture, type TrainerOptions,
} from '../networks/index.js';
import { Actors } from './actors.js';
import type { SelfPlaySource, SelfPlaySourceFactory } from './selfplay-source.js';
import { isPresetName, resolveConfig, type TrainConfig } from './config.js';
import { checkFinalStarts, evaluateCheckpoint, finalPerfectPlayTest, gateCandidate, type GateResult } from './evaluation.js';
import { budgetProgress, learningRateFactor } from './lr-anneal.js';
import type { EvaluationRecord, IterationMetrics, PerfectPlayResult } from './metrics.js';
import type { PresetName } from './presets.js';
import { silentReporter, type TrainReporter } from './progress.js';
import { emptyChunk, ReplayBuffer, type SampleChunk } from './replay-buffer.js';
import { writeReport } from './report.js';
import { checkpointName, RunFolder, STATE_FORMAT, type RunState } from './run-folder.js';
import type { SelfPlayBatch } from './selfplay-batch.js';
import { ownershipPlanes } from './targets/index.js';
import { resolveModuleNames } from '../transfer/assemble.js';
import { warmStartNetwork } from '../transfer/warm-start.js';
import { canonicalNetworkRef, readNetwork } from '../transfer/network-source.js';
import { checkResumeInit } from './resume-options.js';
import { drawSizeCounts, interleaveSteps, largestIndex } from './board-sizes.js';
import { runGames } from './run-games.js';
import type { GameEvaluation, SizeMetrics } from './metrics.js';
import { addStats, emptyStats } from './selfplay-stats.js';
import { checkPublishName, publishRun, type Published, type PublishOptions } from './publish.js';

/**
 * The learner (AlphaZero, Silver et al. 2018, without gating by default), as steps:
 *   restore   open the run folder: weights, optimizer, replay window, random streams and counters
 *             exactly as the last commit left them (or fresh for a new run);
 *   play      the actors play `gamesPerIteration` self-play games with the latest exported model;
 *   train     their samples enter the replay window (KataGo's growing window) and the run folder,
 *             and the network takes as many gradient steps as keep the sample-reuse ratio at its
 *             setting (trained samples per new sample), each on a batch drawn from the window
 *             under a random symmetry;
 *   commit    the new weights go to the actors as ONNX and into a checkpoint with the optimizer,
 *             then state.json commits the iteration and its metrics row is appended;
 *   gate      (with `gating.enabled`, inside commit) a new checkpoint reaches the actors only
 *             after it beats the current one (AlphaGo Zero's gate, decided by an SPRT);
 *   evaluate  every `evaluation.every` iterations, an arena against fixed references and previous
 *             checkpoints, plus the perfect-play oracle where a solver exists.
 * With `selfplay.overlapTraining` the actors already play the next iteration's games (with the
 * model of this one) while this one trains, so neither core idles while tfjs trains on one of them.
 */

export interface TrainOptions {
  runDir: string;
  resume?: boolean;
  /** Game spec; required for a new run (unless `games` is given), optional (and checked) on resume. */
  game?: string;
  /**
   * A run over several games: sizes of one family (`--sizes`; the largest becomes the run's
   * `game`), or different games (`--game` repeated; the first is the run's `game`) trained by one
   * union network. `gameWeights` (one per spec) sets how often each is drawn.
   */
  games?: string[];
  gameWeights?: number[];
  /** The flag `games` came from, for error lines (default: `--sizes` for sizes of one game, else `--game`). */
  gamesFlag?: string;
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
  /**
   * Warm start of a new run (`--init-from` and friends): recorded in config.json as `init`. On
   * resume it must equal what the run recorded (the run's own checkpoint carries on).
   */
  init?: TrainConfig['init'];
  /** At the end of the run, add its final network to the user library under this name (`--publish`). */
  publish?: PublishOptions;
  /** Where self-play games come from instead of local worker threads (`--redis`: actor processes, src/distributed). */
  selfPlaySource?: SelfPlaySourceFactory;
}

/** Mean losses of an iteration's gradient steps (ownership is 0 without an ownership head). */
export interface IterationLosses {
  policy: number;
  value: number;
  ownership: number;
}

export interface TrainSummary {
  runDir: string;
  /** The run's main game (the largest size of a family, the first of several games). */
  game: string;
  /** A run over several sizes or games: all of them, in the order of config `games`. */
  trainedGames?: string[];
  iterations: number;
  games: number;
  positions: number;
  trainSteps: number;
  elapsedMs: number;
  checkpoint: string | null;
  /** Mean losses of the first and the last iteration that trained (in this session). */
  firstLosses: IterationLosses | null;
  lastLosses: IterationLosses | null;
  /** The last evaluation (of the run's main game; a run over several sizes or games has each in `byGame`). */
  lastEvaluation: (EvaluationRecord & { byGame?: GameEvaluation[] }) | null;
  /** The closing test against perfect play (search, then raw network); empty without a solver. */
  final: PerfectPlayResult[];
  stoppedBy: 'iterations' | 'minutes' | 'already-done';
  reportPath: string;
  /** With `publish`: the library entries the final network became. */
  published?: Published;
}

/** What `play` returns: the iteration's samples and totals, and how long the games took. */
export interface PlayedIteration {
  /** The samples (of the run's main game) and the totals over every size. */
  batch: SelfPlayBatch;
  ms: number;
  /** A multi-size run: each size's games, in the order of config `games` (empty where none was drawn). */
  sizes?: SelfPlayBatch[];
}

/** What `train` returns: the gradient steps taken, their mean losses (null without steps), how long they took. */
export interface TrainedIteration {
  steps: number;
  /** A multi-size run: the steps taken on batches of each size. */
  sizeSteps?: number[];
  losses: IterationLosses | null;
  ms: number;
}

/** The model the actors play with: an ONNX file and a version that tells workers to reload it. */
interface ActorModel {
  path: string;
  version: number;
  /** A multi-game run: each game's own view of the network, in the order of `games`. */
  paths?: string[];
}

/** One board size (or game) of a run over several: its game, its replay window and its batch buffer. */
interface SizeLane {
  game: Game;
  replay: ReplayBuffer;
  batch: SampleChunk;
  /** A multi-game run: the game's place in the union network (its batches are expanded to it). */
  view: GameView | null;
}

/** Runs `arbor train`: restores (or starts) the run, iterates until the budget is spent, closes it. */
export async function train(o: TrainOptions): Promise<TrainSummary> {
  if (o.publish) checkPublishName(o.publish);
  const learner = await Learner.restore(o);
  let summary: TrainSummary;
  try {
    summary = await learner.run();
  } finally {
    await learner.close();
  }
  if (!o.publish) return summary;
  if (!summary.checkpoint) throw new ArborError(`--publish ${o.publish.name}: the run in ${summary.runDir} has no checkpoint to publish; train at least one iteration`);
  return { ...summary, published: await publishRun(summary.runDir, o.publish, summary.lastEvaluation, learner.games) };
}

export class Learner {
  private readonly batch: SampleChunk;
  /** A multi-size run's sizes (config `games`), else null. */
  private readonly lanes: SizeLane[] | null;
  private readonly sessionStart = performance.now();
  private readonly elapsedBefore: number;
  /** Whether the budget was already spent when this session began. */
  private readonly alreadyDone: 'iterations' | 'minutes' | null;
  private actorModel: ActorModel;
  /** With overlapping play: the next iteration's games, already under way. */
  private pending: Promise<PlayedIteration> | null = null;
  private firstLosses: IterationLosses | null = null;
  private lastLosses: IterationLosses | null = null;
  private lastEvaluation: (EvaluationRecord & { byGame?: GameEvaluation[] }) | null = null;
  private actorsClosed = false;
  private closed = false;

  private constructor(
    readonly game: Game,
    readonly config: TrainConfig,
    readonly folder: RunFolder,
    /** The run's counters as of the last step (committed by `commit`). */
    readonly state: RunState,
    /** Total budget of the run: iterations and/or minutes (0 = no limit). */
    readonly stop: { iterations: number; minutes: number },
    private readonly model: PolicyValueModel,
    private readonly trainer: Trainer,
    private readonly replay: ReplayBuffer,
    private readonly sampleRng: Rng,
    private readonly augmentRng: Rng,
    private readonly reporter: TrainReporter,
    private readonly skipFinal: boolean,
    /** The board sizes the run trains: [game] for a run on one size. */
    readonly games: readonly Game[],
    sizeReplays: readonly ReplayBuffer[],
    /** Games of several ids, trained by one union network. */
    readonly multiGame: boolean,
    /** Plays (or collects) the self-play games: local worker threads, or actor processes elsewhere. */
    private readonly actors: SelfPlaySource,
  ) {
    this.batch = emptyChunk(game, config.training.batchSize, this.ownership);
    this.lanes = games.length > 1
      ? games.map((g, k) => ({ game: g, replay: sizeReplays[k], batch: emptyChunk(g, config.training.batchSize, this.ownership), view: multiGame ? new GameView(model.architecture, g) : null }))
      : null;
    this.elapsedBefore = state.elapsedMs;
    this.alreadyDone = this.done();
    // With gating the actors play with the last accepted checkpoint, otherwise with the newest weights.
    if (this.gated) state.acceptedCheckpoint ??= state.checkpoint;
    this.actorModel = { path: '', version: -1 };
  }

  /**
   * Opens the run in `o.runDir`: a new one (config from the preset, a config file and flags,
   * weights freshly initialised from the seed), or with `resume` the committed state of an
   * earlier one, with everything written after its last commit discarded.
   */
  static async restore(o: TrainOptions): Promise<Learner> {
    const reporter = o.reporter ?? silentReporter;
    const { game, games, multiGame, config, folder, state, stop } = await openRun(o);
    const backend = await selectBackend('auto', { quiet: true });
    reporter.info(`arbor train ${game.spec} (${config.preset}), run folder ${folder.dir}, seed ${config.seed}`);
    if (multiGame) reporter.info(`games: ${games.map((g, k) => `${g.spec} (weight ${config.gameWeights?.[k] ?? 1})`).join(', ')}; one network over the union of their planes and action kinds, batches of one game each, evaluation on every game`);
    else if (games.length > 1) reporter.info(`board sizes: ${games.map((g, k) => `${g.spec} (weight ${config.gameWeights?.[k] ?? 1})`).join(', ')}; one network, batches of one size each, evaluation on every size`);
    reporter.info(`self-play: ${o.selfPlaySource ? 'actor processes (see below)' : `${config.selfplay.workers} worker thread(s) × ${config.selfplay.concurrentGames} games with ONNX Runtime (1 thread each)`}; training: tfjs ${backend} backend`);
    reporter.info(`budget: ${stop.iterations ? `${stop.iterations} iterations` : ''}${stop.iterations && stop.minutes ? ' or ' : ''}${stop.minutes ? `${stop.minutes} minutes` : ''} in total${state.iteration ? `; resuming after iteration ${state.iteration}` : ''}`);

    const baseTrainerOptions: TrainerOptions = {
      optimizer: config.training.optimizer, learningRate: config.training.learningRate, l2: config.training.weightDecay, ownershipWeight: config.training.ownershipWeight,
      ...(multiGame ? { unionOf: games } : {}),
    };
    // Frozen modules (a warm start's --freeze) stay as loaded, in this session and after a resume.
    const trainerOptions = (model: PolicyValueModel): TrainerOptions => (config.init && config.init.freeze.length > 0
      ? { ...baseTrainerOptions, frozen: resolveModuleNames(model.description, config.init.freeze, '--freeze') }
      : baseTrainerOptions);
    // KataGo's ownership target: the head exists exactly when its loss has a weight.
    const ownership = config.training.ownershipWeight > 0;
    let model: PolicyValueModel;
    let trainer: Trainer;
    if (state.checkpoint) {
      // A multi-game checkpoint holds the union network: loaded whole, not as one game's view.
      const loaded = await loadCheckpoint(folder.checkpointDir(state.checkpoint), multiGame ? undefined : game);
      model = loaded.model;
      trainer = new Trainer(model, game, trainerOptions(model));
      if (!loaded.optimizer) throw new ArborError(`run folder ${o.runDir} is corrupt: checkpoint ${state.checkpoint} has no optimizer state; start a new run in another --run-dir`);
      trainer.writeState(loaded.optimizer);
      if ((model.config.ownership === true) !== ownership) throw new ArborError(`run folder ${o.runDir} is corrupt: its checkpoint ${model.config.ownership === true ? 'has' : 'lacks'} an ownership head but its config has training.ownershipWeight ${config.training.ownershipWeight}; start a new run in another --run-dir`);
    } else if (config.init) {
      // The network's shape comes from the source (and --grow); config.model does not apply.
      const warm = await warmStartNetwork(game, config.init, { seed: seedNumber(config.seed), ownership });
      model = warm.model;
      for (const line of [`warm start for ${game.spec}:`, ...warm.record.lines]) reporter.info(line);
      await writeFileAtomic(join(folder.dir, 'init.json'), `${JSON.stringify(warm.record, null, 2)}\n`);
      trainer = new Trainer(model, game, trainerOptions(model));
      if (trainer.frozen.length > 0) reporter.info(`frozen (not trained): ${trainer.frozen.join(', ')}`);
    } else if (multiGame) {
      // One network over every game: the default shape of the largest board, the planes and heads of all.
      const modelConfig = { ...defaultModelConfig(games[largestIndex(games)]), seed: seedNumber(config.seed), ...config.model, ...(ownership ? { ownership: true } : {}) };
      model = new PolicyValueModel(unionArchitecture(games, modelConfig));
      trainer = new Trainer(model, game, trainerOptions(model));
    } else {
      model = createModel(game, { seed: seedNumber(config.seed), ...config.model, ...(ownership ? { ownership: true } : {}) });
      trainer = new Trainer(model, game, trainerOptions(model));
    }
    const replay = new ReplayBuffer(game, config.replay);
    const sizeReplays: ReplayBuffer[] = [];
    if (games.length > 1) {
      // Each size keeps its own window (KataGo's formula over that size's positions), so its share of the steps follows its share of the data.
      for (const [k, g] of games.entries()) {
        const r = new ReplayBuffer(g, config.replay);
        const saved = state.sizes?.[k];
        if (saved) {
          if (saved.game !== g.spec) throw new ArborError(`run folder ${o.runDir} is corrupt: its state lists size ${saved.game} where its config has ${g.spec}; start a new run in another --run-dir`);
          const sizeChunks = await folder.loadChunks(g, saved.replay.chunks, k);
          sizeChunks.forEach((c, i) => r.restoreChunk(c, saved.replay.chunks[i]));
          r.restoreCounters(saved.replay);
        }
        sizeReplays.push(r);
      }
    } else {
      const chunks = await folder.loadChunks(game, state.replay.chunks);
      chunks.forEach((c, i) => replay.restoreChunk(c, state.replay.chunks[i]));
      replay.restoreCounters(state.replay);
    }
    const sampleRng = createRng(deriveSeed(config.seed, 'replay'), state.rng.replay);
    const augmentRng = createRng(deriveSeed(config.seed, 'augment'), state.rng.augment);
    const source = o.selfPlaySource ? await o.selfPlaySource({ game, config, runDir: folder.dir, iteration: state.iteration, reporter }) : new Actors(game, config.selfplay.workers);
    if (o.selfPlaySource) reporter.info(`self-play source: ${source.description}`);
    const learner = new Learner(game, config, folder, state, stop, model, trainer, replay, sampleRng, augmentRng, reporter, o.skipFinal === true, games, sizeReplays, multiGame, source);
    try {
      await learner.handOffInitialModel();
    } catch (e) {
      await learner.close();
      throw e;
    }
    return learner;
  }

  private get ownership(): boolean {
    return this.config.training.ownershipWeight > 0;
  }

  private get gated(): boolean {
    return this.config.gating.enabled;
  }

  /** Training time of the run so far, over all sessions, in ms. */
  elapsed(): number {
    return this.elapsedBefore + (performance.now() - this.sessionStart);
  }

  /** Which budget is spent, if any. */
  done(): 'iterations' | 'minutes' | null {
    if (this.stop.iterations > 0 && this.state.iteration >= this.stop.iterations) return 'iterations';
    if (this.stop.minutes > 0 && this.elapsed() >= this.stop.minutes * 60_000) return 'minutes';
    return null;
  }

  /** Iterates until the budget is spent, then runs the closing test and writes the report. */
  async run(): Promise<TrainSummary> {
    try {
      while (!this.done()) await this.iterate();
    } finally {
      await this.closeActors();
      this.reporter.stop();
    }
    const { config, state } = this;
    let final: PerfectPlayResult[] = [];
    if (state.checkpoint && !this.skipFinal && config.final.games > 0 && this.alreadyDone === null) {
      const starts = config.final.minStones > 0 ? `from labelled positions with at least ${config.final.minStones} stones` : 'from random first moves';
      this.reporter.info(`closing test: ${config.final.games} games against perfect play ${starts} (search with ${config.final.simulations} simulations, then the raw network)`);
      final = await finalPerfectPlayTest({ game: this.game, config, folder: this.folder, checkpoint: state.checkpoint, workers: config.selfplay.workers });
      if (final.length) await this.folder.appendMetrics({ type: 'final', iteration: state.iteration, elapsedS: state.elapsedMs / 1000, games: state.games, results: final });
    }
    const reportPath = await writeReport(this.folder.dir);
    return {
      runDir: this.folder.dir,
      game: this.game.spec,
      ...(this.games.length > 1 ? { trainedGames: this.games.map((g) => g.spec) } : {}),
      iterations: state.iteration,
      games: state.games,
      positions: state.positions,
      trainSteps: state.trainSteps,
      elapsedMs: state.elapsedMs,
      checkpoint: state.checkpoint ? join(this.folder.checkpointsDir, state.checkpoint) : null,
      firstLosses: this.firstLosses,
      lastLosses: this.lastLosses,
      lastEvaluation: this.lastEvaluation,
      final,
      stoppedBy: this.alreadyDone !== null ? 'already-done' : (this.done() ?? 'iterations'),
      reportPath,
    };
  }

  /** One iteration: play, train, commit (with gating), evaluate when due; returns its metrics row. */
  async iterate(): Promise<IterationMetrics> {
    const iteration = this.state.iteration + 1;
    const played = await this.play(iteration);
    const trained = await this.train(iteration, played);
    const { record, checkpointed } = await this.commit(iteration, played, trained);
    const evaluateNow = checkpointed && this.config.evaluation.every > 0 && (iteration % this.config.evaluation.every === 0 || this.done() !== null);
    if (evaluateNow && this.state.checkpoint) await this.evaluate(iteration, this.state.checkpoint);
    const { stop, state } = this;
    this.reporter.progress({
      iteration,
      games: state.games,
      positionsPerSecond: record.positionsPerSecond,
      policyLoss: record.policyLoss,
      valueLoss: record.valueLoss,
      elo: state.elo,
      ...(record.actors ? { actors: record.actors } : {}),
      fraction: Math.max(stop.iterations ? iteration / stop.iterations : 0, stop.minutes ? state.elapsedMs / (stop.minutes * 60_000) : 0),
    });
    return record;
  }

  /**
   * The self-play games of `iteration`: taken from the overlapping start when one is under way.
   * With `selfplay.overlapTraining` the next iteration's games start now, with the current model,
   * and run while this one trains (one version stale, as in asynchronous AlphaZero/KataGo
   * pipelines), so the core the learner leaves idle keeps playing.
   */
  async play(iteration: number): Promise<PlayedIteration> {
    const played = await (this.pending ?? this.startPlay(iteration, this.state.games));
    this.pending = null;
    if (this.config.selfplay.overlapTraining && (this.stop.iterations === 0 || iteration < this.stop.iterations)) {
      this.pending = this.startPlay(iteration + 1, this.state.games + played.batch.stats.games);
      this.pending.catch(() => undefined); // abandoned when the time budget ends first
    }
    return played;
  }

  private async startPlay(iteration: number, firstGame: number): Promise<PlayedIteration> {
    if (this.lanes) return this.startPlaySizes(iteration, firstGame, this.lanes);
    const t0 = performance.now();
    const batch = await this.actors.play({
      iteration,
      onnxPath: this.actorModel.path,
      modelVersion: this.actorModel.version,
      settings: this.config.selfplay,
      seed: deriveSeed(this.config.seed, 'selfplay', iteration),
      firstGame,
      games: this.config.selfplay.gamesPerIteration,
      recordOwnership: this.ownership,
    });
    return { batch, ms: performance.now() - t0 };
  }

  /**
   * A multi-size iteration: each game draws its board size (weights `gameWeights`, from a stream
   * of its own per iteration), and each size's games go to the actors at once; the games stay
   * numbered consecutively across sizes, so every game has its own random stream.
   */
  private async startPlaySizes(iteration: number, firstGame: number, lanes: SizeLane[]): Promise<PlayedIteration> {
    const t0 = performance.now();
    const { config } = this;
    const counts = drawSizeCounts(config.gameWeights ?? lanes.map(() => 1), config.selfplay.gamesPerIteration, createRng(deriveSeed(config.seed, 'sizes', iteration)));
    let first = firstGame;
    const sizes = await Promise.all(lanes.map((lane, k) => {
      const games = counts[k];
      const start = first;
      first += games;
      if (games === 0) return Promise.resolve<SelfPlayBatch>({ chunk: emptyChunk(lane.game, 0, this.ownership), stats: emptyStats() });
      return this.actors.play({
        iteration,
        onnxPath: this.actorModel.paths?.[k] ?? this.actorModel.path,
        modelVersion: this.actorModel.version,
        settings: config.selfplay,
        seed: deriveSeed(config.seed, 'selfplay', iteration),
        firstGame: start,
        games,
        recordOwnership: this.ownership,
        game: lane.game,
      });
    }));
    const stats = emptyStats();
    for (const b of sizes) addStats(stats, b.stats);
    const main = this.games.findIndex((g) => g.spec === this.game.spec);
    return { batch: { chunk: sizes[main].chunk, stats }, ms: performance.now() - t0, sizes };
  }

  /**
   * The samples of `iteration` enter the replay window and the run folder; then the gradient
   * steps due (sample reuse), at the annealed learning rate.
   */
  async train(iteration: number, played: PlayedIteration): Promise<TrainedIteration> {
    if (this.lanes) return this.trainSizes(iteration, played, this.lanes);
    const { config, replay, batch, game } = this;
    replay.add(played.batch.chunk, iteration);
    await this.folder.writeChunk(game, iteration, played.batch.chunk);
    const t1 = performance.now();
    this.trainer.learningRateScale = learningRateFactor(config.training.learningRateDecay, budgetProgress(this.stop, iteration, this.elapsed()));
    const steps = replay.stepsDue(config.training.batchSize);
    const sums = { policy: 0, value: 0, ownership: 0 };
    for (let s = 0; s < steps; s++) await this.trainStep(game, replay, batch, sums);
    return { steps, losses: this.recordLosses(sums, steps), ms: performance.now() - t1 };
  }

  /** One gradient step on a batch sampled from `replay` (boards of `shape`, default the run's); adds its losses to `sums`. */
  private async trainStep(game: Game, replay: ReplayBuffer, batch: SampleChunk, sums: { policy: number; value: number; ownership: number }, shape?: Game['shape'], view?: GameView | null): Promise<void> {
    const { config } = this;
    replay.sample(batch, config.training.batchSize, this.sampleRng);
    const input = { inputs: batch.inputs, policyTargets: batch.policies, valueTargets: batch.values, masks: batch.masks, ownershipTargets: batch.ownership, count: batch.count, shape };
    const augmented = config.training.augmentSymmetry ? augmentWithSymmetry(game, input, this.augmentRng) : input;
    // A multi-game batch goes to the union network in its layout, training only its game's planes and heads.
    const losses = await this.trainer.trainBatch(view ? view.expand(augmented) : augmented);
    replay.consumed(batch.count);
    sums.policy += losses.policyLoss;
    sums.value += losses.valueLoss;
    sums.ownership += losses.ownershipLoss;
  }

  /** The iteration's mean losses (null without a step), remembered as the run's first and last. */
  private recordLosses(sums: { policy: number; value: number; ownership: number }, steps: number): TrainedIteration['losses'] {
    const losses = steps > 0 ? { policy: sums.policy / steps, value: sums.value / steps, ownership: sums.ownership / steps } : null;
    if (losses) {
      this.firstLosses ??= losses;
      this.lastLosses = losses;
    }
    return losses;
  }

  /**
   * A multi-size iteration's training: each size's samples enter its own window and file; each
   * size owes steps by its own sample reuse, and the steps run in a shuffled order, every batch
   * drawn from one size (a batch's tensors have one board shape; KataGo does the same).
   */
  private async trainSizes(iteration: number, played: PlayedIteration, lanes: SizeLane[]): Promise<TrainedIteration> {
    const { config } = this;
    const sizes = played.sizes;
    if (!sizes || sizes.length !== lanes.length) throw new ArborError(`a multi-size run over ${lanes.length} sizes was handed self-play games without per-size samples; play them with this learner's play()`);
    for (const [k, lane] of lanes.entries()) {
      const chunk = sizes[k].chunk;
      if (chunk.count === 0) continue;
      lane.replay.add(chunk, iteration);
      await this.folder.writeChunk(lane.game, iteration, chunk, k);
    }
    const t1 = performance.now();
    this.trainer.learningRateScale = learningRateFactor(config.training.learningRateDecay, budgetProgress(this.stop, iteration, this.elapsed()));
    const sizeSteps = lanes.map((lane) => lane.replay.stepsDue(config.training.batchSize));
    const order = interleaveSteps(sizeSteps, this.sampleRng);
    const sums = { policy: 0, value: 0, ownership: 0 };
    for (const k of order) {
      const { game, replay, batch, view } = lanes[k];
      // Each batch is of one board size (and game) and says so; the weights fit every size.
      await this.trainStep(game, replay, batch, sums, game.shape, view);
    }
    const steps = order.length;
    return { steps, sizeSteps, losses: this.recordLosses(sums, steps), ms: performance.now() - t1 };
  }

  /**
   * Commits `iteration`: counters; the new weights to the actors (ONNX) unless gated; a
   * checkpoint (every `checkpointEvery` iterations, at the end of the budget, and every
   * iteration with gating) put through the gate; state.json and pruning; the metrics row.
   */
  async commit(iteration: number, played: PlayedIteration, trained: TrainedIteration): Promise<{ record: IterationMetrics; checkpointed: boolean }> {
    const { config, state, folder, replay, game } = this;
    const stats = played.batch.stats;
    state.iteration = iteration;
    state.games += stats.games;
    state.positions += stats.moves;
    state.trainSteps += trained.steps;
    state.resign.playthroughGames += stats.playthroughGames;
    state.resign.falseResignations += stats.falseResignations;
    const checkpointNow = this.gated || iteration % config.training.checkpointEvery === 0 || this.done() !== null;
    if (!this.gated) this.actorModel = await this.exportForActors(iteration);
    if (checkpointNow) {
      const name = checkpointName(iteration);
      await saveCheckpoint(folder.checkpointDir(name), { model: this.model, trainer: this.trainer, game, ...(this.multiGame ? { games: this.games } : {}), meta: { iteration, games: state.games, seed: config.seed, run: folder.dir } });
      state.checkpoint = name;
    }
    if (this.lanes) {
      state.sizes = this.lanes.map((lane) => ({ game: lane.game.spec, replay: { ...lane.replay.counters(), chunks: lane.replay.chunkIds() } }));
      const sum = (f: (c: ReturnType<ReplayBuffer['counters']>) => number) => this.lanes!.reduce((n, lane) => n + f(lane.replay.counters()), 0);
      state.replay = { totalPositions: sum((c) => c.totalPositions), trainCredit: sum((c) => c.trainCredit), trainedSamples: sum((c) => c.trainedSamples), chunks: [] };
    } else {
      state.replay = { ...replay.counters(), chunks: replay.chunkIds() };
    }
    state.rng = { replay: this.sampleRng.saveState(), augment: this.augmentRng.saveState() };
    state.elapsedMs = this.elapsed();
    const gate = this.gated && state.checkpoint ? await this.gate(iteration, state.checkpoint) : null;
    if (checkpointNow) {
      await folder.commit(state);
      await this.actors.committed?.(iteration);
      await folder.prune(state, config.training.keepCheckpoints);
    }
    const losses = trained.losses;
    const record: IterationMetrics = {
      type: 'iteration',
      iteration,
      elapsedS: state.elapsedMs / 1000,
      games: state.games,
      positions: state.positions,
      samples: this.lanes ? this.lanes.reduce((n, lane) => n + lane.replay.totalPositions, 0) : replay.totalPositions,
      window: this.lanes ? this.lanes.reduce((n, lane) => n + lane.replay.window, 0) : replay.window,
      trainSteps: state.trainSteps,
      policyLoss: losses?.policy ?? null,
      valueLoss: losses?.value ?? null,
      ...(this.ownership ? { ownershipLoss: losses?.ownership ?? null } : {}),
      positionsPerSecond: stats.moves / (played.ms / 1000),
      selfplayS: played.ms / 1000,
      trainS: trained.ms / 1000,
      learningRate: this.trainer.learningRate(),
      firstWins: stats.firstWins,
      secondWins: stats.secondWins,
      draws: stats.draws,
      resigned: stats.resigned,
      playthroughGames: stats.playthroughGames,
      falseResignations: stats.falseResignations,
      ...(this.lanes ? { sizes: this.sizeMetrics(this.lanes, played, trained) } : {}),
      ...(gate ? { gateAccepted: gate.accepted, gateWins: gate.wins, gateDraws: gate.draws, gateLosses: gate.losses } : {}),
      ...(await this.actors.metrics?.()),
    };
    await folder.appendMetrics(record);
    return { record, checkpointed: checkpointNow };
  }

  private sizeMetrics(lanes: SizeLane[], played: PlayedIteration, trained: TrainedIteration): SizeMetrics[] {
    return lanes.map((lane, k) => ({
      game: lane.game.spec,
      games: played.sizes?.[k].stats.games ?? 0,
      samples: played.sizes?.[k].chunk.count ?? 0,
      trainSteps: trained.sizeSteps?.[k] ?? 0,
      window: lane.replay.window,
    }));
  }

  /**
   * Gating (AlphaGo Zero): `candidate` plays the checkpoint the actors use, under an SPRT; the
   * actors move on to it only when it is accepted. The run's first checkpoint is accepted as is
   * (returns null then: no match was played).
   */
  async gate(iteration: number, candidate: string): Promise<GateResult | null> {
    const { state, folder } = this;
    let gate: GateResult | null = null;
    if (!state.acceptedCheckpoint) {
      state.acceptedCheckpoint = candidate;
    } else {
      const incumbent = state.acceptedCheckpoint;
      gate = await gateCandidate({ game: this.game, config: this.config, folder, candidate, incumbent, workers: this.config.selfplay.workers });
      if (gate.accepted) state.acceptedCheckpoint = candidate;
      this.reporter.info(`gate ${candidate} vs ${incumbent}: +${gate.wins}=${gate.draws}-${gate.losses} (SPRT ${gate.decision}) -> ${gate.accepted ? 'accepted' : 'rejected'}`);
    }
    this.actorModel = { path: join(folder.checkpointDir(state.acceptedCheckpoint), 'model.onnx'), version: iteration };
    return gate;
  }

  /** In-run evaluation of the committed `checkpoint`: arena, Elo, oracle; commits the Elo and appends the evaluation row. */
  async evaluate(iteration: number, checkpoint: string): Promise<EvaluationRecord> {
    const { config, state, folder } = this;
    const workers = config.selfplay.workers;
    const evaluation = await evaluateCheckpoint({ game: this.game, config, folder, state, checkpoint, workers });
    // A run over several sizes or games evaluates each of them (the checkpoint plays each through the model loader).
    let byGame: GameEvaluation[] | undefined;
    if (this.games.length > 1) {
      byGame = [];
      for (const g of this.games) {
        if (g.spec === this.game.spec) {
          byGame.push({ game: g.spec, ...evaluation });
          continue;
        }
        state.gameReferencePairs ??= {};
        const ladder = { referencePairs: state.gameReferencePairs[g.spec] };
        const other = await evaluateCheckpoint({ game: g, config, folder, state, checkpoint, workers, ladder, seedSalt: g.spec });
        if (ladder.referencePairs) state.gameReferencePairs[g.spec] = ladder.referencePairs;
        byGame.push({ game: g.spec, ...other });
      }
    }
    this.lastEvaluation = byGame ? { ...evaluation, byGame } : evaluation;
    state.elo = evaluation.elo;
    if (!state.evaluatedCheckpoints.includes(checkpoint)) state.evaluatedCheckpoints.push(checkpoint);
    state.evaluatedCheckpoints = state.evaluatedCheckpoints.slice(-Math.max(1, config.evaluation.previousCheckpoints + 1));
    // The budget counts the evaluation's time (done() reads the live clock), so the committed
    // clock must too: otherwise a resumed run would train that long again.
    state.elapsedMs = this.elapsed();
    await folder.commit(state);
    await folder.appendMetrics({ type: 'evaluation', iteration, elapsedS: state.elapsedMs / 1000, games: state.games, ...evaluation, ...(byGame ? { byGame } : {}) });
    if (byGame) {
      this.reporter.info(`evaluation after iteration ${iteration}:`);
      for (const e of byGame) this.reporter.info(`  ${e.game}: ${e.summary}`);
    } else {
      this.reporter.info(`evaluation after iteration ${iteration}: ${evaluation.summary}`);
    }
    return evaluation;
  }

  /** Stops the actors and frees the network; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.closeActors();
    } finally {
      this.reporter.stop();
      this.trainer.dispose();
      this.model.dispose();
    }
  }

  private async closeActors(): Promise<void> {
    if (this.actorsClosed) return;
    this.actorsClosed = true;
    await this.actors.close();
  }

  /** The model the actors start with: the accepted checkpoint under gating, else the current weights. */
  private async handOffInitialModel(): Promise<void> {
    const { state, folder } = this;
    this.actorModel = this.gated && state.acceptedCheckpoint
      ? { path: join(folder.checkpointDir(state.acceptedCheckpoint), 'model.onnx'), version: state.iteration }
      : await this.exportForActors(state.iteration);
  }

  /**
   * Writes the current weights where the actors load them; the version tells workers to reload. A
   * multi-game run writes each game's view of the union network (its planes, its action kinds).
   */
  private async exportForActors(version: number): Promise<ActorModel> {
    const path = join(this.folder.dir, 'actor-model.onnx');
    if (!this.multiGame) {
      await exportOnnx(this.model, this.game, path);
      return { path, version };
    }
    const network = { architecture: this.model.architecture, weights: await this.model.readWeights() };
    const paths = await Promise.all(this.games.map(async (g, k) => {
      const gamePath = join(this.folder.dir, `actor-model-${k}.onnx`);
      await writeFileAtomic(gamePath, await onnxModelBytes(gameViewWeights(network, g)));
      return gamePath;
    }));
    return { path: paths[0], version, paths };
  }
}

interface OpenedRun {
  game: Game;
  /** The board sizes (or games) of the run ([game] for one). */
  games: Game[];
  /** Games of several ids: one union network (networks/game-view.ts). */
  multiGame: boolean;
  config: TrainConfig;
  folder: RunFolder;
  state: RunState;
  stop: { iterations: number; minutes: number };
}

/** The run folder, its config and committed state: resumed, or created for a new run. */
async function openRun(o: TrainOptions): Promise<OpenedRun> {
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
    checkResumeInit(config, o.init);
    const listed = config.games ? runGames(config.games, `run folder ${o.runDir}: config games`, config.model) : null;
    const games = listed?.games ?? [game];
    if (o.games && (o.games.map((s) => createGame(s).spec).join(',') !== games.map((g) => g.spec).join(','))) {
      throw new ArborError(`run folder ${o.runDir} trains ${games.length > 1 ? games.map((g) => g.spec).join(', ') : game.spec}, not ${o.games.join(', ')}; drop --sizes (or the extra --game) or give the matching --run-dir`);
    }
    if (o.workers !== undefined) config.selfplay.workers = o.workers;
    const stop = stopRule(config, o);
    await folder.discardUncommitted(state);
    return { game, games, multiGame: listed?.multiGame === true, config, folder, state: state ?? initialState(), stop };
  }
  if (!o.game && !o.games) throw new ArborError('--game is required for a new run (e.g. --game tictactoe); to continue a run, pass --resume --run-dir RUN');
  if (o.gameWeights && !o.games) throw new ArborError('size weights need the sizes they weigh: pass --sizes (or games in --config) with them');
  if (o.gameWeights && o.games && o.gameWeights.length !== o.games.length) throw new ArborError(`${o.gameWeights.length} game weight(s) for ${o.games.length} games (${o.games.join(', ')}); give one weight per game`);
  const listed = o.games ? runGames(o.games, o.gamesFlag ?? (new Set(o.games.map((s) => createGame(s).id)).size > 1 ? '--game' : '--sizes')) : null;
  const family = listed?.games ?? null;
  let game = listed ? listed.games[listed.main] : createGame(o.game!);
  if (listed && !listed.multiGame && o.game && createGame(o.game).id !== game.id) throw new ArborError(`--game ${o.game} and --sizes (${game.id}) name different games; give sizes of ${createGame(o.game).id}`);
  const preset = o.preset ?? 'quick';
  if (!isPresetName(preset)) throw new ArborError(`unknown preset "${String(preset)}"; use quick or standard`);
  const seed = o.seed ?? freshSeed();
  const overrides = o.workers !== undefined || o.init || family ? {
    ...(o.workers !== undefined ? { selfplay: { workers: o.workers } } : {}),
    ...(o.init ? { init: { ...o.init, from: canonicalNetworkRef(o.init.from) } } : {}),
    ...(family ? { games: family.map((g) => g.spec), ...(o.gameWeights ? { gameWeights: o.gameWeights } : {}) } : {}),
  } : undefined;
  const config = resolveConfig({ game: game.spec, gameId: game.id, preset, seed, configFile: o.configFile, overrides });
  let games = [game];
  let multiGame = false;
  if (config.games) {
    // Games from a config file: sizes of --game's family (the run's game becomes the largest), or
    // several games (the first is the run's game; --game must name one of them).
    const where = o.configFile ? `config ${o.configFile}: games` : 'config games';
    const fromConfig = listed ?? runGames(config.games, where, config.model);
    games = fromConfig.games;
    multiGame = fromConfig.multiGame;
    if (!games.some((g) => g.id === game.id)) throw new ArborError(`${where} lists ${[...new Set(games.map((g) => g.id))].join(', ')} but --game is ${game.spec}; give --game ${games[0].id}`);
    game = games[fromConfig.main];
    config.game = game.spec;
    if (multiGame && config.init) throw new ArborError('--init-from starts a network for one game; a multi-game run starts its union network fresh (drop --init-from, or warm-start each game in a run of its own)');
    if (multiGame && config.gating.enabled) throw new ArborError('gating.enabled plays one game\'s candidate against its incumbent; a multi-game run trains several, so turn gating off for it');
  }
  checkFinalStarts(game, config);
  if (config.training.ownershipWeight > 0) games.forEach((g) => ownershipPlanes(g));
  const stop = stopRule(config, o);
  if (config.init) await checkWarmStart(game, config);
  if (o.overwrite && existsSync(join(o.runDir, 'config.json'))) {
    if (!RunFolder.holdsRun(o.runDir)) throw new ArborError(`--overwrite refuses to delete ${o.runDir}: its config.json is not an arbor run's; remove it yourself or choose another --run-dir`);
    await rm(o.runDir, { recursive: true, force: true });
  }
  const folder = await RunFolder.create(o.runDir, { game: game.spec, seed, config });
  return { game, games, multiGame, config, folder, state: initialState(), stop };
}

/**
 * Checks a warm start before the run folder is made: the reference reads, and --freeze and
 * --reinit name modules the run's network has (its heads follow the game's action kinds).
 */
async function checkWarmStart(game: Game, config: TrainConfig): Promise<void> {
  const init = config.init!;
  await readNetwork(init.from);
  const description = describeNetwork(architectureFor(game, { ...defaultModelConfig(game), ownership: config.training.ownershipWeight > 0 }));
  resolveModuleNames(description, init.freeze, '--freeze');
  resolveModuleNames(description, init.reinit, '--reinit');
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

/** Applies --iterations / --minutes (a flag given alone replaces the whole stop rule); refuses a run without one. */
function stopRule(config: TrainConfig, o: TrainOptions): { iterations: number; minutes: number } {
  const stop = o.iterations !== undefined || o.minutes !== undefined ? { iterations: o.iterations ?? 0, minutes: o.minutes ?? 0 } : config.stop;
  if (stop.iterations === 0 && stop.minutes === 0) throw new ArborError('no stopping rule: pass --iterations N or --minutes M (or set stop in --config)');
  return stop;
}


/** A 31-bit integer from the run's seed string, for the weight initialisation. */
function seedNumber(seed: string): number {
  return createRng(deriveSeed(seed, 'weights')).int(2 ** 31 - 1);
}
