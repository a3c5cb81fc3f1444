import type { Evaluator, Game } from '../core/index.js';
import { boardCells, type SampleChunk } from './replay-buffer.js';
import { SampleWriter } from './sample-writer.js';
import { playGames, type SelfPlaySettings } from './selfplay-game.js';
import { addGame, emptyStats, type SelfPlayStats } from './selfplay-stats.js';
import { gameSamples, ownershipPlanes, type TargetSettings } from './targets/index.js';
import type { Trajectory } from './trajectory.js';

/** A batch of self-play games as training data: the samples, the totals and, when asked for, the trajectories. */
export interface SelfPlayBatch {
  chunk: SampleChunk;
  stats: SelfPlayStats;
  /** The games as played, in the order they finished (only with `keepTrajectories`). */
  trajectories?: Trajectory[];
  /**
   * Each game's own totals, in the order their samples follow one another in `chunk` (game k's
   * samples are the `perGame[k].samples` rows after those of the games before it); only with `perGame`.
   */
  perGame?: SelfPlayStats[];
}

export interface SelfPlayBatchOptions {
  games: number;
  firstGame: number;
  seed: string;
  concurrency: number;
  /** Compute KataGo ownership targets (the learner trains an ownership head). */
  recordOwnership?: boolean;
  /** Also return every game's trajectory. */
  keepTrajectories?: boolean;
  /** Also return every game's own totals (SelfPlayBatch.perGame). */
  perGame?: boolean;
}

/** The target settings of a self-play config (and whether ownership targets are wanted) for `game`. */
export function targetSettingsFor(game: Game, settings: SelfPlaySettings, recordOwnership: boolean): TargetSettings {
  return {
    valueTargetQWeight: settings.valueTargetQWeight,
    valueTargetLambda: settings.valueTargetLambda,
    surpriseWeighting: settings.surpriseWeighting,
    ownership: recordOwnership ? { planes: ownershipPlanes(game), cells: boardCells(game) } : null,
  };
}

/**
 * Plays a batch of games (selfplay-game.ts) and turns each finished trajectory into training
 * samples (targets/game-samples.ts), written into one chunk in the order the games finish: the
 * actors' unit of work.
 */
export async function playSelfPlayGames(game: Game, settings: SelfPlaySettings, makeEvaluator: () => Evaluator, options: SelfPlayBatchOptions): Promise<SelfPlayBatch> {
  const targets = targetSettingsFor(game, settings, options.recordOwnership === true);
  const stats = emptyStats();
  const writer = new SampleWriter(game, Math.max(16, options.games * Math.ceil(game.maxGameLength * settings.fullSearchFraction)), targets.ownership !== null);
  const trajectories: Trajectory[] | undefined = options.keepTrajectories ? [] : undefined;
  const perGame: SelfPlayStats[] | undefined = options.perGame ? [] : undefined;
  await playGames(game, settings, makeEvaluator, options, (trajectory, rng) => {
    const written = writer.append(trajectory, gameSamples(trajectory, targets, rng));
    addGame(stats, trajectory, written);
    trajectories?.push(trajectory);
    if (perGame) {
      const own = emptyStats();
      addGame(own, trajectory, written);
      perGame.push(own);
    }
  });
  return { chunk: writer.finish(), stats, ...(trajectories ? { trajectories } : {}), ...(perGame ? { perGame } : {}) };
}
