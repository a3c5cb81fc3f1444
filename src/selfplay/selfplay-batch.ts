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
  /**
   * Hands each finished game over at once, as a chunk of its own with its own totals, instead of
   * into the returned chunk (which then holds no samples; its stats still count every game).
   */
  onGame?: (game: SelfPlayBatch) => void;
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
  const writer = new SampleWriter(game, options.onGame ? 0 : Math.max(16, options.games * Math.ceil(game.maxGameLength * settings.fullSearchFraction)), targets.ownership !== null);
  const trajectories: Trajectory[] | undefined = options.keepTrajectories ? [] : undefined;
  const onGame = options.onGame;
  await playGames(game, settings, makeEvaluator, options, (trajectory, rng) => {
    const samples = gameSamples(trajectory, targets, rng);
    let written: number;
    if (onGame) {
      const own = new SampleWriter(game, samples.written, targets.ownership !== null);
      written = own.append(trajectory, samples);
      const ownStats = emptyStats();
      addGame(ownStats, trajectory, written);
      onGame({ chunk: own.finish(), stats: ownStats });
    } else {
      written = writer.append(trajectory, samples);
    }
    addGame(stats, trajectory, written);
    trajectories?.push(trajectory);
  });
  return { chunk: writer.finish(), stats, ...(trajectories ? { trajectories } : {}) };
}
