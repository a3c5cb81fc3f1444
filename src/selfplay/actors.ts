import { Piscina } from 'piscina';
import { type Game, compiledWorkerUrl } from '../core/index.js';
import { MessageChannel } from 'node:worker_threads';
import type { ActorTask, ActorTaskResult } from './actor-worker.js';
import { concatChunks } from './replay-buffer.js';
import type { SelfPlayBatch } from './selfplay-batch.js';
import type { SelfPlayRequest, SelfPlaySource } from './selfplay-source.js';
import { addStats, emptyStats } from './selfplay-stats.js';

/**
 * The self-play actors: a piscina pool of worker threads, each running ONNX Runtime on the
 * latest exported model with many games in flight (actor-worker.ts). The learner trains with
 * tfjs in the main thread between two calls of `play`.
 */
export class Actors implements SelfPlaySource {
  private readonly pool: Piscina<ActorTask, ActorTaskResult>;

  constructor(readonly game: Game, readonly workers: number) {
    this.pool = new Piscina<ActorTask, ActorTaskResult>({
      filename: compiledWorkerUrl(import.meta.url, './actor-worker').href,
      minThreads: workers,
      maxThreads: workers,
      // One task per worker at a time: a task already interleaves many games on one ORT session.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
  }

  /**
   * Plays `games` games numbered `firstGame..` with the model at `onnxPath`, split evenly over
   * the workers; returns all recorded positions (in game order of the tasks) and the totals.
   * `game` plays another board size of the actors' game (a multi-size run; the exported ONNX
   * graph has symbolic rows and cols, so the same file serves it).
   */
  async play(options: SelfPlayRequest): Promise<SelfPlayBatch> {
    const { games, settings } = options;
    const game = options.game ?? this.game;
    const tasks = Math.max(1, Math.min(this.workers, games));
    const per = Math.floor(games / tasks);
    const extra = games % tasks;
    const runs: Promise<SelfPlayBatch>[] = [];
    let first = options.firstGame;
    for (let t = 0; t < tasks; t++) {
      const n = per + (t < extra ? 1 : 0);
      const task: ActorTask = {
        game: game.spec,
        onnxPath: options.onnxPath,
        modelVersion: options.modelVersion,
        settings,
        seed: options.seed,
        firstGame: first,
        games: n,
        concurrency: Math.min(settings.concurrentGames, n),
        recordOwnership: options.recordOwnership === true,
      };
      runs.push(options.onGame ? this.runStreaming(task, options.onGame) : this.pool.run(task));
      first += n;
    }
    const batches = await Promise.all(runs);
    const stats = emptyStats();
    for (const b of batches) addStats(stats, b.stats);
    return { chunk: concatChunks(game, batches.map((b) => b.chunk)), stats };
  }

  /**
   * Runs a task whose games come back one by one as they end, through a MessagePort; resolves once
   * the task is done and every game it posted has been handed to `onGame`.
   */
  private async runStreaming(task: ActorTask, onGame: (game: SelfPlayBatch) => void): Promise<SelfPlayBatch> {
    const { port1, port2 } = new MessageChannel();
    let received = 0;
    let expected = -1;
    let allReceived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => { allReceived = resolve; });
    port1.on('message', (played: SelfPlayBatch) => {
      received++;
      onGame(played);
      if (received === expected) allReceived();
    });
    try {
      const result = await this.pool.run({ ...task, gamePort: port2 }, { transferList: [port2] });
      expected = result.posted ?? 0;
      if (received >= expected) allReceived();
      await done;
      return { chunk: result.chunk, stats: result.stats };
    } finally {
      port1.close();
    }
  }

  get description(): string {
    return `${this.workers} worker thread(s) in this process`;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
