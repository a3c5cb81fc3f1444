import type { Game } from '../core/index.js';
import type { TrainConfig } from './config.js';
import type { ActorMetrics, DistributedMetrics } from './metrics.js';
import type { TrainReporter } from './progress.js';
import type { SelfPlayBatch } from './selfplay-batch.js';
import type { SelfPlaySettings } from './selfplay-game.js';

/**
 * Where the learner's self-play games come from. Local training plays them in worker threads of
 * its own process (Actors); a distributed run (src/distributed, `arbor train --redis`) collects
 * the games that actor processes elsewhere played. The learner speaks only this interface, so
 * the rest of a run (training, checkpoints, evaluation, metrics, report) is the same either way.
 */
export interface SelfPlaySource {
  /**
   * The games of one iteration, played with the model of `request` (its ONNX file and version):
   * a new version is the model every game from now on should be played with.
   */
  play(request: SelfPlayRequest): Promise<SelfPlayBatch>;
  /** The run folder has committed every iteration up to `iteration` (state.json was replaced). */
  committed?(iteration: number): Promise<void>;
  /** For the metrics row of an iteration: the live actors and the source's own counters. */
  metrics?(): Promise<{ actors: ActorMetrics[]; distributed: DistributedMetrics }>;
  /** One line for the run's start-up banner. */
  readonly description: string;
  close(): Promise<void>;
}

/** One iteration's self-play, as the learner asks for it. */
export interface SelfPlayRequest {
  /** The iteration these games are for (distributed sources record it next to the replay data). */
  iteration?: number;
  onnxPath: string;
  modelVersion: number;
  settings: SelfPlaySettings;
  seed: string;
  firstGame: number;
  games: number;
  recordOwnership?: boolean;
  /** Another board size of the run's game (a multi-size run). */
  game?: Game;
  /**
   * Hands each game over as soon as it ends (its own chunk and totals) instead of with the
   * returned batch, whose chunk then holds no samples (local actors; a distributed actor uses it).
   */
  onGame?: (game: SelfPlayBatch) => void;
}

/** Builds a run's self-play source once its folder, config and committed iteration are known. */
export type SelfPlaySourceFactory = (run: { game: Game; config: TrainConfig; runDir: string; iteration: number; reporter: TrainReporter }) => Promise<SelfPlaySource>;
